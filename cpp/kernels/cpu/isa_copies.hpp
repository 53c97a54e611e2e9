// Includes AXON_ISA_FILE once per instruction-set variant (kernels/cpu/isa.hpp): for the
// build's own instruction set, and in a portable x86-64 build also for AVX2 + FMA and for
// AVX-512, each inside the variant's namespace AXON_ISA_NS, with AXON_ISA_AVX512 and
// AXON_ISA_FMA saying what the copy may use. No include guard: a kernel file includes this
// once, after defining AXON_ISA_FILE.
#include "kernels/cpu/isa.hpp"

#define AXON_ISA_NS isa_build
#define AXON_ISA_AVX512 AXON_BUILD_HAS_AVX512
#define AXON_ISA_FMA AXON_BUILD_HAS_FMA
#include AXON_ISA_FILE
#undef AXON_ISA_NS
#undef AXON_ISA_AVX512
#undef AXON_ISA_FMA

#if AXON_ISA_VARIANTS
AXON_ISA_BEGIN_AVX2
#define AXON_ISA_NS isa_avx2
#define AXON_ISA_AVX512 0
#define AXON_ISA_FMA 1
#include AXON_ISA_FILE
#undef AXON_ISA_NS
#undef AXON_ISA_AVX512
#undef AXON_ISA_FMA
AXON_ISA_END

AXON_ISA_BEGIN_AVX512
#define AXON_ISA_NS isa_avx512
#define AXON_ISA_AVX512 1
#define AXON_ISA_FMA 1
#include AXON_ISA_FILE
#undef AXON_ISA_NS
#undef AXON_ISA_AVX512
#undef AXON_ISA_FMA
AXON_ISA_END
#endif

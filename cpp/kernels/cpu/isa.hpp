// Instruction-set variants of the hot kernels (the GEMMs, the direct convolution).
//
// A native build (-march=native, the default) compiles each kernel file once, for the build
// machine: the variant `build`. A portable build (AXON_NATIVE=OFF, the x86-64 baseline)
// compiles it three times in one file: for the baseline, for AVX2 + FMA and for AVX-512, each
// copy in a namespace of its own (AXON_ISA_NS) under `#pragma GCC target`, and calls the best
// one the CPU has. The copies share no code compiled for a higher instruction set than the
// baseline: everything they instantiate from the standard library is baseline code.
//
// Every variant with FMA gives the same bits (each element of a product is one chain of
// FMAs over k in order, whatever the vector width); the baseline, for CPUs without FMA
// (x86-64 before Haswell and Piledriver), rounds each product before its add.
#pragma once
#include <vector>

namespace axon::kernels {

enum class Isa { build, avx2, avx512 };

// The variant the kernels run: the best the CPU has, or the one the environment variable
// AXON_KERNEL_ISA names (build, avx2, avx512; for tests) where it is compiled in and the CPU
// has it. Decided once, at the first call.
Isa kernel_isa();
const char* isa_name(Isa isa);
// The variants this build has and this CPU can run, worst first.
std::vector<Isa> available_isas();

}  // namespace axon::kernels

// What each variant may use, for the kernel files (see vec.hpp).
#if defined(__AVX512F__)
#define AXON_BUILD_HAS_AVX512 1
#else
#define AXON_BUILD_HAS_AVX512 0
#endif
#if defined(__FMA__)
#define AXON_BUILD_HAS_FMA 1
#else
#define AXON_BUILD_HAS_FMA 0
#endif
#if defined(__x86_64__) && !defined(__AVX2__) && !defined(AXON_NO_ISA_VARIANTS)
#define AXON_ISA_VARIANTS 1  // a portable x86-64 build: compile the AVX2 and AVX-512 copies too
#else
#define AXON_ISA_VARIANTS 0
#endif
// Around a variant's copy: everything defined between BEGIN and END is compiled for it.
// (_Pragma: GCC does not expand macros inside #pragma GCC target.)
#define AXON_ISA_BEGIN_AVX2 \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx,avx2,fma,bmi,bmi2,popcnt,f16c\")")
#define AXON_ISA_BEGIN_AVX512 \
  _Pragma("GCC push_options")  \
      _Pragma("GCC target(\"avx,avx2,fma,bmi,bmi2,popcnt,f16c,avx512f,avx512dq,avx512bw,avx512vl,avx512cd\")")
#define AXON_ISA_END _Pragma("GCC pop_options")

// return isa_<variant>::call for the variant in use (in a kernel file's public function).
#if AXON_ISA_VARIANTS
#define AXON_WITH_ISA(call)                              \
  switch (kernel_isa()) {                                \
    case Isa::avx512: return isa_avx512::call;           \
    case Isa::avx2: return isa_avx2::call;               \
    default: return isa_build::call;                     \
  }
#else
#define AXON_WITH_ISA(call) return isa_build::call;
#endif

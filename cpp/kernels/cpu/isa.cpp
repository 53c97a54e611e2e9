#include "kernels/cpu/isa.hpp"

#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace axon::kernels {

namespace {

bool cpu_has(Isa isa) {
#if AXON_ISA_VARIANTS
  __builtin_cpu_init();
  if (isa == Isa::avx2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (isa == Isa::avx512)
    return cpu_has(Isa::avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
#endif
  return isa == Isa::build;
}

Isa choose() {
  const char* asked = std::getenv("AXON_KERNEL_ISA");
  const Isa all[] = {Isa::build, Isa::avx2, Isa::avx512};
  for (Isa isa : all)
    if (asked && std::strcmp(asked, isa_name(isa)) == 0 && cpu_has(isa)) return isa;
  if (cpu_has(Isa::avx512)) return Isa::avx512;
  if (cpu_has(Isa::avx2)) return Isa::avx2;
  return Isa::build;
}

}  // namespace

Isa kernel_isa() {
  static const Isa chosen = choose();
  return chosen;
}

std::vector<Isa> available_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::build, Isa::avx2, Isa::avx512})
    if (cpu_has(isa)) out.push_back(isa);
  return out;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
    default: return "build";
  }
}

}  // namespace axon::kernels

#include "core/memory.hpp"

#include <cstdint>

#ifdef __linux__
#include <sys/sysinfo.h>
#endif

namespace axon {

size_t machine_memory_bytes() {
#ifdef __linux__
  struct sysinfo info;
  if (sysinfo(&info) == 0) return size_t(info.totalram + info.totalswap) * size_t(info.mem_unit);
#endif
  return SIZE_MAX;
}

}  // namespace axon

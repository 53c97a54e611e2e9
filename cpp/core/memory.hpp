// How much memory this machine can back: what allocations are compared with before they
// are tried, so a request that cannot succeed is a clear error, not an OOM kill (with
// overcommit on, a huge reserve "succeeds" and the first touch of its pages kills us).
#pragma once
#include <cstddef>

namespace axon {

// RAM plus swap in bytes (SIZE_MAX where the system does not say).
size_t machine_memory_bytes();

}  // namespace axon

#!/usr/bin/env bash
# The loaders' fuzz tests (tests/test_fuzz_*.py: .axon bytes and header fields, .keras config,
# integer fields and bytes, .weights.h5 bytes, training-state files; AXON_FUZZ_MUTATIONS
# mutations each, 10,000 here) and the other saving robustness tests, run against the
# extension built with AddressSanitizer: a file that makes the engine read or write out of
# bounds fails here even where the plain build would not crash. Each fuzz test prints a
# "[fuzz] <format>: N mutations, ..., crashes 0, non-FormatError 0" line.
#
# The instrumented module is built in build/asan (CMake option AXON_ASAN: -O0, since speed
# does not matter and it halves the build) and staged with a copy of python/axon in a
# temporary directory put first on PYTHONPATH, so neither the source tree nor the installed
# axon is touched. Python itself is not instrumented: libasan is LD_PRELOADed, and leak
# detection is off (the interpreter leaks by design at exit).
# Environment: PYTHON (python3), AXON_ASAN_BUILD (build/asan), AXON_BUILD_JOBS (all cores),
# AXON_FUZZ_MUTATIONS (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
BUILD=${AXON_ASAN_BUILD:-build/asan}
JOBS=${AXON_BUILD_JOBS:-$(nproc)}

source .ci/module_build.sh
# No LTO: pybind11 adds -flto to Release modules, which would redo the code generation at link time.
build_module asan -DAXON_ASAN=ON -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=OFF
# The dynamic section's NEEDED entries, read into a variable first: no loader run (ldd) and no
# pipe for pipefail to trip on. On failure, print what was read, so the log shows why.
needed=$(readelf -d "$so" 2>&1) || { echo "[asan] readelf could not read $so: $needed" >&2; exit 1; }
if ! grep -q 'NEEDED.*libasan' <<<"$needed"; then
  echo "[asan] $so does not link libasan; its dynamic section:" >&2
  echo "$needed" >&2
  ls -l "$so" >&2
  exit 1
fi

stage_module

cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
# libstdc++ too: python does not link it, and ASan's __cxa_throw interceptor finds no real
# __cxa_throw unless libstdc++ is loaded with it ("CHECK failed: real___cxa_throw != 0" on
# the first C++ exception otherwise).
export LD_PRELOAD="$("$cxx" -print-file-name=libasan.so) $("$cxx" -print-file-name=libstdc++.so.6)"
# allocator_may_return_null: a corrupted .weights.h5 makes libhdf5 ask malloc for petabytes;
# glibc returns NULL and HDF5 reports an error (a FormatError here), where ASan by default
# aborts ("allocation-size-too-big"). Our own code's oversized allocations stay caught: the
# fuzz tests fail on a MemoryError, and test_saving_hostile_sizes bounds peak memory.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
check_staged
echo "[asan] fuzz and robustness tests against $so"
# (Not test_saving_roundtrip: it compares with subprocesses running the optimized build, whose
# float results the -O0 build does not reproduce bit for bit.)
export AXON_FUZZ_MUTATIONS=${AXON_FUZZ_MUTATIONS:-10000}
# --capture=sys: pytest leaves file descriptor 2 alone, so an ASan report reaches the log
# instead of dying with the process in pytest's capture file.
"$PY" -m pytest -q -p no:cacheprovider --capture=sys --durations=10 tests/test_fuzz_*.py tests/test_saving_robustness.py \
  tests/test_saving_hostile_sizes.py tests/test_saving_atomic.py

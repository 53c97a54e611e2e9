#!/usr/bin/env bash
# The numerical tests again, on the portable build (AXON_NATIVE=OFF: no -march=native, the
# x86-64 baseline a wheel for any machine would be built for): gradients against finite
# differences, layers, losses, activations and optimizers against PyTorch and Keras'
# formulas, bit-identical results at every thread count and in every instruction-set variant.
#
# Built in build/portable and staged like the ASan build (.ci/module_build.sh).
# Environment: PYTHON (python3), AXON_PORTABLE_BUILD (build/portable), AXON_BUILD_JOBS (all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
BUILD=${AXON_PORTABLE_BUILD:-build/portable}
JOBS=${AXON_BUILD_JOBS:-$(nproc)}

source .ci/module_build.sh
build_module portable -DAXON_NATIVE=OFF
# Only the kernels' AVX2 and AVX-512 copies may hold AVX instructions: any other function with
# one (a standard-library instantiation the linker could keep for every caller, say) would
# stop a CPU without AVX with SIGILL. Read in the engine's objects, which keep their local
# symbols (the module is stripped).
avx_elsewhere=$(objdump -d -C --no-show-raw-insn "$BUILD/libaxon_engine.a" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = $0; next }
  /%[yz]mm/ && fn !~ /::isa_avx(2|512)::/ { print fn }' | sort -u | head -n 20)
if [ -n "$avx_elsewhere" ]; then
  echo "[portable] AVX instructions outside the kernels' variants, in:" >&2
  echo "$avx_elsewhere" >&2
  exit 1
fi

stage_module
check_staged

echo "[portable] numerical tests against $so"
"$PY" -m pytest -q -p no:cacheprovider \
  tests/test_gradients.py tests/test_conv_gradients.py tests/test_conv_family_gradients.py \
  tests/test_normalization_gradients.py tests/test_reshaping_gradients.py \
  tests/test_conv_torch.py tests/test_conv_family_torch.py tests/test_normalization_torch.py \
  tests/test_activations_catalogue.py tests/test_losses_catalogue.py tests/test_metrics_catalogue.py \
  tests/test_optimizers_catalogue.py tests/test_optimizers.py tests/test_extremes.py \
  tests/test_dense_packed_gemm.py tests/test_elementwise_threads.py tests/test_thread_determinism.py \
  tests/test_kernel_isa.py

# The portable build's FMA variant and the native build that setup.sh installed train to the
# same bits (GCC's -march only changes which instructions run, never the arithmetic).
digests() {
  "$PY" -c "
import sys; sys.path.insert(0, 'tests')
from axon import _core
from test_thread_determinism import conv_model, dense_model, train_digest
print(_core.kernel_isa(), [train_digest(dense_model, b) for b in (1, 64, 1024)] + [train_digest(conv_model, b) for b in (16, 300)])"
}
portable=$(digests)
native=$(PYTHONPATH= digests)
echo "[portable] portable build: ${portable:0:60}..."
echo "[portable] native build:   ${native:0:60}..."
if [ "${portable#* }" != "${native#* }" ] && [ "${portable%% *}" != build ]; then
  echo "[portable] the portable and the native build trained to different weights" >&2
  exit 1
fi

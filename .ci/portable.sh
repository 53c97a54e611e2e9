#!/usr/bin/env bash
# The numerical tests again, on the portable build (AXON_NATIVE=OFF: no -march=native, the
# x86-64 baseline a wheel for any machine would be built for): gradients against finite
# differences, layers, losses, activations and optimizers against PyTorch and Keras'
# formulas, bit-identical results at every thread count and in every instruction-set variant.
#
# The module is built in build/portable and staged with a copy of python/axon in a temporary
# directory put first on PYTHONPATH, so neither the source tree nor the installed (native)
# axon is touched. Environment: PYTHON (python3), AXON_PORTABLE_BUILD (build/portable),
# AXON_BUILD_JOBS (all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
BUILD=${AXON_PORTABLE_BUILD:-build/portable}
JOBS=${AXON_BUILD_JOBS:-$(nproc)}

# pip's build of axon (setup.sh) brings CMake, Ninja and pybind11 only into its isolated
# environment; this build needs them here.
command -v cmake >/dev/null || "$PY" -m pip install -q --disable-pip-version-check cmake
command -v ninja >/dev/null || "$PY" -m pip install -q --disable-pip-version-check ninja
"$PY" -c "import pybind11" 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check pybind11

echo "[portable] building the portable extension in $BUILD (-j$JOBS)"
cmake -S . -B "$BUILD" -G Ninja -DAXON_NATIVE=OFF -DAXON_MODULE_IN_BUILD_DIR=ON \
  -DPython_EXECUTABLE="$(command -v "$PY")" >/dev/null
if ! ninja -C "$BUILD" -j "$JOBS" _core >"$BUILD/ninja.log" 2>&1; then
  tail -n 40 "$BUILD/ninja.log" >&2
  exit 1
fi
so=$(ls "$BUILD"/python/axon/_core*.so)
# A portable module has no instruction past the baseline: no AVX anywhere in its code.
if objdump -d --no-show-raw-insn "$so" | grep -qE '\s(v[a-z0-9]+)\s+%[yz]mm'; then
  echo "[portable] $so contains AVX instructions" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r python/axon "$stage/axon"
rm -f "$stage"/axon/_core*.so
cp "$so" "$stage/axon/"
export PYTHONPATH="$stage:tests"
"$PY" -c "import axon._core as c, sys; sys.exit(0 if c.__file__.startswith('$stage') else 'axon._core is ' + c.__file__)"

echo "[portable] numerical tests against $so"
"$PY" -m pytest -q -p no:cacheprovider \
  tests/test_gradients.py tests/test_conv_gradients.py tests/test_conv_family_gradients.py \
  tests/test_normalization_gradients.py tests/test_reshaping_gradients.py \
  tests/test_conv_torch.py tests/test_conv_family_torch.py tests/test_normalization_torch.py \
  tests/test_activations_catalogue.py tests/test_losses_catalogue.py tests/test_metrics_catalogue.py \
  tests/test_optimizers_catalogue.py tests/test_optimizers.py tests/test_extremes.py \
  tests/test_dense_packed_gemm.py tests/test_elementwise_threads.py tests/test_thread_determinism.py \
  tests/test_kernel_isa.py

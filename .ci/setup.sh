#!/usr/bin/env bash
# Everything axon needs on a fresh Debian machine: Eigen (apt), the Python build and test
# dependencies (pip), then axon itself built from this checkout (Release, OpenMP,
# -march=native; set AXON_NATIVE=OFF for a portable build).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Eigen is required (headers only). No BLAS library: every product runs on the engine's own
# fixed-order kernels, so results do not depend on a BLAS build's CPU dispatch.
missing=()
[ -f /usr/include/eigen3/Eigen/Core ] || missing+=(libeigen3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
echo "[setup] Python dependencies"
"$PY" -m pip install -q --disable-pip-version-check numpy pytest hypothesis scikit-learn
# PyTorch is the tests' numerical oracle; its tests skip cleanly where it cannot be had.
"$PY" -m pip install -q --disable-pip-version-check torch==2.13.0 2>/dev/null \
  || echo "[setup] torch==2.13.0 not available: its comparison tests will be skipped"
# h5py reads and writes Keras files (.keras, .weights.h5); Keras itself (run on the torch
# backend) is the oracle of the interop tests. Both optional: those tests skip without them.
"$PY" -m pip install -q --disable-pip-version-check h5py 2>/dev/null \
  || echo "[setup] h5py not available: Keras file support and its tests will be skipped"
"$PY" -m pip install -q --disable-pip-version-check keras 2>/dev/null \
  || echo "[setup] keras not available: the Keras comparison tests will be skipped"
# matplotlib draws axon.utils.plot_history / plot_model; their tests skip without it.
"$PY" -m pip install -q --disable-pip-version-check matplotlib 2>/dev/null \
  || echo "[setup] matplotlib not available: the plotting tests will be skipped"

# onnx + onnxruntime check model.export(format="onnx"); those tests skip cleanly without them.
"$PY" -m pip install -q --disable-pip-version-check onnx onnxruntime 2>/dev/null \
  || echo "[setup] onnx/onnxruntime not available: the ONNX export tests will be skipped"

echo "[setup] building and installing axon"
# A development build (cmake -B build/dev) leaves _core*.so beside the sources; it must not
# end up in the wheel next to the freshly built one.
rm -f python/axon/_core*.so
"$PY" -m pip install -q --disable-pip-version-check .

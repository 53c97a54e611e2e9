#!/usr/bin/env bash
# Everything axon needs on a fresh Debian machine: Eigen (apt), the Python build and test
# dependencies (pip), then axon itself built from this checkout (Release, OpenMP,
# -march=native; set AXON_NATIVE=OFF for a portable build).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -f /usr/include/eigen3/Eigen/Core ]; then
  echo "[setup] installing Eigen 3 (libeigen3-dev)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libeigen3-dev >/dev/null
fi

PY=${PYTHON:-python3}
echo "[setup] Python dependencies"
"$PY" -m pip install -q --disable-pip-version-check numpy pytest scikit-learn
# PyTorch is the tests' numerical oracle; its tests skip cleanly where it cannot be had.
"$PY" -m pip install -q --disable-pip-version-check torch==2.13.0 2>/dev/null \
  || echo "[setup] torch==2.13.0 not available: its comparison tests will be skipped"

echo "[setup] building and installing axon"
# A development build (cmake -B build/dev) leaves _core*.so beside the sources; it must not
# end up in the wheel next to the freshly built one.
rm -f python/axon/_core*.so
"$PY" -m pip install -q --disable-pip-version-check .

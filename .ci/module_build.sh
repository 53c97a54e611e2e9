# Sourced by CI's second builds (.ci/asan_fuzz.sh, .ci/portable.sh): build the extension in
# its own directory and stage it with a copy of python/axon in a temporary directory put
# first on PYTHONPATH, so neither the source tree nor the installed axon is touched.
# Expects PY, BUILD and JOBS; sets `so` (the built module) and `stage`.

# pip's build of axon (setup.sh) brings CMake, Ninja and pybind11 only into its isolated
# environment; these builds need them here.
ensure_build_tools() {
  command -v cmake >/dev/null || "$PY" -m pip install -q --disable-pip-version-check cmake
  command -v ninja >/dev/null || "$PY" -m pip install -q --disable-pip-version-check ninja
  "$PY" -c "import pybind11" 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check pybind11
}

# build_module LABEL CMAKE_ARGS...: configures and builds _core in $BUILD (the module stays
# there: AXON_MODULE_IN_BUILD_DIR), printing the last lines of the log on failure.
build_module() {
  local label=$1
  shift
  ensure_build_tools
  echo "[$label] building the extension in $BUILD (-j$JOBS)"
  cmake -S . -B "$BUILD" -G Ninja -DAXON_MODULE_IN_BUILD_DIR=ON -DPython_EXECUTABLE="$(command -v "$PY")" "$@" \
    >/dev/null
  if ! ninja -C "$BUILD" -j "$JOBS" _core >"$BUILD/ninja.log" 2>&1; then
    tail -n 40 "$BUILD/ninja.log" >&2
    exit 1
  fi
  so=$(ls "$BUILD"/python/axon/_core*.so)
}

# stage_module: python/axon with $so in a temporary directory, first on PYTHONPATH; refuses
# to go on unless that is the module Python imports.
stage_module() {
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  cp -r python/axon "$stage/axon"
  rm -f "$stage"/axon/_core*.so
  cp "$so" "$stage/axon/"
  export PYTHONPATH="$stage:tests"
}

# check_staged: after the environment the tests need is set (LD_PRELOAD for ASan).
check_staged() {
  "$PY" -c "import axon._core as c, sys; sys.exit(0 if c.__file__.startswith('$stage') else 'axon._core is ' + c.__file__)"
}

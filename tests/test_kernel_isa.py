"""The kernels' instruction-set variants (cpp/kernels/cpu/isa.hpp) give the same bits: a
portable build runs its AVX2+FMA or AVX-512 copy of the GEMMs and the direct convolution,
whichever the CPU has, and training must not depend on which. (A native build has one
variant; the comparison then has nothing to compare and is skipped.)"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys
sys.path[:0] = {paths!r}
from axon import _core
from test_thread_determinism import conv_model, dense_model, train_digest
digests = [train_digest(dense_model, b) for b in (1, 64, 300)] + [train_digest(conv_model, b) for b in (16, 300)]
print(json.dumps([_core.kernel_isa(), digests]))
"""


def run_with_isa(isa):
    import axon

    env = dict(os.environ, AXON_KERNEL_ISA=isa)
    paths = [str(Path(axon.__file__).resolve().parents[1]), str(REPO / "tests")]
    out = subprocess.run([sys.executable, "-c", _CHILD.format(paths=paths)], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_variant_in_use_is_the_best_the_cpu_has():
    from axon import _core

    available = _core.kernel_isas()
    assert available[0] == "build" and _core.kernel_isa() == available[-1]


def test_every_fma_variant_trains_to_the_same_bits():
    from axon import _core

    fma_variants = [isa for isa in _core.kernel_isas() if isa != "build"]
    if len(fma_variants) < 2:
        pytest.skip(f"one FMA variant on this build and CPU ({_core.kernel_isas()}): nothing to compare")
    results = {isa: run_with_isa(isa) for isa in fma_variants}
    for isa, (used, _) in results.items():
        assert used == isa  # AXON_KERNEL_ISA chose it
    digests = [d for _, d in results.values()]
    assert all(d == digests[0] for d in digests[1:]), results


def test_an_unknown_or_unavailable_variant_falls_back_to_the_best():
    from axon import _core

    used, _ = run_with_isa("sse9")
    assert used == _core.kernel_isas()[-1]

"""A small file whose architecture asks for huge tensors is refused before anything is
allocated: loading computes every parameter's size as the layers declare them and compares
the total with what the file holds. Found by a tester: a 1 KB .axon or .keras file with
Input(4, 4, 1) -> ZeroPadding2D(10000) -> PReLU took 8 s and 3 GB (PReLU's build filled a
table the size of its input before the count was compared), and with padding 15000 ended
in std::bad_alloc. The load runs in a fresh process so its peak memory is its own."""

import json
import os
import re
import subprocess
import sys

import axon

AXON_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(axon.__file__)))
TESTS = os.path.dirname(os.path.abspath(__file__))

# Saves the model in both formats, rewrites the padding to PAD in each, loads them and
# prints, per file, the error message, the seconds taken and the growth of the peak RSS.
CHILD = """
import io, json, resource, sys, time, zipfile
import axon
from axon import layers
from saving_helpers import reseal

pad, directory = int(sys.argv[1]), sys.argv[2]
model = axon.Sequential([axon.Input((4, 4, 1)), layers.ZeroPadding2D(1), layers.PReLU()])
padding = [[pad, pad], [pad, pad]]
paths = [f"{directory}/hostile.axon", f"{directory}/hostile.keras"]
model.save(paths[0])
with open(paths[0], "rb") as f:
    data = reseal(f.read(), lambda h: h["architecture"]["layers"][1]["config"].__setitem__("padding", padding))
with open(paths[0], "wb") as f:
    f.write(data)
model.save(paths[1])
with zipfile.ZipFile(paths[1]) as zf:
    members = {name: zf.read(name) for name in zf.namelist()}
config = json.loads(members["config.json"])
config["config"]["layers"][1]["config"]["padding"] = padding
members["config.json"] = json.dumps(config).encode()
with zipfile.ZipFile(paths[1], "w") as zf:
    for name, value in members.items():
        zf.writestr(name, value)
results = {}
for path in paths:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        axon.models.load_model(path)
        outcome = "loaded"
    except Exception as e:
        outcome = f"{type(e).__name__}: {e}"
    seconds = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024  # Linux: KiB
    results[path.rsplit(".", 1)[1]] = {"outcome": outcome, "seconds": seconds, "grown_mb": grown_mb,
                                       "file_bytes": len(open(path, "rb").read())}
print(json.dumps(results))
"""


def test_a_tiny_file_asking_for_gigabytes_costs_milliseconds_and_kilobytes(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([AXON_PARENT, TESTS]))
    done = subprocess.run([sys.executable, "-c", CHILD, "15000", str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    # (20004 + 10000)^2 alpha values: 9.0024e+08; the files hold a few dozen.
    expected = (r"FormatError: '.*hostile\.{kind}': the architecture cannot be rebuilt: PReLU 'p_re_lu\w*': "
                r"parameter 'alpha' \(9.0024e\+08 values\) makes the architecture need 9.0024e\+08 parameter "
                r"values, more than the \d+ stored with it")

    for kind in ("axon", "keras"):
        result = results[kind]
        assert result["file_bytes"] < 20_000, result
        assert re.fullmatch(expected.format(kind=kind), result["outcome"]), result
        assert result["grown_mb"] < 100, result  # the old loader's table alone was 7 GB
        assert result["seconds"] < 5, result  # milliseconds; generous for a loaded or instrumented machine

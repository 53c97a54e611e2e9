#!/usr/bin/env python
"""axon against its peers on the MNIST MLP, all in one process.

    AXON_DATA_DIR=/path/to/data PYTHONPATH=python python bench/compare.py [--quick] [--json out.json]

Model: Flatten(28x28) -> Dense(128, relu) -> Dense(10, softmax); Adam(lr=1e-3, eps=1e-7);
categorical cross-entropy; glorot-uniform kernels and zero biases everywhere. Each repeat
trains a freshly initialized model for one epoch on MNIST in every framework, rotating the
order of the frameworks from one repeat to the next, and the tables show medians.

Peers: PyTorch CPU (always), Keras and scikit-learn's MLPClassifier when importable;
onnxruntime (batch-1 predict latency only) when onnx and onnxruntime are installed.

Threads: the same count everywhere. OMP_NUM_THREADS, MKL_NUM_THREADS and
OPENBLAS_NUM_THREADS are set before NumPy or torch is imported; then torch.set_num_threads,
axon._core.set_num_threads and onnxruntime's intra_op_num_threads get the same number.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch-sizes", default="32,128,1024", help="comma-separated (default 32,128,1024)")
    p.add_argument("--repeats", type=int, default=None,
                   help="epochs timed per framework and batch size (default 5, 2 with --quick)")
    p.add_argument("--threads", type=int, default=2, help="threads for every framework (default 2)")
    p.add_argument("--quick", action="store_true", help="a short run: 10,000 training samples, fewer calls")
    p.add_argument("--frameworks", default="axon,torch,keras,sklearn",
                   help="training frameworks to run (default axon,torch,keras,sklearn; missing ones are skipped)")
    p.add_argument("--no-latency", action="store_true", help="skip the batch-1 predict latency")
    p.add_argument("--no-import", action="store_true", help="skip the import-time measurement")
    p.add_argument("--data-dir", default=None, help="sets AXON_DATA_DIR (where mnist/ lives)")
    p.add_argument("--json", metavar="PATH", default=None, help="also save the raw numbers here")
    args = p.parse_args(argv)
    args.batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    if not args.batch_sizes or min(args.batch_sizes) <= 0:
        p.error("--batch-sizes: expected positive integers")
    if args.threads <= 0:
        p.error("--threads: expected a positive count")
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.repeats <= 0:
        p.error("--repeats: expected a positive count")
    args.frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    return args


ARGS = parse_args()
from bench_env import numpy_matmul_gflops, prepare, training_flops_per_sample  # noqa: E402

axon = prepare(ARGS.threads, ARGS.data_dir)  # before NumPy and torch load their thread pools
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

HIDDEN, CLASSES = 128, 10
PIXELS = 28 * 28
# Model FLOPs per training sample, as model-FLOP utilisation (MFU) counts them, come from
# bench_env.training_flops_per_sample (3x the forward: PaLM's 6N, whatever an implementation
# skips; compare_conv.py uses it too). The step executes fewer: the first layer's input
# gradient is never needed, so the table also shows the share counting only these (forward,
# both weight gradients, the second layer's input gradient; 0.67x the model FLOPs).
FLOPS_FORWARD = 2 * (PIXELS * HIDDEN + HIDDEN * CLASSES)
EXECUTED_FLOPS_PER_SAMPLE = FLOPS_FORWARD + 2 * (PIXELS * HIDDEN + HIDDEN * CLASSES) + 2 * HIDDEN * CLASSES

QUIET_S = 0.3  # pause before each timed epoch
TARGETS = {"ratio_32": 3.0, "ratio_128": 1.8, "ratio_1024": 1.3, "mfu_1024": 0.70, "latency_vs_ort": 0.5,
           "import_ms": 150.0}


def median(values):
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- data
def load_mnist(quick):
    (x, y), (x_test, _) = axon.datasets.mnist.load_data()
    if quick:
        x, y = x[:10000], y[:10000]
    x = np.ascontiguousarray(x, dtype=np.float32) / np.float32(255.0)
    y = y.astype(np.int64)
    onehot = axon.utils.to_categorical(y, CLASSES).astype(np.float32)
    x1 = np.ascontiguousarray(x_test[:1], dtype=np.float32) / np.float32(255.0)
    return x, y, onehot, x1


# --------------------------------------------------------------------------- frameworks
class AxonRunner:
    name = "axon"

    def __init__(self, x, y, onehot):
        self.x, self.onehot = x, onehot

    @staticmethod
    def make():
        model = axon.Sequential([
            axon.Input((28, 28)),
            axon.layers.Flatten(),
            axon.layers.Dense(HIDDEN, activation="relu"),  # glorot_uniform / zeros are the defaults
            axon.layers.Dense(CLASSES, activation="softmax"),
        ])
        model.compile(optimizer=axon.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                      loss="categorical_crossentropy")
        return model

    def epoch(self, model, batch, x=None, y=None):
        model.fit(self.x if x is None else x, self.onehot if y is None else y, batch_size=batch, epochs=1,
                  verbose=0, shuffle=True)


def torch_mlp():
    net = nn.Sequential(nn.Flatten(), nn.Linear(PIXELS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)  # glorot uniform, as Keras
            nn.init.zeros_(m.bias)
    return net


class TorchRunner:
    """The idiomatic CPU loop: tensors made once, randperm + index slicing, no DataLoader.

    Labels are class indices (what nn.CrossEntropyLoss expects idiomatically; the same loss
    as categorical cross-entropy on one-hot targets). The loop does not track the loss, so
    it does a little less work than axon's fit, which reports the epoch's mean loss.
    """

    name = "torch"

    def __init__(self, x, y, onehot):
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        self.loss = nn.CrossEntropyLoss()

    @staticmethod
    def make():
        net = torch_mlp()
        return net, torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)

    def epoch(self, model, batch, x=None, y=None):
        net, opt = model
        x = self.x if x is None else x
        y = self.y if y is None else y
        n = x.shape[0]
        perm = torch.randperm(n)
        net.train()
        for start in range(0, n, batch):
            idx = perm[start:start + batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = self.loss(net(xb), yb)
            loss.backward()
            opt.step()


class KerasRunner:
    name = "keras"

    def __init__(self, x, y, onehot):
        import keras  # noqa: F401  (ImportError: skipped by the caller)
        self.keras = keras
        self.x, self.onehot = x, onehot

    def make(self):
        k = self.keras
        model = k.Sequential([k.Input((28, 28)), k.layers.Flatten(), k.layers.Dense(HIDDEN, activation="relu"),
                              k.layers.Dense(CLASSES, activation="softmax")])
        model.compile(optimizer=k.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7), loss="categorical_crossentropy")
        return model

    def epoch(self, model, batch, x=None, y=None):
        model.fit(self.x if x is None else x, self.onehot if y is None else y, batch_size=batch, epochs=1,
                  verbose=0, shuffle=True)


class SklearnRunner:
    """MLPClassifier, one epoch as one partial_fit (adam, no L2 penalty, Keras' epsilon)."""

    name = "sklearn"

    def __init__(self, x, y, onehot):
        from sklearn.neural_network import MLPClassifier
        self.cls = MLPClassifier
        self.x, self.y = x.reshape(x.shape[0], -1), y
        self.seed = 0

    def make(self):
        self.seed += 1
        return self.cls(hidden_layer_sizes=(HIDDEN,), activation="relu", solver="adam", alpha=0.0,
                        learning_rate_init=1e-3, epsilon=1e-7, shuffle=True, random_state=self.seed)

    def epoch(self, model, batch, x=None, y=None):
        model.set_params(batch_size=batch)
        x = self.x if x is None else x.reshape(x.shape[0], -1)
        model.partial_fit(x, self.y if y is None else y, classes=np.arange(CLASSES))


RUNNERS = {"axon": AxonRunner, "torch": TorchRunner, "keras": KerasRunner, "sklearn": SklearnRunner}
LABELS = {"axon": "axon", "torch": "PyTorch", "keras": "Keras", "sklearn": "scikit-learn", "onnxruntime": "onnxruntime"}


def make_runners(names, x, y, onehot, skipped):
    runners = []
    for name in names:
        if name not in RUNNERS:
            raise SystemExit(f"--frameworks: unknown framework '{name}'; expected some of {', '.join(RUNNERS)}")
        try:
            runners.append(RUNNERS[name](x, y, onehot))
        except ImportError as e:
            skipped[name] = f"not importable ({e})"
    return runners


def warm_up(runner, x, y, onehot):
    """One short untimed epoch: loads kernels, starts thread pools."""
    n = min(4096, x.shape[0])
    if runner.name == "torch":
        runner.epoch(runner.make(), 128, torch.from_numpy(x[:n]), torch.from_numpy(y[:n]))
    elif runner.name == "sklearn":
        runner.epoch(runner.make(), 128, x[:n], y[:n])
    else:
        runner.epoch(runner.make(), 128, x[:n], onehot[:n])


def time_training(runners, batches, repeats, yardstick):
    """({framework: {batch: [epoch seconds per repeat]}}, {batch: [NumPy GFLOP/s per repeat]}),
    frameworks rotated per repeat.

    NumPy's matmul speed (the yardstick of model-FLOP utilisation) is measured right before
    each axon epoch, so that each axon epoch is set against the machine's speed of that moment.
    """
    times = {r.name: {b: [] for b in batches} for r in runners}
    matmul = {b: [] for b in batches}
    for rep in range(repeats):
        for batch in batches:
            order = runners[rep % len(runners):] + runners[:rep % len(runners)]
            for runner in order:
                model = runner.make()
                if runner.name == "axon":
                    matmul[batch].append(yardstick())
                # Lets the previous framework's spinning worker threads (OpenMP, OpenBLAS) go
                # to sleep, so that no framework starts on a machine still busy with another's.
                time.sleep(QUIET_S)
                t0 = time.perf_counter()
                runner.epoch(model, batch)
                times[runner.name][batch].append(time.perf_counter() - t0)
        line = ", ".join(f"{r.name} {b}: {times[r.name][b][-1]:.2f}s" for b in batches for r in runners)
        print(f"  repeat {rep + 1}/{repeats}: {line}", file=sys.stderr, flush=True)
    return times, matmul


def paired_mfu(epoch_seconds, matmul_gflops, flops_per_epoch):
    """Median over repeats of (axon's model GFLOP/s in that epoch) / (NumPy's just before it)."""
    return median([flops_per_epoch / t * 1e-9 / g for t, g in zip(epoch_seconds, matmul_gflops)])


# --------------------------------------------------------------------------- machine
def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "filepath")}
                for p in threadpool_info()]
    except Exception:  # threadpoolctl is optional
        return []


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# --------------------------------------------------------------------------- latency
LATENCY_ROUNDS = 10  # runtimes take turns, calls/ROUNDS calls each per round


def interleaved_latency_us(fns, calls):
    """Batch-1 latency (µs) of each runtime, the runtimes taking turns in LATENCY_ROUNDS rounds.

    The machine's speed drifts within seconds; timing all of one runtime's calls and then all
    of the next would fold that drift into their ratio. Each round warms every runtime up
    (calls/5 untimed), then times calls/ROUNDS calls of each in turn. Per runtime: the
    median and p10/p90 of all its calls, and its per-round medians (`rounds`), from which
    ratios are taken round by round (see paired_ratio).
    """
    per_round = max(1, calls // LATENCY_ROUNDS)
    samples = {name: [] for name in fns}
    rounds = {name: [] for name in fns}
    clock = time.perf_counter_ns
    for _ in range(LATENCY_ROUNDS):
        for name, fn in fns.items():
            time.sleep(QUIET_S)  # the previous runtime's spinning worker threads go to sleep first
            for _ in range(max(1, per_round // 5)):
                fn()
            got = []
            for _ in range(per_round):
                t0 = clock()
                fn()
                got.append((clock() - t0) / 1e3)
            samples[name] += got
            rounds[name].append(median(got))
    out = {}
    for name, got in samples.items():
        got.sort()
        out[name] = {"median": got[len(got) // 2], "p10": got[len(got) // 10], "p90": got[len(got) * 9 // 10],
                     "calls": len(got), "rounds": rounds[name]}
    return out


def paired_ratio(a, b):
    """Median over rounds of a's round median / b's round median."""
    return median([x / y for x, y in zip(a["rounds"], b["rounds"])])


def onnx_session(net, x1, threads, skipped):
    try:
        import onnx  # noqa: F401
        import onnxruntime as ort
    except ImportError as e:
        skipped["onnxruntime"] = f"not installed ({e})"
        return None
    path = os.path.join(tempfile.mkdtemp(prefix="axon_bench_"), "mlp.onnx")
    x1t = torch.from_numpy(x1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:  # the TorchScript exporter needs nothing beyond onnx
                torch.onnx.export(net, (x1t,), path, input_names=["x"], output_names=["y"], opset_version=17,
                                  dynamo=False)
            except TypeError:  # a torch without the dynamo argument
                torch.onnx.export(net, (x1t,), path, input_names=["x"], output_names=["y"], opset_version=17)
    except Exception as e:  # e.g. a torch whose only exporter needs onnxscript
        skipped["onnxruntime"] = f"ONNX export failed ({type(e).__name__}: {e})"
        return None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def time_latency(x1, threads, calls, skipped):
    """Batch-1 predict latency (µs) of a model with softmax outputs in every runtime."""
    model = AxonRunner.make()
    fns = {"axon predict_on_batch": lambda: model.predict_on_batch(x1), "axon model(x)": lambda: model(x1)}
    net = nn.Sequential(torch_mlp(), nn.Softmax(dim=1)).eval()
    x1t = torch.from_numpy(x1)
    session = onnx_session(net, x1, threads, skipped)
    if session is not None:
        feed = {"x": x1}
        fns["onnxruntime"] = lambda: session.run(None, feed)
    with torch.inference_mode():  # entered once, outside the timed calls
        fns["PyTorch"] = lambda: net(x1t)
        return interleaved_latency_us(fns, calls)


# --------------------------------------------------------------------------- import time
def import_times(runs):
    """Wall time (ms) of fresh interpreters running each statement, interpreter start included.

    Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, written by one untimed run), as
    it is for an installed package; "import axon, no .pyc" runs with PYTHONDONTWRITEBYTECODE=1
    and no prefix, so axon's sources are compiled every time (unless the checkout has a
    __pycache__) while NumPy keeps its installed .pyc files: what a checkout pays when
    bytecode writing is off.
    """
    axon_parent = os.path.dirname(os.path.dirname(os.path.abspath(axon.__file__)))
    base = dict(os.environ)
    base["PYTHONPATH"] = axon_parent + os.pathsep + base.get("PYTHONPATH", "")
    cached = dict(base, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="axon_pycache_"))
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    uncached = dict(base, PYTHONDONTWRITEBYTECODE="1")  # installed packages keep their own .pyc files
    uncached.pop("PYTHONPYCACHEPREFIX", None)
    cases = (("python -c pass", "pass", cached), ("import numpy", "import numpy", cached),
             ("import axon", "import axon", cached), ("import torch", "import torch", cached),
             ("import axon, no .pyc", "import axon", uncached))
    out = {}
    for label, stmt, env in cases:
        subprocess.run([sys.executable, "-c", stmt], env=env, check=True)  # writes the cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", stmt], env=env, check=True)
            times.append((time.perf_counter() - t0) * 1e3)
        out[label] = times
    return out


# --------------------------------------------------------------------------- report
def fmt(v, digits=0):
    if v is None or v != v:
        return "–"
    return f"{v:,.{digits}f}"


def report(res):
    lines = []
    w = lines.append
    batches = res["batch_sizes"]
    sps = res["samples_per_s"]
    peers = [f for f in ("torch", "keras", "sklearn") if f in sps]
    w(f"**Machine:** {res['machine']['cpu']}, {res['machine']['cores']} cores; {res['threads']} threads in every "
      f"framework; Python {res['versions']['python']}, axon {res['versions']['axon']}, torch "
      f"{res['versions']['torch']}" + "".join(f", {k} {v}" for k, v in res["versions"].items()
                                                 if k not in ("python", "axon", "torch")) + ".")
    w(f"NumPy float32 matmul 2048³: **{res['numpy_matmul_gflops']:.1f} GFLOP/s** (median of the measurements taken "
      "before each axon epoch; each epoch's % of it is taken against the one just before, and the table shows "
      "the median of those).")
    w("")
    w(f"Training, one epoch of {res['samples']:,} MNIST samples (samples/s, median of {res['repeats']} epochs):")
    w("")
    head = ["batch", "axon"] + [x for p in peers for x in (LABELS[p], f"axon / {LABELS[p]}")]
    head += ["axon model GFLOP/s", "MFU: % of NumPy matmul", "% counting only FLOPs executed"]
    w("| " + " | ".join(head) + " |")
    w("|" + "|".join("---:" for _ in head) + "|")
    for b in batches:
        a = sps["axon"][b] if "axon" in sps else None
        row = [str(b), fmt(a)]
        for p in peers:
            row += [fmt(sps[p][b]), f"{a / sps[p][b]:.2f}x" if a else "–"]
        g = res["axon_model_gflops"].get(b)
        share = res["axon_mfu"].get(b)
        row += [fmt(g, 1), f"{100 * share:.0f}%" if share else "–",
                f"{100 * share * res['flops_per_sample_executed'] / res['flops_per_sample']:.0f}%" if share else "–"]
        w("| " + " | ".join(row) + " |")
    if res.get("latency_us"):
        lat = res["latency_us"]
        ort = lat.get("onnxruntime", {}).get("median")
        w("")
        w(f"Predict latency at batch 1 (µs, median of all calls; p10–p90; runtimes taking turns in {LATENCY_ROUNDS} "
          "rounds, the ratio the median of the rounds' ratios):")
        w("")
        w("| runtime | median µs | p10–p90 µs | vs onnxruntime |")
        w("|---|---:|---:|---:|")
        for name, v in lat.items():
            ratio = f"{paired_ratio(v, lat['onnxruntime']):.2f}x" if ort else "–"
            w(f"| {name} | {v['median']:.1f} | {v['p10']:.1f}–{v['p90']:.1f} | {ratio} |")
    if res.get("import_ms"):
        w("")
        w("Import time (`python -c \"...\"` in a fresh interpreter, wall ms including interpreter start and "
          f"bytecode cached unless noted, median of {len(next(iter(res['import_ms'].values())))} runs):")
        w("")
        names = list(res["import_ms"])
        w("| " + " | ".join(f"`{n}`" for n in names) + " |")
        w("|" + "|".join("---:" for _ in names) + "|")
        w("| " + " | ".join(f"{median(res['import_ms'][n]):.0f}" for n in names) + " |")
    if res.get("targets"):
        w("")
        w("Targets (2-core machine):")
        w("")
        w("| target | measured | met |")
        w("|---|---:|:---:|")
        for t in res["targets"]:
            w(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else ('no' if t['met'] is False else '–')} |")
    if res.get("skipped"):
        w("")
        w("Skipped: " + "; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in res["skipped"].items()) + ".")
    return "\n".join(lines)


def check_targets(res):
    out = []
    sps = res["samples_per_s"]
    ratio_targets = (("32", "ratio_32"), ("128", "ratio_128"), ("1024", "ratio_1024"))
    for b, key in ratio_targets:
        b = int(b)
        if "axon" in sps and "torch" in sps and b in sps["axon"]:
            r = sps["axon"][b] / sps["torch"][b]
            out.append({"target": f"batch {b}: axon ≥ {TARGETS[key]}x PyTorch samples/s", "measured": f"{r:.2f}x",
                        "met": r >= TARGETS[key]})
    mfu = res["axon_mfu"].get(1024)
    if mfu:
        out.append({"target": f"batch 1024: axon model-FLOP utilisation ≥ {TARGETS['mfu_1024']:.0%} of NumPy matmul",
                    "measured": f"{mfu:.0%}", "met": mfu >= TARGETS["mfu_1024"]})
    lat = res.get("latency_us") or {}
    if "onnxruntime" in lat:
        worst = max(paired_ratio(lat[name], lat["onnxruntime"]) for name in ("axon predict_on_batch", "axon model(x)"))
        out.append({"target": f"batch-1 predict latency ≤ {TARGETS['latency_vs_ort']}x onnxruntime "
                              "(slower of predict_on_batch and model(x))",
                    "measured": f"{worst:.2f}x", "met": worst <= TARGETS["latency_vs_ort"]})
    if res.get("import_ms"):
        ms = median(res["import_ms"]["import axon"])
        out.append({"target": f"`import axon` < {TARGETS['import_ms']:.0f} ms", "measured": f"{ms:.0f} ms",
                    "met": ms < TARGETS["import_ms"]})
    return out


def main():
    args = ARGS
    torch.set_num_threads(args.threads)
    axon._core.set_num_threads(args.threads)
    skipped = {}
    x, y, onehot, x1 = load_mnist(args.quick)
    versions = {"python": platform.python_version(), "axon": axon.__version__, "torch": torch.__version__.split("+")[0],
                "numpy": np.__version__}
    runners = make_runners(args.frameworks, x, y, onehot, skipped)
    for r in runners:
        if r.name == "keras":
            versions["keras"] = r.keras.__version__
        if r.name == "sklearn":
            import sklearn
            versions["scikit-learn"] = sklearn.__version__

    print(f"compare: {x.shape[0]} samples, batches {args.batch_sizes}, {args.repeats} repeats, "
          f"{args.threads} threads, frameworks {[r.name for r in runners]}", file=sys.stderr, flush=True)
    for r in runners:
        warm_up(r, x, y, onehot)
    times, matmul = time_training(runners, args.batch_sizes, args.repeats,
                                  yardstick=lambda: numpy_matmul_gflops(runs=3)[0])
    samples_per_s = {f: {b: x.shape[0] / median(t) for b, t in by_b.items()} for f, by_b in times.items()}
    model_flops = training_flops_per_sample(AxonRunner.make())
    axon_gflops = {b: model_flops * s * 1e-9 for b, s in samples_per_s.get("axon", {}).items()}
    mfu = {b: paired_mfu(times["axon"][b], matmul[b], model_flops * x.shape[0]) for b in args.batch_sizes if matmul[b]}
    all_matmul = [g for by_b in matmul.values() for g in by_b]
    gflops = median(all_matmul) if all_matmul else numpy_matmul_gflops()[0]

    latency = None
    if not args.no_latency:
        calls = 300 if args.quick else 3000
        latency = time_latency(x1, args.threads, calls, skipped)
        try:
            import onnxruntime
            versions["onnxruntime"] = onnxruntime.__version__
        except ImportError:
            pass
    imports = None if args.no_import else import_times(3 if args.quick else 7)

    res = {
        "machine": {"cpu": cpu_name(), "cores": os.cpu_count(), "platform": platform.platform()},
        "threads": args.threads,
        "thread_setup": "OMP/MKL/OPENBLAS_NUM_THREADS set before imports; torch.set_num_threads; "
                        "axon._core.set_num_threads; onnxruntime intra_op_num_threads",
        "blas": blas_info(),
        "versions": versions,
        "samples": int(x.shape[0]),
        "batch_sizes": args.batch_sizes,
        "repeats": args.repeats,
        "flops_per_sample": model_flops,
        "flops_per_sample_executed": EXECUTED_FLOPS_PER_SAMPLE,
        "numpy_matmul_gflops": gflops,
        "numpy_matmul_gflops_per_repeat": matmul,
        "axon_mfu": mfu,
        "epoch_seconds": times,
        "samples_per_s": samples_per_s,
        "axon_model_gflops": axon_gflops,
        "latency_us": latency,
        "import_ms": imports,
        "skipped": skipped,
    }
    res["targets"] = check_targets(res)
    print(report(res))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2, default=str)
        print(f"\nraw numbers saved to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()

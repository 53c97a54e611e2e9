"""Save/load speed of a ~100 MB model against copying a file of the same size, in one run.

    PYTHONPATH=python python bench/bench_saving.py [--dir DIR] [--repeats 5]

Baselines, on a fresh file of random bytes as large as the model file:
  write: shutil.copyfile + fsync of the copy (model.save fsyncs too: both are durable);
         plain copyfile (page cache only) is printed as well, for reference.
  read:  readinto() a preallocated buffer, with the file evicted from the page cache first
         (posix_fadvise DONTNEED on that file only: the disk's speed, as the issue asks),
         and warm (page cache: memory speed), each against load_model under the same condition.
The target (issue 5): save and load at >= 50% of the disk's speed. Medians of the repeats.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time

import numpy as np

import axon


def _median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _copy(src, dst, sync):
    shutil.copyfile(src, dst)
    if sync:
        with open(dst, "rb+") as f:
            os.fsync(f.fileno())


def _evict(path):
    """Drops this file's pages from the page cache (clean pages only: it was fsync'ed)."""
    with open(path, "rb") as f:
        os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _read(path, buffer, cold):
    if cold:
        _evict(path)
    with open(path, "rb", buffering=0) as f:
        f.readinto(buffer)


def _load(path, cold):
    if cold:
        _evict(path)
    return axon.models.load_model(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=None, help="where to write (default: a temporary directory)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    axon.utils.set_random_seed(0)
    # 2048*4096 + 4096*4096 + 4096*512 weights (+ biases): 27.3 M float32 values, 109 MB.
    model = axon.Sequential([axon.Input((2048,)), axon.layers.Dense(4096), axon.layers.Dense(4096),
                             axon.layers.Dense(512)])
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = os.path.join(tmp, "model.axon")
        save = _median_time(lambda: model.save(path), args.repeats)
        size = os.path.getsize(path)
        load_cold = _median_time(lambda: _load(path, True), args.repeats)
        load_warm = _median_time(lambda: _load(path, False), args.repeats)
        np.testing.assert_array_equal(axon.models.load_model(path).get_weights()[2], model.get_weights()[2])

        src, dst = os.path.join(tmp, "src.bin"), os.path.join(tmp, "dst.bin")
        with open(src, "wb") as f:
            f.write(np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8).tobytes())
            os.fsync(f.fileno())
        copy_sync = _median_time(lambda: _copy(src, dst, True), args.repeats)
        copy_plain = _median_time(lambda: _copy(src, dst, False), args.repeats)
        buffer = bytearray(size)
        read_cold = _median_time(lambda: _read(src, memoryview(buffer), True), args.repeats)
        read_warm = _median_time(lambda: _read(src, memoryview(buffer), False), args.repeats)

    mb = size / 1e6
    print(f"model file: {mb:.1f} MB, {model.count_params():,} parameters; medians of {args.repeats} repeats")
    print(f"{'':28}{'seconds':>9}{'MB/s':>9}")
    for name, t in [("model.save (fsync)", save), ("copyfile + fsync", copy_sync), ("copyfile (no fsync)", copy_plain),
                    ("load_model (cold)", load_cold), ("readinto (cold)", read_cold),
                    ("load_model (page cache)", load_warm), ("readinto (page cache)", read_warm)]:
        print(f"{name:28}{t:9.3f}{mb / t:9.0f}")
    print(f"save speed / copy+fsync speed: {copy_sync / save:.2f}   (target >= 0.5)")
    print(f"save speed / plain copy speed: {copy_plain / save:.2f}")
    print(f"load speed / read speed, cold: {read_cold / load_cold:.2f}   (target >= 0.5)")
    print(f"load speed / read speed, warm: {read_warm / load_warm:.2f}   (memory-bound: CRC and page faults)")


if __name__ == "__main__":
    main()

"""The GIL is released while parkett reads and writes: another Python thread keeps running
during a long read, and reads on several Python threads proceed together."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import parkett
import parkett.parquet as pq


def big_file(tmp_path):
    path = tmp_path / "big.parquet"
    n = 3_000_000
    pq.write_table(parkett.table({"a": np.arange(n), "b": np.random.default_rng(1).random(n),
                                  "s": np.array([f"v{i % 1000}" for i in range(n)], dtype=object)}),
                   path, compression="zstd")
    return path


def test_other_threads_run_during_a_read(tmp_path):
    path = big_file(tmp_path)
    stamps = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        start = time.perf_counter()
        for _ in range(3):
            pq.read_table(path, use_threads=False)
            pq.write_table(parkett.table({"a": np.arange(1_000_000)}), tmp_path / "w.parquet", compression="zstd")
        took = time.perf_counter() - start
    finally:
        stop.set()
        thread.join()
    during = [t for t in stamps if start <= t <= start + took]
    gaps = np.diff(during)
    assert took > 0.2
    # Held, the GIL would stop the ticker for whole reads and writes (tens of ms or more).
    assert gaps.max() < 0.05, f"the ticker stalled {gaps.max() * 1000:.0f} ms in {took * 1000:.0f} ms of work"


def test_reads_on_several_threads(tmp_path):
    path = big_file(tmp_path)
    expected = pq.read_table(path, columns=["a"]).column("a").to_numpy().sum()
    with ThreadPoolExecutor(4) as pool:
        sums = list(pool.map(lambda _: pq.read_table(path, columns=["a"]).column("a").to_numpy().sum(), range(8)))
    assert sums == [expected] * 8

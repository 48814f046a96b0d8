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
    longest = 0.0
    try:
        start = time.perf_counter()
        for _ in range(3):
            read_start = time.perf_counter()
            pq.read_table(path, use_threads=False)
            longest = max(longest, time.perf_counter() - read_start)
            pq.write_table(parkett.table({"a": np.arange(1_000_000)}), tmp_path / "w.parquet", compression="zstd",
                           use_threads=False)
        took = time.perf_counter() - start
    finally:
        stop.set()
        thread.join()
    during = [t for t in stamps if start <= t <= start + took]
    gaps = np.diff(during)
    # Held, the GIL would stop the ticker for a whole read; released, it stalls only as
    # long as the scheduler makes it wait (a loaded machine's tens of milliseconds).
    assert longest > 0.2, f"a read took only {longest * 1000:.0f} ms: too short to tell"
    assert gaps.max() < longest / 2, f"the ticker stalled {gaps.max() * 1000:.0f} ms; a read takes {longest * 1000:.0f} ms"


def test_reads_on_several_threads(tmp_path):
    path = big_file(tmp_path)
    expected = pq.read_table(path, columns=["a"]).column("a").to_numpy().sum()
    with ThreadPoolExecutor(4) as pool:
        sums = list(pool.map(lambda _: pq.read_table(path, columns=["a"]).column("a").to_numpy().sum(), range(8)))
    assert sums == [expected] * 8

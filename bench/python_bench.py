"""Python benchmarks (bench/python-bench.sh runs them beside the C++ reads):

  read FILE THREADS           pq.read_table(FILE) into a parkett Table, once, in a fresh
                              process (as parkett-bench stream reads: the same page faults)
  pandas FILE THREADS         one read into pandas (read_table + to_pandas(self_destruct)):
                              seconds and the process's peak RSS (run in a fresh process)
  dask ROOT WORKERS RUNS      a Dask read of the dataset ROOT on a LocalCluster of WORKERS
                              processes (one thread each), against the single-process read

Each prints one JSON line.
"""
import json
import resource
import statistics
import sys
import time


def timed(fn, runs):
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def read(path, threads):
    import parkett.parquet as pq
    start = time.perf_counter()
    rows = pq.read_table(path, use_threads=int(threads) != 1).num_rows
    seconds = time.perf_counter() - start
    print(json.dumps({"what": "python_read", "rows": rows, "threads": int(threads), "seconds": seconds,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def pandas(path, threads):
    import pandas  # noqa: F401  (imported before timing)
    import parkett.parquet as pq
    start = time.perf_counter()
    frame = pq.read_table(path, use_threads=int(threads) != 1).to_pandas(self_destruct=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"what": "python_pandas", "threads": int(threads), "rows": len(frame), "seconds": seconds,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def dask(root, workers, runs):
    import distributed
    import parkett.dask as pdask
    import parkett.parquet as pq
    with distributed.LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        ddf = pdask.read_parquet(root)
        parts = ddf.npartitions
        # Every column read and converted on the workers; only a number per partition comes
        # back (a function of all columns, so that nothing is projected away).
        on_workers = ddf.map_partitions(lambda df: int(df.memory_usage(index=False, deep=False).sum()))
        on_workers.compute()  # workers started and warm
        rows_on_workers = timed(lambda: on_workers.compute(), int(runs))
        to_client = timed(lambda: ddf.compute(), int(runs))
    single_table = timed(lambda: pq.read_table(root, use_threads=False), int(runs))
    single_pandas = timed(lambda: pq.read_table(root, use_threads=False).to_pandas(self_destruct=True), int(runs))
    print(json.dumps({"what": "dask", "partitions": parts, "workers": int(workers),
                      "dask_read_on_workers_s": statistics.median(rows_on_workers),
                      "dask_read_to_client_pandas_s": statistics.median(to_client),
                      "single_process_table_s": statistics.median(single_table),
                      "single_process_pandas_s": statistics.median(single_pandas)}))


if __name__ == "__main__":
    {"read": read, "pandas": pandas, "dask": dask}[sys.argv[1]](*sys.argv[2:])

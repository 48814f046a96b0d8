"""Reading into pandas does not hold two copies of the data longer than needed: with
self_destruct, each column's parkett buffers go as soon as that column is converted, so the
peak is about one copy of the data plus one column, not two copies. Measured as the
process's peak resident memory (VmHWM) in a fresh interpreter."""
import subprocess
import sys
import textwrap

import parkett
import parkett.parquet as pq

COLUMNS, ROWS = 8, 2_000_000
DATA = COLUMNS * ROWS * 8  # bytes of values (int64 and float64 columns)

CHILD = textwrap.dedent("""
    import sys
    import parkett.parquet as pq
    def hwm():
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM"))
    def reset():
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # restart the peak at the current resident size
    import pandas  # noqa: F401  (imported before measuring)
    reset()
    base = hwm()
    frame = pq.read_table(sys.argv[1], use_threads=False).to_pandas(self_destruct=sys.argv[2] == "1")
    print(hwm() - base, frame.shape[0])
""")


def peak(path, self_destruct):
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), "1" if self_destruct else "0"], check=True,
                         capture_output=True, text=True).stdout.split()
    assert int(out[1]) == ROWS
    return int(out[0])


def test_reading_into_pandas_holds_one_copy(tmp_path):
    import numpy as np
    path = tmp_path / "m.parquet"
    data = {f"c{i}": (np.arange(ROWS, dtype="i8") * (i + 1)) if i % 2 else np.random.default_rng(i).random(ROWS)
            for i in range(COLUMNS)}
    # Row groups of 500,000 rows: every column is 4 chunks, which pandas needs as one array
    # (a copy); the copy must not coexist with the whole table.
    pq.write_table(parkett.table(data), path, row_group_size=500_000, compression="none", use_dictionary=False)
    one_copy = peak(path, True)
    two_copies = peak(path, False)
    assert one_copy < 1.5 * DATA, f"peak {one_copy / 2**20:.0f} MiB for {DATA / 2**20:.0f} MiB of data"
    assert two_copies > 1.8 * DATA  # what holding both copies costs, for comparison

"""What parkett tells about a file without reading its pages, from Python: bloom filter
probes, the page index, and aggregates from statistics alone; and all-or-nothing writes of
several files (write_tables)."""
import os

import pytest

import parkett
import parkett.parquet as pq


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "i.parquet"
    pq.write_table(parkett.table({"id": list(range(10000)), "name": [f"k{i % 100}" for i in range(10000)]}), p,
                   row_group_size=5000, bloom_filter={"fpp": 0.01}, data_page_size=4096)
    return p


def test_bloom_filter_probes(path):
    f = pq.ParquetFile(path)
    assert f.bloom_filter_contains(0, "id", 1234) is True
    assert f.bloom_filter_contains(1, "name", "k7") is True
    # 100 absent values: with fpp 0.01 nearly all are certainly absent.
    absent = sum(f.bloom_filter_contains(0, "id", v) is False for v in range(20000, 20100))
    assert absent >= 90
    pq.write_table(parkett.table({"id": [1]}), path)
    assert pq.ParquetFile(path).bloom_filter_contains(0, 0, 1) is None  # no filter written
    with pytest.raises(parkett.InvalidArgumentError):
        f.bloom_filter_contains(0, "id", "text")


def test_page_index(path):
    f = pq.ParquetFile(path)
    pages = f.offset_index(0, "id")
    assert len(pages) > 1 and pages[0][2] == 0 and all(a[2] < b[2] for a, b in zip(pages, pages[1:]))
    ci = f.column_index(1, "id")
    assert ci["boundary_order"] == "ascending"
    assert ci["min_values"][0] == 5000 and ci["max_values"][-1] == 9999
    assert ci["null_counts"] == [0] * len(ci["min_values"])
    pq.write_table(parkett.table({"id": [1]}), path, write_page_index=False)
    assert pq.ParquetFile(path).column_index(0, 0) is None


def test_aggregates_from_statistics(path, tmp_path):
    other = tmp_path / "o.parquet"
    pq.write_table(parkett.table({"id": [-5, None], "name": ["a", None]}), other)
    [ids] = pq.aggregate_statistics([path, other], columns=["id"])
    assert (ids["rows"], ids["null_count"], ids["min"], ids["max"], ids["exact"]) == (10002, 1, "-5", "9999", True)
    with pytest.raises(parkett.InvalidArgumentError):
        pq.aggregate_statistics(path, columns=["nope"])


def test_write_tables_is_all_or_nothing(tmp_path):
    a = parkett.table({"x": [1, 2]})
    b = parkett.table({"x": [3]})
    paths = [tmp_path / "a.parquet", tmp_path / "b.parquet"]
    footers = pq.write_tables([a, b], paths, compression="zstd")
    assert [m.num_rows for m in footers] == [2, 1]
    assert pq.read_table(paths[1]).to_pydict() == {"x": [3]}
    with pytest.raises(parkett.InvalidArgumentError):
        pq.write_tables([a, parkett.table({"y": [1]})], [tmp_path / "c.parquet", tmp_path / "d.parquet"])
    assert not os.path.exists(tmp_path / "c.parquet")

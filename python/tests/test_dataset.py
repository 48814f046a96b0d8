"""Datasets from Python: partitioned writes (write_to_dataset), reads of directories with
partition pruning and filters (read_table, ParquetDataset), _metadata written from the
collected footers (write_metadata) and used to plan reads."""
import os

import pytest

import parkett
import parkett.parquet as pq


def sales(n=600):
    return parkett.table({
        "id": list(range(n)),
        "year": [2022 + i % 3 for i in range(n)],
        "region": [["north", "south/west"][i % 2] for i in range(n)],
        "amount": [i * 1.5 for i in range(n)],
    })


def files_below(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def test_partitioned_write_and_read_back(tmp_path):
    root = tmp_path / "sales"
    written = pq.write_to_dataset(sales(), root, partition_cols=["year", "region"])
    names = files_below(root)
    assert len(names) == 6 and len(written) == 6
    assert any(n.startswith("year=2023/region=south%2Fwest/") for n in names)  # URL-encoded as hive does
    back = pq.read_table(root)
    assert back.num_rows == 600
    assert set(back.column_names) == {"id", "amount", "year", "region"}
    rows = sorted(back.to_pylist(), key=lambda r: r["id"])
    assert rows == sorted(sales().to_pylist(), key=lambda r: r["id"])


def test_filters_prune_partitions_before_opening_files(tmp_path):
    root = tmp_path / "sales"
    pq.write_to_dataset(sales(), root, partition_cols=["year"])
    ds = pq.ParquetDataset(root, filters=[("year", "=", 2024), ("amount", ">", 800.0)])
    got = ds.read().to_pylist()
    assert sorted(r["id"] for r in got) == [i for i in range(600) if 2022 + i % 3 == 2024 and i * 1.5 > 800]
    reader = ds.iter_batches()
    for _ in reader:
        pass
    assert reader.counts["files_skipped"] == 2 and reader.counts["files_read"] == 1


def test_existing_data_behaviors(tmp_path):
    root = tmp_path / "d"
    pq.write_to_dataset(sales(30), root, partition_cols=["year"], basename_template="part-{i}.parquet")
    with pytest.raises(parkett.ParkettError):
        pq.write_to_dataset(sales(30), root, partition_cols=["year"], existing_data_behavior="error")
    pq.write_to_dataset(sales(30), root, partition_cols=["year"], basename_template="part-{i}.parquet")
    assert pq.read_table(root).num_rows == 30  # same names overwritten
    pq.write_to_dataset(sales(30), root, partition_cols=["year"])  # fresh uuid names: appended
    assert pq.read_table(root).num_rows == 60
    pq.write_to_dataset(sales(30), root, partition_cols=["year"], existing_data_behavior="delete_matching")
    assert pq.read_table(root).num_rows == 30


def test_metadata_collector_and_metadata_file(tmp_path):
    root = tmp_path / "m"
    collected = []
    visited = []
    pq.write_to_dataset(sales(), root, partition_cols=["year"], metadata_collector=collected,
                        file_visitor=lambda f: visited.append(f.path))
    assert len(collected) == 3 and sorted(visited) == sorted(str(root / f) for f in files_below(root))
    pq.write_metadata(sales().select(["id", "region", "amount"]).schema, root / "_metadata", metadata_collector=collected)
    md = pq.read_metadata(root / "_metadata")
    assert md.num_rows == 600 and md.num_row_groups == 3
    paths = {md.row_group(i).column(0).file_path for i in range(3)}
    assert paths == {f for f in files_below(root) if not f.startswith("_")}
    pq.write_metadata(sales().schema, root / "_common_metadata")
    assert pq.read_metadata(root / "_common_metadata").num_rows == 0
    assert pq.read_table(root, filters=[("year", "=", 2022)]).num_rows == 200


def test_list_of_files_and_union_schemas(tmp_path):
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pq.write_table(parkett.table({"x": [1, 2]}), a)
    pq.write_table(parkett.table({"x": [3], "y": ["new"]}), b)
    with pytest.raises(parkett.ParkettError, match="y"):
        pq.read_table([str(a), str(b)])
    t = pq.read_table([a, b], schema_merge="union")
    assert t.to_pydict() == {"x": [1, 2, 3], "y": [None, None, "new"]}
    ds = pq.ParquetDataset([a, b], schema_merge="union")
    assert ds.files == [str(a), str(b)] and ds.fragment_rows() == [2, 1]


def test_directory_partitioning(tmp_path):
    root = tmp_path / "dir"
    pq.write_to_dataset(sales(30), root, partitioning=["year"], partitioning_flavor=None)
    assert all(n.split("/")[0] in ("2022", "2023", "2024") for n in files_below(root))
    t = pq.read_table(root, partitioning=["year"])
    assert sorted(set(t.column("year").to_pylist())) == [2022, 2023, 2024]


def test_pandas_dataset_round_trip(tmp_path):
    import pandas as pd
    df = pd.DataFrame({"k": ["a", "b"] * 5, "v": range(10)})
    pq.write_to_dataset(parkett.Table.from_pandas(df), tmp_path / "p", partition_cols=["k"])
    back = pq.ParquetDataset(tmp_path / "p").read_pandas().sort_values("v").reset_index(drop=True)
    assert back["v"].tolist() == list(range(10)) and back["k"].astype(str).tolist() == df["k"].tolist()

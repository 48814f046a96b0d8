"""Dask on a distributed.LocalCluster with two worker processes on 127.0.0.1: a
hive-partitioned lineitem (DuckDB's generator, shared/peers/gen-data.mjs) read with a
filter equals the single-process read; partitions follow files and row groups; divisions
are known for a sorted index; a Dask write is read back identically by DuckDB."""
import json
import os
import pathlib
import subprocess

import pandas as pd
import pandas.testing as pdt
import pytest

distributed = pytest.importorskip("distributed")

import parkett  # noqa: E402
import parkett.dask as pdask  # noqa: E402
import parkett.parquet as pq  # noqa: E402
from conftest import ROOT  # noqa: E402

PEERS_SOURCE = ROOT.parent / "shared" / "peers"


@pytest.fixture(scope="module")
def client():
    # Worker processes import parkett through PYTHONPATH (scripts/run-tests exports it).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def peers():
    """The node peers (DuckDB), installed from the npm registry on first use."""
    d = pathlib.Path(os.environ.get("PARKETT_PEERS_DIR", ROOT / "build-peers"))
    if not (d / "node_modules" / "@duckdb" / "node-api").is_dir():
        subprocess.run(["bash", str(PEERS_SOURCE / "setup.sh"), str(d)], check=True, capture_output=True)
    return d


@pytest.fixture(scope="module")
def lineitem(tmp_path_factory, peers):
    """A small lineitem (0.5 % of SF1, about 30,000 rows) from DuckDB, written by parkett as
    a hive dataset partitioned by return flag and line status."""
    out = tmp_path_factory.mktemp("lineitem")
    subprocess.run(["node", str(peers / "gen-data.mjs"), str(out), "--only=lineitem", "--rows-scale=0.005"],
                   check=True, capture_output=True, cwd=peers)
    source = out / "lineitem_sf1.snappy.parquet"
    root = out / "hive"
    pq.write_to_dataset(pq.read_table(source), root, partition_cols=["l_returnflag", "l_linestatus"],
                        row_group_size=2000)
    return source, root


def sort(frame, *keys):
    return frame.sort_values(list(keys)).reset_index(drop=True)


def test_filtered_read_equals_the_single_process_read(client, lineitem):
    _, root = lineitem
    filters = [("l_returnflag", "=", "R"), ("l_quantity", "<", 10)]
    ddf = pdask.read_parquet(root, filters=filters)
    assert ddf.npartitions == 1  # the other partitions' files are never planned
    got = ddf.compute()
    want = pq.read_table(root, filters=filters).to_pandas(types_from_schema=True)
    assert len(got) > 100
    pdt.assert_frame_equal(sort(got, "l_orderkey", "l_linenumber"), sort(want, "l_orderkey", "l_linenumber"),
                           check_categorical=False)


def test_row_group_partitions_and_projection(client, lineitem):
    _, root = lineitem
    whole = pdask.read_parquet(root, columns=["l_orderkey", "l_extendedprice", "l_linestatus"])
    split = pdask.read_parquet(root, columns=["l_orderkey", "l_extendedprice", "l_linestatus"], split_row_groups=True)
    assert split.npartitions > whole.npartitions == 4
    assert list(split.columns) == ["l_orderkey", "l_extendedprice", "l_linestatus"]
    a = sort(split.compute(), "l_orderkey", "l_extendedprice")
    b = sort(whole.compute(), "l_orderkey", "l_extendedprice")
    pdt.assert_frame_equal(a, b)
    assert split["l_extendedprice"].sum().compute() == pytest.approx(b["l_extendedprice"].sum())


def test_sorted_index_gives_known_divisions(client, tmp_path):
    path = tmp_path / "sorted.parquet"
    pq.write_table(parkett.table({"k": list(range(0, 30000, 3)), "v": [i % 17 for i in range(10000)]}), path,
                   row_group_size=1000)
    ddf = pdask.read_parquet(path, index="k", split_row_groups=2)
    assert ddf.npartitions == 5 and ddf.known_divisions
    assert ddf.divisions[0] == 0 and ddf.divisions[-1] == 29997
    assert ddf.loc[3000:3030].compute()["v"].tolist() == [i % 17 for i in range(1000, 1011)]


def test_a_dask_write_is_read_back_by_duckdb(client, tmp_path, peers):
    frame = pd.DataFrame({"id": range(5000), "grp": [f"g{i % 4}" for i in range(5000)],
                          "x": [i / 7 for i in range(5000)], "n": pd.array([None if i % 9 == 0 else i for i in range(5000)],
                                                                            dtype="Int64")})
    ddf = distributed.Client.current().persist(pdask.dd.from_pandas(frame, npartitions=5))
    root = tmp_path / "out"
    files = pdask.to_parquet(ddf, root, partition_on=["grp"], write_index=False, compression="zstd")
    assert files == 20 and (root / "_metadata").exists() and (root / "_common_metadata").exists()
    assert pq.read_metadata(root / "_metadata").num_rows == 5000
    back = pdask.read_parquet(root).compute()
    # Nullable columns read as pandas' masked dtypes in every partition (Int64, not int64).
    pdt.assert_frame_equal(sort(back[["id", "x", "n"]], "id"), frame[["id", "x", "n"]].astype({"id": "Int64"}))
    script = (
        "import { DuckDBInstance } from '@duckdb/node-api';"
        "const con = await (await DuckDBInstance.create(':memory:')).connect();"
        f"const r = await con.runAndReadAll(\"SELECT id, grp, x, n FROM read_parquet('{root}/**/*.parquet', "
        "hive_partitioning = true) ORDER BY id\");"
        "console.log(JSON.stringify(r.getRows().map(row => row.map(v => v === null ? null : String(v)))));")
    rows = json.loads(subprocess.run(["node", "--input-type=module", "-e", script], cwd=peers, check=True,
                                     capture_output=True, text=True).stdout)
    assert len(rows) == 5000
    for i in (0, 1, 9, 4999):
        assert rows[i][0] == str(i) and rows[i][1] == f"g{i % 4}"
        assert float(rows[i][2]) == frame["x"][i]
        assert rows[i][3] == (None if i % 9 == 0 else str(i))
    assert [r[0] for r in rows] == [str(i) for i in range(5000)]
    assert all(float(r[2]) == v for r, v in zip(rows, frame["x"]))


def test_workers_read_from_s3(client, s3_bucket):
    endpoint, bucket, settings = s3_bucket
    root = f"s3://{bucket}/ds"
    table = parkett.table({"id": list(range(3000)), "k": [i % 3 for i in range(3000)], "v": [i * 0.25 for i in range(3000)]})
    collected = []
    pq.write_to_dataset(table, root, partition_cols=["k"], s3_options=settings, metadata_collector=collected)
    pq.write_metadata(table.select(["id", "v"]).schema, root + "/_metadata", metadata_collector=collected,
                      s3_options=settings)
    # fsspec-style storage_options, as Dask users pass them: plain data the tasks carry.
    storage = {"key": "testing", "secret": "testing",
               "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"}}
    ddf = pdask.read_parquet(root + "/", filters=[("k", "!=", 1)], storage_options=storage, split_row_groups=True)
    got = ddf.compute().sort_values("id")
    assert got["id"].tolist() == [i for i in range(3000) if i % 3 != 1]
    assert got["v"].tolist() == [i * 0.25 for i in range(3000) if i % 3 != 1]

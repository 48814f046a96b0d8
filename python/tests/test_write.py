"""Writing from Python: pyarrow's write_table keywords reach the file (checked in the
footer parkett reads back, and by reading the values back), ParquetWriter streams tables
and leaves nothing behind when it fails, and file objects receive whole files."""
import datetime as dt
import decimal
import io
import os

import pytest

import parkett
import parkett.parquet as pq


def sample(n=1000):
    return parkett.table({
        "id": list(range(n)),
        "name": [f"n{i % 7}" for i in range(n)],
        "x": [i * 0.5 for i in range(n)],
        "maybe": [None if i % 3 == 0 else i for i in range(n)],
    })


def chunk(path, column, row_group=0):
    md = pq.read_metadata(path)
    names = [md.schema.column(i)["path"] for i in range(md.num_columns)]
    return md.row_group(row_group).column(names.index(column))


def test_round_trip_of_values(tmp_path):
    path = tmp_path / "t.parquet"
    t = sample()
    pq.write_table(t, path)
    assert pq.read_table(path).to_pydict() == t.to_pydict()
    assert pq.read_table(str(path), columns=["maybe"]).column("maybe").to_pylist()[:4] == [None, 1, 2, None]


def test_compression_per_column_and_level(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(sample(), path, compression={"id": "zstd", "name": "gzip", "x": "none", "maybe": "snappy"},
                   compression_level={"id": 19})
    assert chunk(path, "id").compression == "ZSTD"
    assert chunk(path, "name").compression == "GZIP"
    assert chunk(path, "x").compression == "UNCOMPRESSED"
    assert chunk(path, "maybe").compression == "SNAPPY"
    pq.write_table(sample(), path, compression="brotli", compression_level=5)
    assert {chunk(path, c).compression for c in ("id", "name", "x")} == {"BROTLI"}
    with pytest.raises(parkett.InvalidArgumentError):
        pq.write_table(sample(), path, compression="zstd", compression_level=99)


def test_dictionary_encodings_and_statistics(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(sample(), path, use_dictionary=["name"], write_statistics=["id"],
                   column_encoding={"x": "BYTE_STREAM_SPLIT", "id": "DELTA_BINARY_PACKED"})
    assert chunk(path, "name").has_dictionary_page
    assert not chunk(path, "x").has_dictionary_page
    assert "BYTE_STREAM_SPLIT" in chunk(path, "x").encodings
    assert "DELTA_BINARY_PACKED" in chunk(path, "id").encodings
    stats = chunk(path, "id").statistics
    assert (stats.min, stats.max, stats.null_count) == (0, 999, 0)
    assert chunk(path, "x").statistics is None
    pq.write_table(sample(), path, use_byte_stream_split=["x"], use_dictionary=False)
    assert "BYTE_STREAM_SPLIT" in chunk(path, "x").encodings and not chunk(path, "name").has_dictionary_page


def test_row_groups_pages_and_indexes(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(sample(), path, row_group_size=300, data_page_version="2.0", write_page_index=False,
                   write_page_checksum=True, sorting_columns=[pq.SortingColumn(0)])
    md = pq.read_metadata(path)
    assert md.num_row_groups == 4 and [md.row_group(i).num_rows for i in range(4)] == [300, 300, 300, 100]
    assert md.row_group(0).sorting_columns == [(0, False, False)]
    assert not chunk(path, "id").has_column_index
    pq.write_table(sample(), path)
    assert chunk(path, "id").has_column_index  # parkett writes page indexes by default
    # CRCs written: reading with verification passes.
    pq.write_table(sample(), path, write_page_checksum=True)
    assert pq.read_table(path, page_checksum_verification=True).num_rows == 1000


def test_versions_and_timestamps(tmp_path):
    path = tmp_path / "t.parquet"
    t = parkett.table({"u": parkett.Table.from_arrays([[1, 2]], names=["u"],
                                                      schema=parkett.schema([("u", parkett.uint32())])).column("u"),
                       "ts": [dt.datetime(2024, 1, 2, 3, 4, 5, 123456), None]})
    pq.write_table(t, path, version="1.0")
    assert pq.read_metadata(path).schema.column(0)["physical_type"] == "INT64"  # UINT32 widened for 1.0 readers
    pq.write_table(t, path, coerce_timestamps="ms", allow_truncated_timestamps=True)
    assert pq.read_table(path).column("ts").to_pylist()[0] == dt.datetime(2024, 1, 2, 3, 4, 5, 123000)
    with pytest.raises(parkett.InvalidArgumentError):
        pq.write_table(t, path, coerce_timestamps="ms")  # would lose microseconds
    pq.write_table(t, path, use_deprecated_int96_timestamps=True)
    assert chunk(path, "ts").physical_type == "INT96"


def test_metadata_and_arrow_schema(tmp_path):
    path = tmp_path / "t.parquet"
    t = parkett.table({"ts": [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)], "d": [decimal.Decimal("1.25")]})
    pq.write_table(t, path, metadata={"owner": "me"})
    assert pq.read_metadata(path).metadata[b"owner"] == b"me"
    assert str(pq.read_schema(path).field("ts").type) == "timestamp[us, tz=UTC]"
    assert pq.read_table(path).column("d").to_pylist() == [decimal.Decimal("1.25")]
    pq.write_table(t, path, store_schema=False)
    assert b"ARROW:schema" not in (pq.read_metadata(path).metadata or {})


def test_parquet_writer_streams_tables(tmp_path):
    path = tmp_path / "w.parquet"
    t = sample(100)
    with pq.ParquetWriter(path, t.schema, compression="zstd") as w:
        for _ in range(3):
            w.write_table(t)
        for b in t.to_batches():
            w.write_batch(b)
    assert w.metadata.num_rows == 400
    assert pq.read_table(path).num_rows == 400


def test_a_failed_write_leaves_no_file(tmp_path):
    path = tmp_path / "w.parquet"
    t = sample(10)
    with pytest.raises(RuntimeError):
        with pq.ParquetWriter(path, t.schema) as w:
            w.write_table(t)
            raise RuntimeError("stop")
    assert os.listdir(tmp_path) == []
    other = parkett.table({"z": [1]})
    with pytest.raises(parkett.InvalidArgumentError):
        with pq.ParquetWriter(path, t.schema) as w:
            w.write_table(other)  # another schema
    assert os.listdir(tmp_path) == []


def test_file_objects(tmp_path):
    sink = io.BytesIO()
    pq.write_table(sample(50), sink)
    data = sink.getvalue()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    assert pq.read_table(io.BytesIO(data)).to_pydict() == sample(50).to_pydict()
    assert pq.read_table(data).num_rows == 50
    with open(tmp_path / "f.parquet", "wb") as f:
        pq.write_table(sample(5), f)
    with open(tmp_path / "f.parquet", "rb") as f:
        assert pq.ParquetFile(f).metadata.num_rows == 5


def test_python_values_are_checked_not_wrapped(tmp_path):
    big = parkett.table({"u": [2**63, 1]})
    assert str(big.schema.field("u").type) == "uint64" and big.to_pydict() == {"u": [2**63, 1]}
    with pytest.raises(parkett.InvalidArgumentError):
        parkett.Table.from_pydict({"u": [-1.0]}, schema=parkett.schema([("u", parkett.uint64())]))
    with pytest.raises(parkett.InvalidArgumentError):
        parkett.Table.from_pydict({"i": [float("inf")]}, schema=parkett.schema([("i", parkett.int64())]))
    with pytest.raises(parkett.InvalidArgumentError):
        parkett.Table.from_pydict({"i": [2**64]})
    import numpy as np
    assert str(parkett.table({"b": list(np.array([True, False]))}).schema.field("b").type) == "bool"
    assert str(parkett.table({"f": [np.float32(1.5)]}).schema.field("f").type) == "double"
    # Decimals of more digits than Decimal's default context keeps, both ways.
    wide = decimal.Decimal("123456789012345678901234567890123456.78")
    t = parkett.Table.from_pydict({"d": [wide, decimal.Decimal("-0.01")]},
                                  schema=parkett.schema([("d", parkett.decimal256(40, 2))]))
    pq.write_table(t, tmp_path / "d.parquet")
    assert pq.read_table(tmp_path / "d.parquet").column("d").to_pylist() == [wide, decimal.Decimal("-0.01")]
    with pytest.raises(parkett.InvalidArgumentError):
        parkett.Table.from_pydict({"d": [decimal.Decimal("1.234")]},
                                  schema=parkett.schema([("d", parkett.decimal128(10, 2))]))


def test_unknown_and_unsupported_keywords():
    with pytest.raises(TypeError, match="no_such_option"):
        pq.write_table(sample(1), "/tmp/never.parquet", no_such_option=1)
    with pytest.raises(NotImplementedError):
        pq.write_table(sample(1), "/tmp/never.parquet", use_compliant_nested_type=False)
    with pytest.raises(parkett.InvalidArgumentError, match="encoding"):
        pq.write_table(sample(1), "/tmp/never.parquet", column_encoding="NOPE")
    assert not os.path.exists("/tmp/never.parquet")


def test_parkett_options_pass_through(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(sample(), path, bloom_filter={"fpp": 0.01}, row_group_bytes=1 << 20, created_by="me")
    assert pq.read_metadata(path).created_by == "me"
    assert chunk(path, "id").bloom_filter_offset is not None

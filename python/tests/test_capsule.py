"""The Arrow PyCapsule interface both ways: what parkett exports is consumed by a plain
ctypes consumer (the protocol as any Arrow library follows it: capsule names, moving the
structure out, releasing), and parkett imports others' capsules without copying."""
import gc

import numpy as np
import pytest

import parkett
import parkett.parquet as pq
from arrow_stream import consume
from conftest import CORPUS

PLAIN = str(CORPUS / "data/alltypes_plain.parquet")


def test_version():
    assert parkett.__version__.count(".") == 2


def test_stream_hands_every_row_to_a_consumer():
    # alltypes_plain: 8 rows, 11 columns, no nulls (its canonical dump).
    table = pq.read_table(PLAIN)
    fields, batches = consume(table)
    assert [name for name, _ in fields][:3] == ["id", "bool_col", "tinyint_col"]
    assert dict(fields)["id"] == "i" and dict(fields)["string_col"] == "z"
    assert sum(length for length, _ in batches) == 8 == table.num_rows
    assert all(n == 0 for _, nulls in batches for n in nulls)


def test_batch_reader_streams_batches_of_the_asked_size():
    reader = pq.ParquetFile(CORPUS / "data/alltypes_tiny_pages.parquet").iter_batches(batch_size=1000, columns=["id"])
    fields, batches = consume(reader)
    assert fields == [("id", "i")]
    assert sum(n for n, _ in batches) == 7300 and max(n for n, _ in batches) <= 1000
    with pytest.raises(parkett.InvalidArgumentError, match="used up"):
        next(reader)


def test_unconsumed_capsules_release_their_structures():
    table = pq.read_table(PLAIN, columns=["id"])
    batch = table.to_batches()[0]
    for _ in range(2000):
        table.__arrow_c_stream__()  # dropped: the destructor releases the stream
        table.__arrow_c_schema__()
        batch.__arrow_c_array__()
    gc.collect()


class StreamProducer:
    """An object that is not a parkett Table but implements the stream interface."""

    def __init__(self, obj):
        self.obj = obj

    def __arrow_c_stream__(self, requested_schema=None):
        return self.obj.__arrow_c_stream__()


class ArrayProducer:
    """One record batch through __arrow_c_array__."""

    def __init__(self, obj):
        self.obj = obj

    def __arrow_c_array__(self, requested_schema=None):
        return self.obj.__arrow_c_array__()


def test_tables_import_capsules_and_keep_the_memory_alive():
    table = pq.read_table(PLAIN)
    via_stream = parkett.Table.from_arrow(StreamProducer(table))
    via_array = parkett.Table.from_arrow(ArrayProducer(table.to_batches()[0]))
    del table
    gc.collect()
    expected = pq.read_table(PLAIN).to_pydict()
    assert via_stream.to_pydict() == expected
    assert via_array.to_pydict() == expected
    assert via_stream.schema == pq.read_table(PLAIN).schema


def test_a_consumed_capsule_cannot_be_imported_twice():
    capsule = pq.read_table(PLAIN).__arrow_c_stream__()

    class Same:
        def __arrow_c_stream__(self, requested_schema=None):
            return capsule

    parkett.Table.from_arrow(Same())
    with pytest.raises(parkett.InvalidArgumentError, match="already consumed"):
        parkett.Table.from_arrow(Same())


def test_a_wrongly_named_capsule_is_refused():
    class Wrong:
        def __arrow_c_stream__(self, requested_schema=None):
            return pq.read_table(PLAIN).__arrow_c_schema__()  # an "arrow_schema" capsule

    with pytest.raises(ValueError):
        parkett.Table.from_arrow(Wrong())


def test_requested_schema_of_another_shape_is_an_error():
    table = pq.read_table(PLAIN, columns=["id", "bool_col"])
    other = pq.read_table(PLAIN, columns=["id"])
    table.__arrow_c_stream__(table.__arrow_c_schema__())  # its own schema is fine
    with pytest.raises(parkett.InvalidArgumentError, match="requested_schema has 1 fields"):
        table.__arrow_c_stream__(other.__arrow_c_schema__())


def test_not_an_arrow_object():
    with pytest.raises(parkett.InvalidArgumentError, match="expected a parkett Table or an object with __arrow_c_stream__"):
        parkett.Table.from_arrow(42)


def test_to_numpy_is_a_view_of_a_single_null_free_chunk():
    table = pq.read_table(PLAIN, columns=["id", "double_col"])
    ids = table.column("id").to_numpy(zero_copy_only=True)
    assert ids.dtype == np.int32 and list(ids) == [4, 5, 6, 7, 2, 3, 0, 1]
    assert not ids.flags.owndata  # a view: parkett's buffer is its base
    assert not ids.flags.writeable  # the table's memory (perhaps another library's) is not written
    del table
    gc.collect()
    assert list(ids) == [4, 5, 6, 7, 2, 3, 0, 1]  # the view keeps the buffer alive


def test_to_numpy_copies_only_when_allowed():
    table = pq.read_table(CORPUS / "data/alltypes_tiny_pages.parquet", columns=["id", "string_col"])
    two_chunks = parkett.Table.from_batches(table.to_batches() + table.to_batches())
    with pytest.raises(parkett.InvalidArgumentError, match="chunks"):
        two_chunks.column("id").to_numpy(zero_copy_only=True)
    assert len(two_chunks.column("id").to_numpy()) == 2 * table.num_rows
    with pytest.raises(parkett.InvalidArgumentError, match="no dtype"):
        table.column("string_col").to_numpy(zero_copy_only=True)
    assert table.column("string_col").to_numpy().dtype == object


def test_nulls_become_nan_nat_or_none():
    t = parkett.table({"i": [1, None, 3], "f": [1.5, None, 2.5], "b": [True, None, False],
                       "s": ["a", None, "c"]})
    i = t.column("i").to_numpy()
    assert i.dtype == np.float64 and np.isnan(i[1]) and i[2] == 3
    assert np.isnan(t.column("f").to_numpy()[1])
    assert list(t.column("b").to_numpy()) == [True, None, False]
    assert list(t.column("s").to_numpy()) == ["a", None, "c"]

"""parkett: a fast Parquet library (C++20), with pyarrow.parquet's API.

    import parkett.parquet as pq
    table = pq.read_table("data.parquet", columns=["a"], filters=[("a", ">", 3)])
    df = table.to_pandas()
    pq.write_table(parkett.Table.from_pandas(df), "out.parquet", compression="zstd")

Tables hand their data to pyarrow, polars, DuckDB and nanoarrow without copying (the Arrow
PyCapsule interface: ``pyarrow.table(t)``, ``polars.from_arrow(t)``), and take theirs the
same way (``parkett.Table.from_arrow(obj)``; writers accept such objects directly).
"""
from . import _parkett
from ._parkett import (  # noqa: F401
    Column, CorruptFileError, CryptoError, DataType, Field, FileMetaData, InternalError, InvalidArgumentError,
    NotFoundError, ParkettError, ParkettIOError, ParquetSchema, RecordBatch, RecordBatchReader,
    ResourceLimitError, Schema, Table, UnsupportedError,
    binary, bool_, date32, decimal128, decimal256, dictionary, field, float16, float32, float64, int8, int16, int32,
    int64, large_binary, large_list, large_string, list_, map_, month_day_nano_interval, null, schema, string, struct,
    time32, time64, timestamp, uint8, uint16, uint32, uint64, utf8,
)
from . import _tables

_tables.install()

from .fs import LocalFileSystem, S3FileSystem, S3Options  # noqa: E402,F401
from . import parquet  # noqa: E402,F401
from .parquet import (  # noqa: E402,F401
    ParquetDataset, ParquetFile, ParquetWriter, Partitioning, SortingColumn, aggregate_statistics, read_metadata,
    read_pandas, read_schema, read_table, write_metadata, write_table, write_tables, write_to_dataset,
)

__version__ = _parkett.version()

_pool_limit = 1 << 30


def set_buffer_pool_limit(nbytes):
    """Freed buffers of 1 MiB and more are kept for reuse, up to this many bytes in all
    (default 1 GiB; 0 turns the pool off and frees what it holds)."""
    global _pool_limit
    _pool_limit = int(nbytes)
    _parkett._set_buffer_pool_limit(_pool_limit)


def buffer_pool_limit():
    """The limit set_buffer_pool_limit set (1 GiB by default)."""
    return _pool_limit


def table(data, schema=None, metadata=None):
    """A Table from a dict of columns, a pandas DataFrame, or any Arrow PyCapsule object."""
    if isinstance(data, dict):
        return Table.from_pydict(data, schema=schema, metadata=metadata)
    try:
        import pandas as pd
        if isinstance(data, pd.DataFrame):
            return Table.from_pandas(data, schema=schema)
    except ImportError:  # pragma: no cover
        pass
    return Table.from_arrow(data)

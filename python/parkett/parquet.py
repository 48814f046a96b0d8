"""pyarrow.parquet's API on parkett: the same names and keywords, so that code ports by
changing its import (``import parkett.parquet as pq``).

Where parkett's defaults differ from pyarrow's, parkett's are kept and said in the
docstring: files get a page index (``write_page_index``), decimals of up to 18 digits are
stored as integers (``store_decimal_as_integer``). Keywords pyarrow has and parkett cannot
honour raise NotImplementedError rather than being ignored; keywords that only tune
pyarrow's I/O (``pre_buffer``, ``buffer_size``, thrift limits) are accepted and parkett's
own mechanisms apply. parkett-only options are keyword arguments too (``use_bloom_filter=``,
``binary_as_string=``, ``bloom_filter=``, ``row_group_bytes=`` ...: the names of parkett's
C++ ReadOptions / WriteOptions / DatasetOptions members).
"""
import os
import uuid
from collections import namedtuple

from . import _parkett
from . import fs as _fs
from .filters import filters_to_sql

__all__ = [
    "read_table", "read_pandas", "read_metadata", "read_schema", "ParquetFile", "write_table", "ParquetWriter",
    "ParquetDataset", "write_to_dataset", "write_metadata", "SortingColumn", "FileMetaData", "write_tables",
    "aggregate_statistics",
]

FileMetaData = _parkett.FileMetaData
SortingColumn = namedtuple("SortingColumn", ["column_index", "descending", "nulls_first"], defaults=[False, False])
SortingColumn.__doc__ = "A column the rows of every row group are sorted by (pyarrow's SortingColumn)."

_OPEN = {"lazy_footer", "memory_map", "footer_read_size", "max_footer_size", "use_arrow_schema", "int96_unit",
         "binary_as_string", "datetime_rebase", "int96_rebase", "all_nullable", "verify_crc", "max_page_size"}
_SCAN = {"column_ids", "use_statistics", "use_bloom_filter", "use_dictionary_filter", "use_data_index",
         "use_page_index", "batch_size", "stream_read_size", "coalesce_gap", "max_coalesced_read", "ordered",
         "read_ahead_bytes", "threads"}
_WRITE = {"compression", "dictionary", "encoding", "max_dictionary_keys", "max_dictionary_bytes", "data_page_version",
          "data_page_size", "max_rows_per_page", "row_group_rows", "row_group_bytes", "statistics",
          "statistics_truncate_length", "page_index", "page_crc", "created_by", "key_value_metadata", "format_version",
          "coerce_timestamps", "allow_truncated_timestamps", "int96_timestamps", "datetime_rebase", "int96_rebase",
          "decimals_as_integers", "spark_flavor", "spark_legacy_format", "rename", "store_arrow_schema",
          "ieee754_total_order", "distinct_count", "bloom_filter", "write_batch_size", "sorting_columns",
          "index_columns", "threads", "columns"}
_DATASET = {"schema_merge", "base_path", "extensions", "metadata_file", "case_insensitive", "skip_unreadable_files",
            "decryption_config"}


def _set_file_path(self, path):
    """Names the data file this footer belongs to, relative to the dataset's root (for
    write_metadata's metadata_collector)."""
    self._file_path = path


FileMetaData.set_file_path = _set_file_path


def _threads(use_threads):
    return 0 if use_threads else 1


def _split(options, *allowed):
    """Splits parkett-only keywords into the groups C++ takes; anything else is an error."""
    groups = [dict() for _ in allowed]
    for key, value in options.items():
        for group, names in zip(groups, allowed):
            if key in names:
                group[key] = value
                break
        else:
            raise TypeError(f"unexpected keyword argument {key!r}")
    return groups


def _open_options(*, memory_map=False, coerce_int96_timestamp_unit=None, decryption_properties=None,
                  page_checksum_verification=False, filesystem=None, s3_options=None, extra=None):
    o = dict(extra or {})
    o["memory_map"] = memory_map
    if coerce_int96_timestamp_unit is not None:
        o["int96_unit"] = coerce_int96_timestamp_unit
    if decryption_properties is not None:
        o["decryption"] = decryption_properties
    if page_checksum_verification:
        o["verify_crc"] = True
    s3 = _fs.s3_dict(filesystem, s3_options)
    if s3:
        o["s3"] = s3
    return o


def _scan_options(*, columns=None, row_groups=None, read_dictionary=None, filters=None, use_threads=True,
                  batch_size=None, buffer_size=0, extra=None):
    o = dict(extra or {})
    if columns is not None:
        o["columns"] = list(columns)
    if row_groups is not None:
        o["row_groups"] = list(row_groups)
    if read_dictionary is not None:
        o["read_dictionary"] = list(read_dictionary)
    text = filters_to_sql(filters)
    if text is not None:
        o["filter"] = text
    o.setdefault("threads", _threads(use_threads))
    if batch_size is not None:
        o["batch_size"] = batch_size
    if buffer_size:
        o["stream_read_size"] = buffer_size
    return o


def _unsupported(name, value, default):
    if value != default and value is not None:
        raise NotImplementedError(f"{name}={value!r} is not supported by parkett")


def _pandas_index_columns(schema):
    import json
    meta = schema.metadata or {}
    if b"pandas" not in meta:
        return []
    try:
        return [c for c in json.loads(meta[b"pandas"]).get("index_columns", []) if isinstance(c, str)]
    except ValueError:
        return []


def _with_index_columns(columns, schema, use_pandas_metadata):
    if columns is None or not use_pandas_metadata:
        return columns
    extra = [c for c in _pandas_index_columns(schema) if c not in columns and c in schema.names]
    return list(columns) + extra


class ParquetFile:
    """One Parquet file (pyarrow.parquet.ParquetFile).

    ``source``: a path (str, pathlib.Path, "s3://bucket/key" with S3 settings), bytes, or a
    binary file object (read whole into memory: parkett reads at offsets from several
    threads, which Python file objects cannot serve). ``metadata``: a FileMetaData of this
    file, so that its footer is not read again.
    """

    def __init__(self, source, *, metadata=None, common_metadata=None, read_dictionary=None, memory_map=False,
                 buffer_size=0, pre_buffer=False, coerce_int96_timestamp_unit=None, decryption_properties=None,
                 thrift_string_size_limit=None, thrift_container_size_limit=None, filesystem=None,
                 page_checksum_verification=False, s3_options=None, **options):
        open_extra, scan_extra = _split(options, _OPEN, _SCAN)
        self._read_dictionary = read_dictionary
        self._buffer_size = buffer_size
        self._scan_extra = scan_extra
        opts = _open_options(memory_map=memory_map, coerce_int96_timestamp_unit=coerce_int96_timestamp_unit,
                             decryption_properties=decryption_properties,
                             page_checksum_verification=page_checksum_verification, filesystem=filesystem,
                             s3_options=s3_options, extra=open_extra)
        path = _fs.path_of(source)
        self.reader = _parkett.FileReader.open(path if path is not None else source, opts, metadata)
        self.common_metadata = common_metadata

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self, force=False):
        self.reader = None

    @property
    def closed(self):
        return self.reader is None

    def _open_reader(self):
        if self.reader is None:
            raise _parkett.InvalidArgumentError("the ParquetFile is closed")
        return self.reader

    @property
    def metadata(self):
        return self._open_reader().metadata

    @property
    def schema(self):
        """The Parquet schema (ParquetSchema)."""
        return self.metadata.schema

    @property
    def schema_arrow(self):
        """The Arrow schema the file reads as."""
        return self._open_reader().arrow_schema(self._scan())

    @property
    def num_row_groups(self):
        return self.metadata.num_row_groups

    def _scan(self, columns=None, row_groups=None, use_threads=True, batch_size=None, filters=None,
              use_pandas_metadata=False):
        columns = _with_index_columns(columns, self._open_reader().arrow_schema({}), use_pandas_metadata)
        return _scan_options(columns=columns, row_groups=row_groups, read_dictionary=self._read_dictionary,
                             filters=filters, use_threads=use_threads, batch_size=batch_size,
                             buffer_size=self._buffer_size, extra=self._scan_extra)

    def read(self, columns=None, use_threads=True, use_pandas_metadata=False, *, filters=None):
        """The whole file (these columns; rows where ``filters`` hold) as a Table."""
        return self._open_reader().read(self._scan(columns, None, use_threads, None, filters, use_pandas_metadata))

    def read_row_group(self, i, columns=None, use_threads=True, use_pandas_metadata=False):
        return self.read_row_groups([i], columns, use_threads, use_pandas_metadata)

    def read_row_groups(self, row_groups, columns=None, use_threads=True, use_pandas_metadata=False):
        n = self.num_row_groups
        for g in row_groups:
            if not 0 <= g < n:
                raise IndexError(f"row group {g} is out of range (the file has {n})")
        return self._open_reader().read(self._scan(columns, row_groups, use_threads, None, None, use_pandas_metadata))

    def iter_batches(self, batch_size=65536, row_groups=None, columns=None, use_threads=True,
                     use_pandas_metadata=False, *, filters=None):
        """Record batches of at most batch_size rows, decoded as they are asked for. The
        iterator also hands its stream to Arrow consumers (__arrow_c_stream__)."""
        return self._open_reader().batches(
            self._scan(columns, row_groups, use_threads, batch_size, filters, use_pandas_metadata))

    def _column_position(self, column):
        if isinstance(column, int):
            return column
        schema = self.metadata.schema
        for i in range(len(schema)):
            if schema.column(i)["path"] == column:
                return i
        raise _parkett.InvalidArgumentError(f"no leaf column {column!r} (columns are dotted leaf paths)")

    def bloom_filter_contains(self, row_group, column, value):
        """Whether the bloom filter of a column chunk (column: index or dotted leaf path) may
        hold ``value``: False means certainly not; None when the writer wrote no filter.
        The value is the column's physical value (an int, float, str or bytes)."""
        return self._open_reader().bloom_filter_contains(row_group, self._column_position(column), value)

    def offset_index(self, row_group, column):
        """The data pages of a column chunk as (offset, compressed size, first row), or None."""
        return self._open_reader().offset_index(row_group, self._column_position(column))

    def column_index(self, row_group, column):
        """The column index of a column chunk (per page min/max, null pages, counts), or None."""
        return self._open_reader().column_index(row_group, self._column_position(column))

    def scan_contents(self, columns=None, batch_size=65536):
        """Reads the columns and returns the number of rows (pyarrow's scan_contents)."""
        rows = 0
        for batch in self.iter_batches(batch_size=batch_size, columns=columns):
            rows += batch.num_rows
        return rows


def _is_dataset_source(path):
    if _fs.is_remote(path):
        tail = path.rstrip("/").rsplit("/", 1)[-1]
        return path.endswith("/") or any(ch in path for ch in "*?[") or "." not in tail
    return not os.path.isfile(path)


def _partitioning_dict(partitioning):
    if partitioning is None:
        return {"kind": "none"}
    if isinstance(partitioning, str):
        if partitioning not in ("hive", "directory", "detect", "none"):
            raise _parkett.InvalidArgumentError(f"partitioning {partitioning!r} is not hive, directory, detect or none")
        return {"kind": partitioning}
    if isinstance(partitioning, dict):
        return dict(partitioning)
    if isinstance(partitioning, Partitioning):
        return partitioning.as_dict()
    if isinstance(partitioning, (list, tuple)):
        return {"kind": "directory", "names": list(partitioning)}
    raise _parkett.InvalidArgumentError(f"partitioning {partitioning!r} is not understood")


class Partitioning:
    """How paths hold column values: ``Partitioning("hive")``, ``Partitioning("directory",
    names=["year", "month"])``; ``types`` (a Schema or list of Fields) fixes their types,
    ``infer_types=False`` keeps strings."""

    def __init__(self, kind="hive", names=None, types=None, infer_types=True, allow_key_order_mismatch=False):
        self.kind = kind
        self.names = list(names or [])
        self.types = list(types) if types is not None else []
        self.infer_types = infer_types
        self.allow_key_order_mismatch = allow_key_order_mismatch

    def as_dict(self):
        return {"kind": self.kind, "names": self.names, "types": self.types, "infer_types": self.infer_types,
                "allow_key_order_mismatch": self.allow_key_order_mismatch}


class ParquetDataset:
    """Many Parquet files as one table (pyarrow.parquet.ParquetDataset): a directory (hive
    partitions by default), a glob, or a list of files; `_metadata` is used when present."""

    def __init__(self, path_or_paths, filesystem=None, schema=None, *, filters=None, read_dictionary=None,
                 memory_map=False, buffer_size=None, partitioning="hive", ignore_prefixes=None, pre_buffer=True,
                 coerce_int96_timestamp_unit=None, decryption_properties=None, thrift_string_size_limit=None,
                 thrift_container_size_limit=None, page_checksum_verification=False, s3_options=None,
                 use_threads=True, **options):
        if ignore_prefixes is not None and sorted(ignore_prefixes) != [".", "_"]:
            raise NotImplementedError("ignore_prefixes: parkett ignores files and folders starting with '.' or '_'")
        open_extra, scan_extra, dataset_extra = _split(options, _OPEN, _SCAN, _DATASET)
        file_options = _open_options(memory_map=memory_map, coerce_int96_timestamp_unit=coerce_int96_timestamp_unit,
                                     decryption_properties=decryption_properties,
                                     page_checksum_verification=page_checksum_verification, extra=open_extra)
        s3 = _fs.s3_dict(filesystem, s3_options)
        if s3:
            file_options["s3"] = s3
        opts = dict(dataset_extra)
        opts["file_options"] = file_options
        opts["partitioning"] = _partitioning_dict(partitioning)
        opts["threads"] = _threads(use_threads)
        if schema is not None:
            opts["schema"] = schema
        if isinstance(path_or_paths, (list, tuple)):
            source = [_fs.path_of(p) or p for p in path_or_paths]
        else:
            source = _fs.path_of(path_or_paths)
            if source is None:
                raise _parkett.InvalidArgumentError("a dataset is a path, a glob or a list of paths")
        self._dataset = _parkett.Dataset.open(source, opts)
        self._file_options = file_options
        self._key_values = None
        self._filters = filters
        self._read_dictionary = read_dictionary
        self._buffer_size = buffer_size or 0
        self._scan_extra = scan_extra
        self.partitioning = partitioning

    @property
    def schema(self):
        return self._dataset.schema

    @property
    def partition_schema(self):
        return self._dataset.partition_schema

    @property
    def files(self):
        return self._dataset.files

    @property
    def fragments(self):
        """(path, partition values) per file."""
        return self._dataset.fragments

    @property
    def filters(self):
        return self._filters

    def fragment_rows(self):
        return self._dataset.fragment_rows()

    def _scan(self, columns, use_threads, use_pandas_metadata, filters=None, batch_size=None):
        columns = _with_index_columns(columns, self.schema, use_pandas_metadata)
        f = self._filters if filters is None else filters
        if filters is not None and self._filters is not None:
            f = f"({filters_to_sql(self._filters)}) AND ({filters_to_sql(filters)})"
        return _scan_options(columns=columns, read_dictionary=self._read_dictionary, filters=f,
                             use_threads=use_threads, batch_size=batch_size, buffer_size=self._buffer_size,
                             extra=self._scan_extra)

    def _schema_metadata(self):
        """The first file's key-value metadata (as pyarrow gives a dataset's schema): its
        pandas metadata restores the index."""
        if self._key_values is None:
            self._key_values = {}
            if self.files:
                try:
                    reader = _parkett.FileReader.open(self.files[0], self._file_options, None)
                    self._key_values = reader.arrow_schema({}).metadata or {}
                except _parkett.CryptoError:
                    pass  # keys come per file from a decryption_config: the read itself has them
        return self._key_values

    def read(self, columns=None, use_threads=True, use_pandas_metadata=False, *, filters=None):
        table = self._dataset.read(self._scan(columns, use_threads, use_pandas_metadata, filters))
        return table.replace_schema_metadata(self._schema_metadata() or None)

    def read_pandas(self, **kwargs):
        return self.read(use_pandas_metadata=True, **kwargs).to_pandas()

    def iter_batches(self, batch_size=65536, columns=None, use_threads=True, *, filters=None):
        return self._dataset.scan(self._scan(columns, use_threads, False, filters, batch_size))


def read_table(source, *, columns=None, use_threads=True, schema=None, use_pandas_metadata=False,
               read_dictionary=None, memory_map=False, buffer_size=0, partitioning="hive", filesystem=None,
               filters=None, ignore_prefixes=None, pre_buffer=True, coerce_int96_timestamp_unit=None,
               decryption_properties=None, thrift_string_size_limit=None, thrift_container_size_limit=None,
               page_checksum_verification=False, s3_options=None, **options):
    """Reads a Parquet file, a directory or glob of them, or a list of files into a Table.

    ``filters``: pyarrow's DNF (``[("x", ">", 3)]``, lists of lists for OR) or SQL text
    (``"x > 3 AND s = 'a'"``); row groups, pages and files that cannot match are skipped.
    """
    path = _fs.path_of(source)
    if isinstance(source, (list, tuple)) or (path is not None and (schema is not None or _is_dataset_source(path))):
        dataset = ParquetDataset(source, filesystem, schema, filters=filters, read_dictionary=read_dictionary,
                                 memory_map=memory_map, buffer_size=buffer_size, partitioning=partitioning,
                                 ignore_prefixes=ignore_prefixes, coerce_int96_timestamp_unit=coerce_int96_timestamp_unit,
                                 decryption_properties=decryption_properties,
                                 page_checksum_verification=page_checksum_verification, s3_options=s3_options,
                                 use_threads=use_threads, **options)
        return dataset.read(columns=columns, use_threads=use_threads, use_pandas_metadata=use_pandas_metadata)
    file_options = {k: v for k, v in options.items() if k not in _DATASET}
    if len(file_options) != len(options):
        raise TypeError("dataset options (schema_merge, base_path, ...) apply to directories and lists of files")
    pf = ParquetFile(source, read_dictionary=read_dictionary, memory_map=memory_map, buffer_size=buffer_size,
                     coerce_int96_timestamp_unit=coerce_int96_timestamp_unit,
                     decryption_properties=decryption_properties, filesystem=filesystem,
                     page_checksum_verification=page_checksum_verification, s3_options=s3_options, **file_options)
    return pf.read(columns=columns, use_threads=use_threads, use_pandas_metadata=use_pandas_metadata, filters=filters)


def read_pandas(source, columns=None, **kwargs):
    """read_table with the pandas metadata's index columns, as a DataFrame's Table."""
    return read_table(source, columns=columns, use_pandas_metadata=True, **kwargs)


def read_metadata(where, memory_map=False, decryption_properties=None, filesystem=None, s3_options=None, **options):
    """The footer of a Parquet file."""
    return ParquetFile(where, memory_map=memory_map, decryption_properties=decryption_properties,
                       filesystem=filesystem, s3_options=s3_options, **options).metadata


def read_schema(where, memory_map=False, decryption_properties=None, filesystem=None, s3_options=None, **options):
    """The Arrow schema of a Parquet file."""
    return ParquetFile(where, memory_map=memory_map, decryption_properties=decryption_properties,
                       filesystem=filesystem, s3_options=s3_options, **options).schema_arrow


# ---- writing ------------------------------------------------------------------------------

def _leaf_paths(schema):
    """The dotted Parquet leaf paths of an Arrow schema, in column order (as parkett names
    them: lists as name.list.element, maps as name.key_value.key / value)."""
    out = []

    def walk(prefix, type_):
        text = str(type_)
        if text.startswith("dictionary"):
            walk(prefix, type_.value_type)
        elif text.startswith("struct"):
            for f in type_.fields:
                walk(prefix + "." + f.name, f.type)
        elif text.startswith(("list", "large_list")):
            walk(prefix + ".list.element", type_.fields[0].type)
        elif text.startswith("map"):
            entries = type_.fields[0].type
            walk(prefix + ".key_value.key", entries.fields[0].type)
            walk(prefix + ".key_value.value", entries.fields[1].type)
        else:
            out.append(prefix)

    for f in schema:
        walk(f.name, f.type)
    return out


def _per_column(columns, name, value):
    columns.setdefault(name, {})


def _write_options(schema, *, row_group_size=None, version="2.6", use_dictionary=True, compression="snappy",
                   write_statistics=True, use_deprecated_int96_timestamps=None, coerce_timestamps=None,
                   allow_truncated_timestamps=False, data_page_size=None, flavor=None, compression_level=None,
                   use_byte_stream_split=False, column_encoding=None, data_page_version="1.0",
                   use_compliant_nested_type=True, encryption_properties=None, write_batch_size=None,
                   dictionary_pagesize_limit=None, store_schema=True, write_page_index=None,
                   write_page_checksum=False, sorting_columns=None, store_decimal_as_integer=None, metadata=None,
                   use_threads=True, **options):
    if not use_compliant_nested_type:
        raise NotImplementedError("use_compliant_nested_type=False: parkett writes lists as list.element "
                                  "(spark_legacy_format=True writes Spark's and Hive's old layouts)")
    (o,) = _split(options, _WRITE)
    columns = {}

    def col(name):
        return columns.setdefault(name, {})

    if row_group_size is not None:
        o["row_group_rows"] = int(row_group_size)
    o["format_version"] = str(version)
    if isinstance(use_dictionary, bool):
        o["dictionary"] = use_dictionary
    else:
        o["dictionary"] = False
        for c in use_dictionary:
            col(c)["dictionary"] = True
    if isinstance(compression, dict):
        for c, codec in compression.items():
            col(c)["compression"] = {"codec": codec or "uncompressed"}
    elif compression is not None:
        o["compression"] = {"codec": compression}
    else:
        o["compression"] = {"codec": "uncompressed"}
    if compression_level is not None:
        if isinstance(compression_level, dict):
            for c, level in compression_level.items():
                entry = col(c).setdefault("compression", {"codec": compression if isinstance(compression, str) else "snappy"})
                entry["level"] = level
        else:
            o.setdefault("compression", {"codec": "snappy"})["level"] = compression_level
            for c in columns.values():
                if "compression" in c:
                    c["compression"]["level"] = compression_level
    if isinstance(write_statistics, bool):
        o["statistics"] = write_statistics
    else:
        o["statistics"] = False
        for c in write_statistics:
            col(c)["statistics"] = True
    if use_deprecated_int96_timestamps is not None:
        o["int96_timestamps"] = use_deprecated_int96_timestamps
    if coerce_timestamps is not None:
        o["coerce_timestamps"] = coerce_timestamps
    o["allow_truncated_timestamps"] = allow_truncated_timestamps
    if data_page_size is not None:
        o["data_page_size"] = data_page_size
    if flavor == "spark":
        o["spark_flavor"] = True
    elif flavor is not None:
        raise _parkett.InvalidArgumentError(f"flavor {flavor!r} is not 'spark'")
    if use_byte_stream_split is True:
        o["encoding"] = "BYTE_STREAM_SPLIT"
    elif use_byte_stream_split:
        for c in use_byte_stream_split:
            col(c)["encoding"] = "BYTE_STREAM_SPLIT"
    if column_encoding is not None:
        if isinstance(column_encoding, str):
            o["encoding"] = column_encoding
        else:
            for c, e in column_encoding.items():
                col(c)["encoding"] = e
    o["data_page_version"] = {"1.0": 1, "2.0": 2}.get(str(data_page_version))
    if o["data_page_version"] is None:
        raise _parkett.InvalidArgumentError(f"data_page_version {data_page_version!r} is not '1.0' or '2.0'")
    if encryption_properties is not None:
        o["encryption"] = encryption_properties
    if write_batch_size is not None:
        o["write_batch_size"] = write_batch_size
    if dictionary_pagesize_limit is not None:
        o["max_dictionary_bytes"] = dictionary_pagesize_limit
    o["store_arrow_schema"] = store_schema
    if write_page_index is not None:
        o["page_index"] = write_page_index
    o["page_crc"] = write_page_checksum
    if store_decimal_as_integer is not None:
        o["decimals_as_integers"] = store_decimal_as_integer
    if sorting_columns:
        paths = _leaf_paths(schema)
        specs = []
        for s in sorting_columns:
            if isinstance(s, str):
                specs.append((s, False, False))
            else:
                if not 0 <= s.column_index < len(paths):
                    raise _parkett.InvalidArgumentError(f"sorting column index {s.column_index} is out of range")
                specs.append((paths[s.column_index], bool(s.descending), bool(s.nulls_first)))
        o["sorting_columns"] = specs
    if metadata:
        o["key_value_metadata"] = [(_text(k), _text(v)) for k, v in metadata.items()]
    o.setdefault("threads", _threads(use_threads))
    if columns:
        o["columns"] = columns
    return o


def _text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def _as_table(table):
    if isinstance(table, _parkett.Table):
        return table
    try:
        import pandas as pd
        if isinstance(table, pd.DataFrame):
            return _parkett.Table.from_pandas(table)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(table, _parkett.RecordBatch):
        return _parkett.Table.from_batches([table])
    return _parkett.Table.from_arrow(table)


def _destination(where, filesystem, s3_options, options):
    path = _fs.path_of(where)
    s3 = _fs.s3_dict(filesystem, s3_options)
    if s3:
        options["s3"] = s3
    return path if path is not None else where


def write_table(table, where, row_group_size=None, version="2.6", use_dictionary=True, compression="snappy",
                write_statistics=True, use_deprecated_int96_timestamps=None, coerce_timestamps=None,
                allow_truncated_timestamps=False, data_page_size=None, flavor=None, filesystem=None,
                compression_level=None, use_byte_stream_split=False, column_encoding=None, data_page_version="1.0",
                use_compliant_nested_type=True, encryption_properties=None, write_batch_size=None,
                dictionary_pagesize_limit=None, store_schema=True, write_page_index=None, write_page_checksum=False,
                sorting_columns=None, store_decimal_as_integer=None, s3_options=None, **kwargs):
    """Writes a Table (or anything with __arrow_c_stream__, or a pandas DataFrame) to a
    Parquet file. A path appears only when the write succeeded (no partial file)."""
    table = _as_table(table)
    options = _write_options(table.schema, row_group_size=row_group_size, version=version,
                             use_dictionary=use_dictionary, compression=compression,
                             write_statistics=write_statistics,
                             use_deprecated_int96_timestamps=use_deprecated_int96_timestamps,
                             coerce_timestamps=coerce_timestamps,
                             allow_truncated_timestamps=allow_truncated_timestamps, data_page_size=data_page_size,
                             flavor=flavor, compression_level=compression_level,
                             use_byte_stream_split=use_byte_stream_split, column_encoding=column_encoding,
                             data_page_version=data_page_version, use_compliant_nested_type=use_compliant_nested_type,
                             encryption_properties=encryption_properties, write_batch_size=write_batch_size,
                             dictionary_pagesize_limit=dictionary_pagesize_limit, store_schema=store_schema,
                             write_page_index=write_page_index, write_page_checksum=write_page_checksum,
                             sorting_columns=sorting_columns, store_decimal_as_integer=store_decimal_as_integer,
                             **kwargs)
    destination = _destination(where, filesystem, s3_options, options)
    if isinstance(destination, str):
        return _parkett._write_table(table, destination, options)
    with ParquetWriter(destination, table.schema, _options=options) as writer:
        writer.write_table(table)
    return writer.metadata


class ParquetWriter:
    """Writes one Parquet file from several tables or batches (pyarrow's ParquetWriter;
    write_table's keywords). As a context manager it closes the file on success and
    discards it on an exception: no partial file is left."""

    def __init__(self, where, schema, filesystem=None, flavor=None, version="2.6", use_dictionary=True,
                 compression="snappy", write_statistics=True, use_deprecated_int96_timestamps=None,
                 compression_level=None, use_byte_stream_split=False, column_encoding=None, writer_engine_version=None,
                 data_page_version="1.0", use_compliant_nested_type=True, encryption_properties=None,
                 write_batch_size=None, dictionary_pagesize_limit=None, store_schema=True, write_page_index=None,
                 write_page_checksum=False, sorting_columns=None, store_decimal_as_integer=None, s3_options=None,
                 _options=None, **options):
        if not isinstance(schema, _parkett.Schema):
            schema = _parkett.Schema._from_arrow(schema)
        if _options is None:
            _options = _write_options(schema, version=version, use_dictionary=use_dictionary,
                                      compression=compression, write_statistics=write_statistics,
                                      use_deprecated_int96_timestamps=use_deprecated_int96_timestamps, flavor=flavor,
                                      compression_level=compression_level, use_byte_stream_split=use_byte_stream_split,
                                      column_encoding=column_encoding, data_page_version=data_page_version,
                                      use_compliant_nested_type=use_compliant_nested_type,
                                      encryption_properties=encryption_properties, write_batch_size=write_batch_size,
                                      dictionary_pagesize_limit=dictionary_pagesize_limit, store_schema=store_schema,
                                      write_page_index=write_page_index, write_page_checksum=write_page_checksum,
                                      sorting_columns=sorting_columns,
                                      store_decimal_as_integer=store_decimal_as_integer, **options)
        destination = _destination(where, filesystem, s3_options, _options)
        self.schema = schema
        self.where = where
        self.metadata = None
        self._writer = _parkett.FileWriter.open(destination, schema, _options)

    @property
    def is_open(self):
        return self._writer.is_open

    def write_table(self, table, row_group_size=None):
        if row_group_size is not None:
            raise NotImplementedError("row_group_size per write_table call: set row_group_size when opening the writer")
        self._writer.write_table(_as_table(table))

    def write_batch(self, batch, row_group_size=None):
        self.write_table(batch, row_group_size)

    def write(self, table_or_batch, row_group_size=None):
        self.write_table(table_or_batch, row_group_size)

    def flush(self):
        self._writer.flush()

    def close(self):
        if self._writer.is_open:
            self.metadata = self._writer.close()
        return self.metadata

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self._writer.abort()


def write_to_dataset(table, root_path, partition_cols=None, filesystem=None, schema=None, partitioning=None,
                     basename_template=None, use_threads=None, file_visitor=None,
                     existing_data_behavior="overwrite_or_ignore", max_rows_per_file=None, max_rows_per_group=None,
                     max_open_files=None, metadata_collector=None, partitioning_flavor=None,
                     encryption_config=None, keep_partition_columns=False, write_metadata_files=False,
                     max_buffered_bytes=None, s3_options=None, **kwargs):
    """Writes a table as a dataset below root_path, partitioned by partition_cols (hive
    directories by default, ``partitioning_flavor=None`` with ``partitioning=[names]`` for
    directory partitioning). Each file appears atomically; names are unique per call (a
    uuid in the default basename_template), as in pyarrow. Returns the files written as
    (path, partition values, FileMetaData)."""
    table = _as_table(table)
    if schema is not None and not table.schema.equals(schema):
        raise _parkett.InvalidArgumentError("the table's schema differs from the schema given")
    partition_by = list(partition_cols or [])
    flavor = "hive"
    if isinstance(partitioning, (list, tuple)):
        partition_by = list(partitioning)
        flavor = "hive" if partitioning_flavor == "hive" else "directory"
    elif partitioning is not None and partitioning != "hive":
        raise _parkett.InvalidArgumentError("partitioning is a list of column names (or None with partition_cols)")
    file_options = _write_options(table.schema, use_threads=True if use_threads is None else use_threads, **kwargs)
    if max_rows_per_group is not None:
        file_options["row_group_rows"] = max_rows_per_group
    s3 = _fs.s3_dict(filesystem, s3_options)
    if s3:
        file_options["s3"] = s3
    options = {
        "partition_by": partition_by, "flavor": flavor,
        "basename_template": basename_template or (uuid.uuid4().hex + "-{i}.parquet"),
        "existing_data_behavior": existing_data_behavior, "keep_partition_columns": keep_partition_columns,
        "write_metadata_files": write_metadata_files, "file_options": file_options,
    }
    if max_rows_per_file is not None:
        options["max_rows_per_file"] = max_rows_per_file
    if max_open_files is not None:
        options["max_open_files"] = max_open_files
    if max_buffered_bytes is not None:
        options["max_buffered_bytes"] = max_buffered_bytes
    if encryption_config is not None:
        options["encryption_config"] = encryption_config
    root = _fs.path_of(root_path)
    written = _parkett._write_dataset(table, root, options, file_visitor and _visitor(file_visitor, root))
    if metadata_collector is not None:
        for path, _, metadata in written:
            metadata.set_file_path(_relative(path, root))
            metadata_collector.append(metadata)
    return written


class WrittenFile:
    """What write_to_dataset's file_visitor receives (pyarrow's WrittenFile)."""

    def __init__(self, path, partition_values, metadata, size=None):
        self.path = path
        self.partition_values = partition_values
        self.metadata = metadata
        self.size = size


def _visitor(file_visitor, root):
    def visit(entry):
        path, values, metadata = entry
        file_visitor(WrittenFile(path, values, metadata))
    return visit


def _relative(path, root):
    root = root.rstrip("/") + "/"
    return path[len(root):] if path.startswith(root) else path


def write_tables(tables, paths, filesystem=None, s3_options=None, **kwargs):
    """Writes tables[i] to paths[i] with one schema and write_table's keywords, all or
    nothing (Deephaven's batch_write): checked before any file is opened; no file is
    visible unless every one was written. Returns their FileMetaData."""
    tables = [_as_table(t) for t in tables]
    if not tables:
        raise _parkett.InvalidArgumentError("write_tables needs at least one table")
    options = _write_options(tables[0].schema, **kwargs)
    s3 = _fs.s3_dict(filesystem, s3_options)
    if s3:
        options["s3"] = s3
    return _parkett._write_tables(tables, [_fs.path_of(p) for p in paths], options)


def aggregate_statistics(sources, columns=None, **options):
    """COUNT, MIN and MAX of leaf columns from the footers' statistics alone (no page is
    read), over one file or many (paths or FileMetaData). Each result says whether its
    min/max are exact and, in ``note``, what could not be answered."""
    if isinstance(sources, (str, os.PathLike, _parkett.FileMetaData)):
        sources = [sources]
    footers, names = [], []
    for s in sources:
        footers.append(s if isinstance(s, _parkett.FileMetaData) else read_metadata(s, **options))
        names.append("" if isinstance(s, _parkett.FileMetaData) else _fs.path_of(s))
    return _parkett._aggregate_statistics(footers, list(columns or []), names)


def write_metadata(schema, where, metadata_collector=None, filesystem=None, s3_options=None, **kwargs):
    """Writes `_metadata` (with a metadata_collector: every collected file's row groups,
    each with its file path) or `_common_metadata` (the schema alone)."""
    s3 = _fs.s3_dict(filesystem, s3_options) or {}
    path = _fs.path_of(where)
    if not metadata_collector:
        if not isinstance(schema, _parkett.Schema):
            schema = _parkett.Schema._from_arrow(schema)
        options = _write_options(schema, **kwargs)
        if s3:
            options["s3"] = s3
        writer = _parkett.FileWriter.open(path, schema, options)
        return writer.close()
    collector = _parkett.MetadataCollector()
    for md in metadata_collector:
        file_path = getattr(md, "_file_path", None)
        if not file_path:
            raise _parkett.InvalidArgumentError("every collected FileMetaData needs set_file_path(relative path)")
        collector.add(file_path, md)
    collector.write_metadata_file(path, s3)
    return collector.metadata()

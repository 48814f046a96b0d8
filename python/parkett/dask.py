"""Dask DataFrames read and written by parkett (needs python3-dask; distributed for clusters).

``read_parquet`` plans on the client: it opens the dataset (its `_metadata` when there is
one, else the files' listing and, for ``split_row_groups`` or ``index``, their footers),
prunes partitions with the filter before any file is opened, and makes one task per file
(or per group of row groups). What a task receives is plain data, pickled to the worker:
the dataset's root, its options (partitioning, the dataset schema, S3 settings as a dict,
never a filesystem object), the file's path, its row groups, the columns and the filter as
SQL text. Each task opens that one file with parkett on the worker and returns a pandas
DataFrame whose dtypes follow the schema (nullable integers and booleans are always pandas'
masked dtypes), so that every partition matches the ``meta``.

``to_parquet`` makes one task per partition: each writes its files atomically (named
``part.<partition>.<n>.parquet``, hive directories with ``partition_on``) and returns their
footers; the client then writes `_metadata` and `_common_metadata` from them.

On a real cluster the same code runs with ``distributed.Client("tcp://scheduler:8786")``:
parkett must be importable on the workers and the paths reachable from them (S3, or a
shared filesystem).
"""
import os

import dask
import dask.dataframe as dd
from dask.base import tokenize

from . import _parkett
from . import fs as _fs
from . import pandas_compat
from . import parquet as _pq
from .filters import filters_to_sql

__all__ = ["read_parquet", "to_parquet"]


def _schema_without(schema, names):
    return _parkett.schema([f for f in schema if f.name not in names], schema.metadata)


class _ReadTask:
    """Reads one part (a file, or some of its row groups) on a worker. Module level and
    made of plain data, so that it pickles by reference; implements Dask's column
    projection (DataFrameIOFunction)."""

    def __init__(self, root, dataset_options, columns, filter_text, index, threads):
        self.root = root
        self.dataset_options = dataset_options
        self._columns = columns
        self.filter_text = filter_text
        self.index = index
        self.threads = threads

    @property
    def columns(self):
        return self._columns

    def project_columns(self, columns):
        if list(columns) == list(self._columns or []):
            return self
        return _ReadTask(self.root, self.dataset_options, list(columns), self.filter_text, self.index, self.threads)

    def __call__(self, part):
        path, row_groups = part
        dataset = _parkett.Dataset.open([path], self.dataset_options)
        scan = {"threads": self.threads}
        columns = self._columns
        if columns is not None:
            scan["columns"] = list(columns) + ([self.index] if self.index and self.index not in columns else [])
        if row_groups is not None:
            scan["row_groups"] = list(row_groups)
        if self.filter_text:
            scan["filter"] = self.filter_text
        table = dataset.scan_fragment(0, scan).read_all()
        frame = pandas_compat.table_to_pandas(table, ignore_metadata=True, types_from_schema=True, self_destruct=True)
        if self.index:
            frame = frame.set_index(self.index)
        return frame


def _footers(files, dataset_options, root):
    """Each file's footer: from `_metadata` when the dataset has one, else read."""
    file_options = dataset_options.get("file_options", {})
    summary = None
    if root is not None and files != [root] and dataset_options.get("metadata_file", "use") != "ignore":
        try:
            summary = _parkett.FileReader.open(root.rstrip("/") + "/_metadata", file_options, None).metadata
        except _parkett.NotFoundError:
            summary = None
    if summary is not None:
        by_file = {}
        for g in range(summary.num_row_groups):
            rel = summary.row_group(g).column(0).file_path
            by_file.setdefault(rel, []).append(summary.row_group(g))
        out = []
        for f in files:
            rel = f[len(root.rstrip("/")) + 1:] if f.startswith(root.rstrip("/") + "/") else f
            out.append(by_file.get(rel, []))
        return out
    footers = []
    for f in files:
        md = _parkett.FileReader.open(f, file_options, None).metadata
        footers.append([md.row_group(g) for g in range(md.num_row_groups)])
    return footers


def _column_position(row_group, name):
    for c in range(row_group.num_columns):
        if row_group.column(c).path_in_schema == name:
            return c
    return None


def read_parquet(path, columns=None, filters=None, split_row_groups=False, storage_options=None, index=None,
                 partitioning="hive", schema_merge=None, threads_per_task=1, **options):
    """A Dask DataFrame of a Parquet file, directory, glob or list of files.

    ``split_row_groups``: False, one partition per file; True, one per row group; an int,
    that many row groups per partition. ``index``: a column to index by; when every part's
    statistics show it sorted and the parts not overlapping, the divisions are known.
    """
    s3 = _fs.s3_dict(_fs.from_storage_options(storage_options))
    file_options = {}
    if s3:
        file_options["s3"] = s3
    dataset_options = {"partitioning": _pq._partitioning_dict(partitioning), "file_options": file_options}
    if schema_merge is not None:
        dataset_options["schema_merge"] = schema_merge
    dataset_options.update(options)
    source = [_fs.path_of(p) or p for p in path] if isinstance(path, (list, tuple)) else _fs.path_of(path)
    dataset = _parkett.Dataset.open(source, dataset_options)
    root = None if isinstance(source, list) else source.rstrip("/")
    filter_text = filters_to_sql(filters)
    keep = dataset.fragments_matching(filter_text or "")
    all_files = dataset.files
    files = [all_files[i] for i in keep]

    # Workers open one file each as a dataset of its own: the same schema and partition
    # types, the path's partition values read below the same root.
    partition_schema = dataset.partition_schema
    part_names = set(partition_schema.names)
    worker_options = dict(dataset_options)
    worker_options["schema"] = _schema_without(dataset.schema, part_names)
    if part_names:
        worker_options["partitioning"] = dict(worker_options["partitioning"], kind="hive"
                                              if worker_options["partitioning"]["kind"] in ("hive", "detect")
                                              else worker_options["partitioning"]["kind"],
                                              types=list(partition_schema), names=partition_schema.names)
        worker_options["base_path"] = dataset_options.get("base_path") or _base_of(source, all_files)
    worker_options["metadata_file"] = "ignore"

    parts = []
    bounds = []
    if split_row_groups or index:
        footers = _footers(files, dataset_options, root)
        step = 1 if split_row_groups is True else (int(split_row_groups) if split_row_groups else None)
        for f, groups in zip(files, footers):
            n = len(groups)
            chunks = [list(range(i, min(i + step, n))) for i in range(0, n, step)] if step else [None]
            for chunk in chunks:
                parts.append((f, chunk))
                bounds.append(_bounds(groups if chunk is None else [groups[g] for g in chunk], index))
    else:
        parts = [(f, None) for f in files]

    projected = list(columns) if columns is not None else None
    scan = {}
    if projected is not None:
        scan["columns"] = projected + ([index] if index and index not in projected else [])
    empty = _parkett.Table.from_batches([], schema=_empty_schema(dataset, scan))
    meta = pandas_compat.table_to_pandas(empty, ignore_metadata=True, types_from_schema=True)
    if index:
        meta = meta.set_index(index)
    # Statistics hold physical values: they are the index's own values only for integers
    # and floats (not for dates, timestamps or decimals, nor unsigned 64-bit integers).
    index_type = str(dataset.schema.field(index).type) if index else ""
    numeric = index_type in ("int8", "int16", "int32", "int64", "uint8", "uint16", "float", "double")
    divisions = _divisions(bounds) if index and numeric else None
    task = _ReadTask(root, worker_options, projected, filter_text, index, threads_per_task)
    if not parts:
        return dd.from_pandas(meta, npartitions=1)
    token = tokenize(source, sorted(dataset_options.items(), key=str), projected, filter_text, split_row_groups, index)
    return dd.from_map(task, parts, meta=meta, divisions=divisions, label="parkett-read", token=token,
                       enforce_metadata=False)


def _base_of(source, files):
    """The directory the client's dataset reads partitions below: a directory source
    itself; a glob's fixed part; for a list, the files' common directory above any
    key=value folders."""
    if isinstance(source, str):
        wild = min([source.find(c) for c in "*?[" if c in source] or [-1])
        if wild < 0:
            return source.rstrip("/")
        return source[:wild].rsplit("/", 1)[0]
    parts = [f.split("/")[:-1] for f in files]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    while common and "=" in common[-1]:
        common.pop()
    return "/".join(common)


def _empty_schema(dataset, scan):
    fields = list(dataset.schema)
    if "columns" in scan:
        by_name = {f.name: f for f in fields}
        fields = [by_name[c] for c in scan["columns"] if c in by_name]
    return _parkett.schema(fields)


def _bounds(row_groups, index):
    """(min, max) of the index column over these row groups, or None when unknown."""
    if not index or not row_groups:
        return None
    lo = hi = None
    for g in row_groups:
        c = _column_position(g, index)
        stats = g.column(c).statistics if c is not None else None
        if stats is None or not stats.has_min_max or stats.null_count:
            return None
        lo = stats.min if lo is None else min(lo, stats.min)
        hi = stats.max if hi is None else max(hi, stats.max)
    return lo, hi


def _divisions(bounds):
    if not bounds or any(b is None for b in bounds):
        return None
    for (_, hi), (lo, _) in zip(bounds, bounds[1:]):
        if not hi < lo:
            return None  # overlapping or unsorted parts: unknown divisions
    return tuple(b[0] for b in bounds) + (bounds[-1][1],)


def _write_part(frame, root, number, partition_on, write_index, file_options):
    table = _parkett.Table.from_pandas(frame, preserve_index=write_index)
    options = {"partition_by": list(partition_on or []), "flavor": "hive",
               "basename_template": f"part.{number}.{{i}}.parquet", "existing_data_behavior": "overwrite_or_ignore",
               "file_options": file_options}
    written = _parkett._write_dataset(table, root, options, None)
    prefix = root.rstrip("/") + "/"
    return [(p[len(prefix):] if p.startswith(prefix) else p, md.serialize()) for p, _, md in written]


def _write_metadata(results, root, s3):
    collector = _parkett.MetadataCollector()
    for per_part in results:
        for rel, footer in per_part:
            collector.add(rel, _parkett.FileMetaData.parse(footer, rel))
    if collector.num_files:
        collector.write_metadata_file(root.rstrip("/") + "/_metadata", s3 or {})
        collector.write_common_metadata_file(root.rstrip("/") + "/_common_metadata", s3 or {})
    return collector.num_files


def to_parquet(df, path, partition_on=None, write_metadata_file=True, write_index=None, storage_options=None,
               overwrite=False, compute=True, compression="snappy", **kwargs):
    """Writes a Dask DataFrame as a Parquet dataset (one task per partition; see the
    module's docstring). ``overwrite=True`` first deletes what is below ``path``.
    Returns the number of files written, or a Delayed of it when ``compute=False``."""
    root = _fs.path_of(path).rstrip("/")
    s3 = _fs.s3_dict(_fs.from_storage_options(storage_options))
    file_options = _pq._write_options(_parkett.schema([]), compression=compression, **kwargs)
    if s3:
        file_options["s3"] = s3
    if overwrite:
        if _fs.is_remote(root):
            raise NotImplementedError("overwrite=True on S3: delete the prefix first")
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    if not _fs.is_remote(root):
        os.makedirs(root, exist_ok=True)
    preserve = write_index
    parts = [dask.delayed(_write_part)(p, root, i, partition_on, preserve, file_options)
             for i, p in enumerate(df.to_delayed())]
    if write_metadata_file:
        final = dask.delayed(_write_metadata)(parts, root, s3)
    else:
        final = dask.delayed(lambda results: sum(len(r) for r in results))(parts)
    return final.compute() if compute else final

"""Tables to pandas DataFrames and back, without pyarrow.

To pandas: one chunk of fixed-width values without nulls becomes a numpy view of parkett's
memory (no copy); integers and booleans with nulls become pandas' nullable arrays (Int64,
boolean, ...), floats keep NaN for null, strings and binary become object columns,
timestamps become datetime64[ns] (pandas 1.5 has no other unit; values outside its range
are an error, or datetime objects with timestamp_as_object=True) with their zone,
dictionary columns become categoricals, dates become datetime.date objects (as pyarrow's
default, date_as_object=True), and nested values Python lists and dicts. The pandas
metadata a writer stored (pyarrow's and parkett's "pandas" key) restores the index, and the
extension dtypes columns had (Int32, boolean, string, Float64, ...), nulls or not.

From pandas: every column to its Arrow type (nullable arrays with their masks, NaN and None
as null, categoricals as dictionaries, zones kept), the index stored as pyarrow stores it
(a RangeIndex in the metadata only, any other index as a column).
"""
import collections
import json

import numpy as np

from . import _parkett

_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
_INT64_MIN, _INT64_MAX = np.iinfo(np.int64).min, np.iinfo(np.int64).max


def _pandas():
    import pandas as pd
    return pd


def _nullable_dtype(pd, kind_itemsize):
    return {
        ("i", 1): pd.Int8Dtype(), ("i", 2): pd.Int16Dtype(), ("i", 4): pd.Int32Dtype(), ("i", 8): pd.Int64Dtype(),
        ("u", 1): pd.UInt8Dtype(), ("u", 2): pd.UInt16Dtype(), ("u", 4): pd.UInt32Dtype(), ("u", 8): pd.UInt64Dtype(),
    }[kind_itemsize]


def _timestamps(pd, column, timestamp_as_object, owned):
    t = column.type
    values = column._values(False, owned)
    mask = column._null_mask()
    if timestamp_as_object:
        return column._objects()
    ints = values.view("i8")
    per = _NS_PER[t.unit]
    if per != 1 and len(ints):
        valid = ints if mask is None else ints[~mask]
        if len(valid) and (valid.min() < _INT64_MIN // per + 1 or valid.max() > _INT64_MAX // per):
            raise _parkett.InvalidArgumentError(
                f"column '{column.name}' ({t}) holds instants outside pandas' datetime64[ns] range "
                "(years 1677-2262); to_pandas(timestamp_as_object=True) gives datetime objects")
        ints = ints * per
    ns = ints.view("M8[ns]")
    if per == 1 and not ns.flags.writeable:
        ns = ns.copy()
    if mask is not None:
        ns = ns if ns.flags.owndata or per != 1 else ns.copy()
        ns[mask] = np.datetime64("NaT")
    if t.tz is None:
        return ns
    return pd.DatetimeIndex(ns).tz_localize("UTC").tz_convert(t.tz).array


def _dictionary(pd, column):
    chunks = [column.chunk(i) for i in range(column.num_chunks)]
    if not chunks:
        return pd.Categorical([])
    parts = []
    for chunk in chunks:
        codes = chunk._dictionary_codes()
        categories = chunk._dictionary()._values(False)
        parts.append(pd.Categorical.from_codes(codes, categories=pd.Index(categories)))
    if len(parts) == 1:
        return parts[0]
    from pandas.api.types import union_categoricals
    return union_categoricals(parts)


def column_to_pandas(column, *, date_as_object=True, timestamp_as_object=False, integer_object_nulls=False,
                     types_from_schema=False, owned=False):
    """One column as what a DataFrame holds (numpy array or pandas extension array).
    types_from_schema: nullable integer and boolean fields become pandas' masked arrays
    even without nulls, so that the dtype depends on the schema alone (Dask partitions).
    owned: the table is given up (self_destruct), so its buffers may become the frame's own
    (views, writable); otherwise the frame gets copies, never the table's memory."""
    pd = _pandas()
    t = column.type
    name = str(t)
    if name.startswith("dictionary"):
        return _dictionary(pd, column)
    if name.startswith("timestamp"):
        return _timestamps(pd, column, timestamp_as_object, owned)
    if name == "date32" and not date_as_object:
        values = column._values(False).astype("M8[ns]")
        mask = column._null_mask()
        if mask is not None:
            values[mask] = np.datetime64("NaT")
        return values
    values = column._values(False, owned)
    if not values.flags.writeable:
        values = values.copy()
    kind = values.dtype.kind
    mask = column._null_mask()
    if types_from_schema and mask is None and kind in "iub" and column.field.nullable:
        mask = np.zeros(len(values), dtype=bool)
    if kind in "iu":
        if mask is None:
            return values
        if integer_object_nulls:
            return column._objects()
        return pd.arrays.IntegerArray(values, mask.copy())
    if kind == "b":
        return values if mask is None else pd.arrays.BooleanArray(values, mask.copy())
    if kind == "f":
        if mask is not None:
            values = values if values.flags.owndata else values.copy()
            values[mask] = np.nan
        return values
    if kind == "M":  # date32 as datetime64[D]: shown as dates unless date_as_object
        return column._objects()
    return values  # objects: None already marks nulls


def _pandas_metadata(schema):
    meta = schema.metadata or {}
    raw = meta.get(b"pandas")
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def table_to_pandas(table, *, self_destruct=False, ignore_metadata=False, date_as_object=True,
                    timestamp_as_object=False, integer_object_nulls=False, categories=None,
                    strings_to_categorical=False, types_mapper=None, types_from_schema=False):
    """The table as a pandas DataFrame (see the module's docstring)."""
    pd = _pandas()
    if types_mapper is not None:
        raise NotImplementedError("types_mapper needs pyarrow's extension types; parkett chooses dtypes itself")
    meta = None if ignore_metadata else _pandas_metadata(table.schema)
    names = table.column_names
    # Column by column, so that with self_destruct a converted column's buffers can go
    # before the next is converted.
    columns = table.columns
    schema_rows = table.num_rows
    if self_destruct:
        table._release()
        pool = _buffer_pool_limit()
        _parkett._set_buffer_pool_limit(0)  # buffers freed as columns convert go back to the system
    try:
        frame = _convert_columns(pd, names, columns, schema_rows, self_destruct, date_as_object, timestamp_as_object,
                                 integer_object_nulls, types_from_schema, categories, strings_to_categorical)
    finally:
        if self_destruct:
            _parkett._set_buffer_pool_limit(pool)
    if meta:
        frame = _apply_pandas_metadata(pd, frame, meta)
    return frame


def _buffer_pool_limit():
    from . import buffer_pool_limit
    return buffer_pool_limit()


def _convert_columns(pd, names, columns, rows, self_destruct, date_as_object, timestamp_as_object,
                     integer_object_nulls, types_from_schema, categories, strings_to_categorical):
    data = {}
    for i, name in enumerate(names):
        column = columns[i]
        values = column_to_pandas(column, date_as_object=date_as_object, timestamp_as_object=timestamp_as_object,
                                  integer_object_nulls=integer_object_nulls, types_from_schema=types_from_schema,
                                  owned=self_destruct)
        if (categories and name in categories) or (strings_to_categorical and str(column.type) in ("string", "large_string")):
            values = pd.Categorical(values)
        data[name] = values
        if self_destruct:
            columns[i] = None
            del column
    if not names:
        return pd.DataFrame(index=pd.RangeIndex(rows))
    return pd.DataFrame(data, columns=names, copy=False)


def _extension_dtypes(pd, frame, meta):
    """Columns written from pandas' extension dtypes (Int32, boolean, string, Float64, ...)
    get them back, as pyarrow restores them from the metadata's numpy_type: without nulls
    they would read as plain numpy columns, strings as objects."""
    counts = collections.Counter(frame.columns)
    for c in meta.get("columns", []):
        name, numpy_type = c.get("field_name"), c.get("numpy_type")
        if not isinstance(numpy_type, str) or counts.get(name) != 1 or numpy_type.startswith(("category", "datetime")):
            continue
        try:
            dtype = pd.api.types.pandas_dtype(numpy_type)
        except (TypeError, ValueError):
            continue  # a type name pandas does not know (another version's, another library's)
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and frame[name].dtype != dtype:
            try:
                frame[name] = frame[name].astype(dtype)
            except (TypeError, ValueError):
                pass  # values that do not fit what the metadata says: keep what was read
    return frame


def _apply_pandas_metadata(pd, frame, meta):
    frame = _extension_dtypes(pd, frame, meta)
    index_columns = meta.get("index_columns") or []
    indexes = []
    drop = []
    for entry in index_columns:
        if isinstance(entry, str):
            if entry not in frame.columns:
                return frame  # columns were projected away: keep the default index
            indexes.append(entry)
            drop.append(entry)
        elif isinstance(entry, dict) and entry.get("kind") == "range":
            if len(frame) == len(range(entry["start"], entry["stop"], entry["step"])):
                frame.index = pd.RangeIndex(entry["start"], entry["stop"], entry["step"], name=entry.get("name"))
    if indexes:
        names = {}
        for c in meta.get("columns", []):
            if c.get("field_name") in indexes:
                names[c["field_name"]] = c.get("name")
        frame = frame.set_index(indexes)
        frame.index.names = [names.get(i, None if i.startswith("__index_level_") else i) for i in indexes]
    return frame


# ---- from pandas ------------------------------------------------------------------------

def _pandas_type(pd, series):
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetimetz"
    if dtype.kind == "M":
        return "datetime"
    if dtype.kind == "b" or str(dtype) == "boolean":
        return "bool"
    if dtype.kind in "iu" or str(dtype).startswith(("Int", "UInt")):
        return str(dtype).lower()
    if dtype.kind == "f" or str(dtype).startswith("Float"):
        return str(dtype).lower()
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    return {"string": "unicode", "bytes": "bytes", "decimal": "decimal", "date": "date", "datetime": "datetime",
            "time": "time", "empty": "empty"}.get(inferred, "object")


def series_to_column(series, type=None):
    """A pandas Series (or Index) as a one-chunk parkett Column."""
    pd = _pandas()
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes if isinstance(series, pd.Series) else series.codes, dtype=np.int32)
        mask = codes < 0
        indices = _parkett._array_from_numpy(codes, mask if mask.any() else None)
        categories = np.asarray(dtype.categories)
        value_type = None if type is None or not str(type).startswith("dictionary") else type.value_type
        if categories.dtype.kind == "O":
            values = _parkett._array_from_objects(list(categories), value_type)
        else:
            values = _parkett._array_from_numpy(categories, None, value_type)
        return _parkett._dictionary_column(indices, values)
    if isinstance(dtype, pd.DatetimeTZDtype):
        index = pd.DatetimeIndex(series)
        utc = index.tz_convert("UTC").tz_localize(None)
        ts_type = type if type is not None else _parkett.timestamp("ns", tz=zone_name(dtype.tz))
        values = np.asarray(utc.values, dtype="M8[ns]")
        if ts_type.unit != "ns":
            return _parkett._array_from_objects(list(series), ts_type, True)
        return _parkett._array_from_numpy(values, None, ts_type, True)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and hasattr(series.array, "_mask"):
        array = series.array  # Int64, boolean, Float64: values and mask
        return _parkett._array_from_numpy(np.asarray(array._data), np.asarray(array._mask), type, False)
    if dtype.kind == "m":
        raise _parkett.UnsupportedError(
            f"column '{series.name}' is a timedelta; parkett has no duration type (store it as int64 nanoseconds)")
    if dtype.kind in "biufM":
        return _parkett._array_from_numpy(np.asarray(series), None, type, dtype.kind in "fM")
    objects = series.astype(object).where(series.notna(), None) if len(series) else series.astype(object)
    return _parkett._array_from_objects(list(objects), type, True)


def from_pandas(df, schema=None, preserve_index=None, columns=None, nthreads=None):
    """A parkett Table of a pandas DataFrame (see the module's docstring)."""
    pd = _pandas()
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if columns is not None:
        df = df[list(columns)]
    fields, arrays, column_meta = [], [], []
    index_meta = []
    for name in df.columns:
        if not isinstance(name, str):
            raise _parkett.InvalidArgumentError(f"column names must be strings, got {name!r}")
    index = df.index
    store_index = preserve_index is True or (preserve_index is None and not isinstance(index, pd.RangeIndex))
    schema_types = {f.name: f for f in schema} if schema is not None else {}

    def add(name, series, field_name):
        field = schema_types.get(field_name)
        column = series_to_column(series, field.type if field is not None else None)
        nullable = field.nullable if field is not None else True
        fields.append(_parkett.field(field_name, column.type, nullable))
        arrays.append(column)
        column_meta.append({"name": name, "field_name": field_name, "pandas_type": _pandas_type(pd, series),
                            "numpy_type": str(series.dtype), "metadata": _column_metadata(pd, series)})

    for name in df.columns:
        add(name, df[name], name)
    if store_index:
        for level in range(index.nlevels):
            values = index.get_level_values(level)
            field_name = values.name if isinstance(values.name, str) and values.name not in df.columns \
                else f"__index_level_{level}__"
            add(values.name, values.to_series(index=None), field_name)
            index_meta.append(field_name)
    elif preserve_index is None and isinstance(index, pd.RangeIndex):
        index_meta.append({"kind": "range", "name": index.name, "start": index.start, "stop": index.stop,
                           "step": index.step})
    meta = {
        "index_columns": index_meta,
        "column_indexes": [{"name": None, "field_name": None, "pandas_type": "unicode", "numpy_type": "object",
                            "metadata": {"encoding": "UTF-8"}}],
        "columns": column_meta,
        "creator": {"library": "parkett", "version": _parkett.version()},
        "pandas_version": pd.__version__,
    }
    metadata = dict(schema.metadata or {}) if schema is not None else {}
    metadata[b"pandas"] = json.dumps(meta).encode()
    return _parkett._table_from_columns(arrays, _parkett.schema(fields, metadata))


def zone_name(tz):
    """A time zone as Arrow names it: an IANA name (zoneinfo's key, pytz's zone, dateutil's
    file below zoneinfo) or a fixed offset "+HH:MM" ("UTC" for none)."""
    for attribute in ("key", "zone"):
        name = getattr(tz, attribute, None)
        if isinstance(name, str) and name:
            return name
    filename = getattr(tz, "_filename", None)  # dateutil.tz.tzfile
    if isinstance(filename, str) and "zoneinfo/" in filename:
        return filename.split("zoneinfo/", 1)[1]
    import datetime as _dt
    offset = tz.utcoffset(_dt.datetime(2000, 1, 1))
    if offset is None:
        raise _parkett.InvalidArgumentError(f"time zone {tz!r} has no name or fixed offset")
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _column_metadata(pd, series):
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"num_categories": len(dtype.categories), "ordered": bool(dtype.ordered)}
    if isinstance(dtype, pd.DatetimeTZDtype):
        return {"timezone": zone_name(dtype.tz)}
    return None

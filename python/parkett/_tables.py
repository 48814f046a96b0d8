"""Building tables from Python data (pyarrow's Table.from_pydict, from_pylist, from_arrays,
from_pandas) and the conversions Table gains in Python (to_pandas, column conversions)."""
from . import _parkett
from . import pandas_compat


def _column(values, type=None):
    """One column from a list, a numpy array, a pandas Series, a parkett Column or any
    object with __arrow_c_array__ / __arrow_c_stream__ (one column)."""
    if isinstance(values, _parkett.Column):
        if values.num_chunks != 1:
            raise _parkett.InvalidArgumentError("columns built into a table must be single arrays")
        return values
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None
    if pd is not None and isinstance(values, (pd.Series, pd.Index)):
        return pandas_compat.series_to_column(values, type)
    if np is not None and isinstance(values, np.ndarray):
        return _parkett._array_from_numpy(values, None, type, False)
    return _parkett._array_from_objects(values, type, False)


def from_arrays(arrays, names=None, schema=None, metadata=None):
    if schema is None:
        if names is None or len(names) != len(arrays):
            raise _parkett.InvalidArgumentError("from_arrays needs one name per array, or a schema")
        columns = [_column(a) for a in arrays]
        schema = _parkett.schema([_parkett.field(n, c.type) for n, c in zip(names, columns)], metadata)
    else:
        columns = [_column(a, f.type) for a, f in zip(arrays, schema)]
    return _parkett._table_from_columns(columns, schema)


def from_pydict(mapping, schema=None, metadata=None):
    if schema is not None:
        missing = [f.name for f in schema if f.name not in mapping]
        if missing:
            raise _parkett.InvalidArgumentError(f"no values for the schema's field(s) {missing}")
        return from_arrays([mapping[f.name] for f in schema], schema=schema)
    names = list(mapping.keys())
    return from_arrays([mapping[n] for n in names], names=names, metadata=metadata)


def from_pylist(rows, schema=None, metadata=None):
    names = [f.name for f in schema] if schema is not None else list(dict.fromkeys(k for r in rows for k in r))
    return from_pydict({n: [r.get(n) for r in rows] for n in names}, schema=schema, metadata=metadata)


def to_pandas(self, **kwargs):
    return pandas_compat.table_to_pandas(self, **kwargs)


def install():
    """Adds the Python-level constructors and conversions to the C++ classes."""
    T = _parkett.Table
    T.from_arrays = staticmethod(from_arrays)
    T.from_pydict = staticmethod(from_pydict)
    T.from_pylist = staticmethod(from_pylist)
    T.from_pandas = staticmethod(pandas_compat.from_pandas)
    T.to_pandas = to_pandas
    _parkett.RecordBatch.to_pandas = lambda self, **kw: to_pandas(_parkett.Table.from_batches([self]), **kw)
    _parkett.Column.to_pandas = lambda self, **kw: _series(self, **kw)


def _series(column, **kwargs):
    import pandas as pd
    return pd.Series(pandas_compat.column_to_pandas(column, **kwargs), name=column.name, copy=False)

"""Filters as parkett reads them: SQL-like text (the CLI's ``--where``), or pyarrow's
disjunctive normal form turned into that text.

DNF: a list of ``(column, op, value)`` tuples is their AND; a list of such lists is the OR
of those ANDs. ``op`` is one of ``=``, ``==``, ``!=``, ``<``, ``>``, ``<=``, ``>=``, ``in``
and ``not in``, plus ``is`` / ``is not`` with ``None`` for null tests. Comparisons follow
SQL: a null never satisfies one, ``!=`` and ``not in`` included (pyarrow keeps nulls for
``not in``; parkett does not).
"""
import datetime as _dt
import decimal as _decimal
import math as _math

from . import _parkett

__all__ = ["filters_to_sql"]

_COMPARISONS = {"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


def _name(column):
    if isinstance(column, (tuple, list)):  # a nested field as a path of names
        return ".".join(_name(part) for part in column)
    if not isinstance(column, str):
        raise _parkett.InvalidArgumentError(f"a filter's column must be a name, got {column!r}")
    return '"' + column.replace('"', '""') + '"'


def _timestamp_text(value):
    if value != value:  # pandas.NaT
        raise _parkett.InvalidArgumentError("NaT cannot be compared with; use ('column', 'is', None)")
    # isoformat gives the fraction's digits (pandas.Timestamp's nanoseconds too) and the
    # offset of an aware value as +HH:MM; UTC is written as Z.
    text = value.isoformat(sep=" ")
    if value.tzinfo is not None and value.utcoffset() == _dt.timedelta(0) and text.endswith("+00:00"):
        text = text[: -len("+00:00")] + "Z"
    return "TIMESTAMP '" + text + "'"


def _literal(value):
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency of every test setup
        np = None
    if np is not None:
        if isinstance(value, np.datetime64):
            if np.isnat(value):
                raise _parkett.InvalidArgumentError("NaT cannot be compared with; use ('column', 'is', None)")
            return "TIMESTAMP '" + str(value).replace("T", " ") + "'"
        if isinstance(value, np.generic):
            value = value.item()
    if value is None:
        raise _parkett.InvalidArgumentError("a comparison with None is never true; use ('column', 'is', None)")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not _math.isfinite(value):
            raise _parkett.InvalidArgumentError(f"filters cannot compare with {value!r}")
        return repr(value)
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise _parkett.InvalidArgumentError(f"filters cannot compare with {value!r}")
        return format(value, "f")
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "X'" + bytes(value).hex() + "'"
    if isinstance(value, _dt.datetime):
        return _timestamp_text(value)
    if isinstance(value, _dt.date):
        return "DATE '" + value.isoformat() + "'"
    if isinstance(value, _dt.time):
        return "TIME '" + value.isoformat() + "'"
    raise _parkett.InvalidArgumentError(f"filters cannot compare with a {type(value).__name__} ({value!r})")


def _term(term):
    if not isinstance(term, (tuple, list)) or len(term) != 3:
        raise _parkett.InvalidArgumentError(f"a filter term is (column, op, value), got {term!r}")
    column, op, value = term
    name = _name(column)
    op = op.lower().strip() if isinstance(op, str) else op
    if op in _COMPARISONS:
        return f"{name} {_COMPARISONS[op]} {_literal(value)}"
    if op in ("in", "not in"):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise _parkett.InvalidArgumentError(f"'{op}' takes a collection of values, got {value!r}")
        values = [v for v in value]
        if not values:
            # Nothing is in an empty set; everything not null is outside it.
            return f"({name} IS NULL AND {name} IS NOT NULL)" if op == "in" else f"{name} IS NOT NULL"
        text = f"{name} IN ({', '.join(_literal(v) for v in values)})"
        return text if op == "in" else f"NOT ({text})"
    if op in ("is", "is not") and value is None:
        return f"{name} IS NULL" if op == "is" else f"{name} IS NOT NULL"
    raise _parkett.InvalidArgumentError(
        f"filter operator {op!r} is not one of =, ==, !=, <, >, <=, >=, in, not in, is, is not")


def filters_to_sql(filters):
    """The SQL text of ``filters`` (DNF, SQL text, or None), checked by parkett's parser."""
    if filters is None:
        return None
    if isinstance(filters, str):
        text = filters
    else:
        if not isinstance(filters, (list, tuple)) or len(filters) == 0:
            raise _parkett.InvalidArgumentError(f"filters must be SQL text or a non-empty list, got {filters!r}")
        if all(isinstance(f, (list,)) and (len(f) == 0 or isinstance(f[0], (list, tuple))) for f in filters):
            groups = filters  # [[...], [...]]: OR of ANDs
        else:
            groups = [filters]
        ors = []
        for group in groups:
            if len(group) == 0:
                raise _parkett.InvalidArgumentError("an AND group of filters is empty")
            ors.append(" AND ".join(f"({_term(t)})" for t in group))
        text = ors[0] if len(ors) == 1 else " OR ".join(f"({o})" for o in ors)
    return _parkett._normalize_filter(text)

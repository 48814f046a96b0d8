"""Filters in pyarrow's DNF form and as SQL text: the rows kept are those the condition
holds for, computed here in plain Python over the unfiltered read, and row groups that
cannot match are skipped."""
import datetime as dt
import decimal

import pytest

import parkett
import parkett.parquet as pq
from parkett.filters import filters_to_sql

N = 2000


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    p = tmp_path_factory.mktemp("filters") / "t.parquet"
    pq.write_table(parkett.table({
        "id": list(range(N)),
        "age": [i % 90 if i % 11 else None for i in range(N)],
        "name": [f"user{i % 50}" for i in range(N)],
        "day": [dt.date(2024, 1, 1) + dt.timedelta(days=i // 100) for i in range(N)],
        "at": [dt.datetime(2024, 1, 1) + dt.timedelta(minutes=i) for i in range(N)],
        "price": [decimal.Decimal(i) / 100 for i in range(N)],
        "blob": [bytes([i % 256]) for i in range(N)],
    }), p, row_group_size=200)
    return p


def rows(path, **kw):
    return pq.read_table(path, **kw).to_pylist()


def keep(path, predicate):
    return [r for r in rows(path) if predicate(r)]


def test_and_of_comparisons(path):
    got = rows(path, filters=[("age", ">=", 13), ("age", "<=", 19)])
    assert got == keep(path, lambda r: r["age"] is not None and 13 <= r["age"] <= 19)
    assert got


def test_or_of_ands(path):
    got = rows(path, filters=[[("id", "<", 5)], [("name", "==", "user7"), ("id", ">", 1900)]])
    assert got == keep(path, lambda r: r["id"] < 5 or (r["name"] == "user7" and r["id"] > 1900))


def test_in_and_not_in(path):
    assert rows(path, filters=[("name", "in", {"user1", "user2"})]) == keep(path, lambda r: r["name"] in ("user1", "user2"))
    # SQL semantics: a null is neither in nor not in a set.
    assert rows(path, filters=[("age", "not in", [1, 2, 3])]) == \
        keep(path, lambda r: r["age"] is not None and r["age"] not in (1, 2, 3))
    assert rows(path, filters=[("age", "in", [])]) == []


def test_null_tests(path):
    assert rows(path, filters=[("age", "is", None)]) == keep(path, lambda r: r["age"] is None)
    assert len(rows(path, filters=[("age", "is not", None)])) == N - len(keep(path, lambda r: r["age"] is None))
    with pytest.raises(parkett.InvalidArgumentError, match="is', None"):
        rows(path, filters=[("age", "=", None)])


def test_typed_literals(path):
    assert rows(path, filters=[("day", "=", dt.date(2024, 1, 3))]) == keep(path, lambda r: r["day"] == dt.date(2024, 1, 3))
    t = dt.datetime(2024, 1, 1, 10, 0)
    assert rows(path, filters=[("at", "<", t)]) == keep(path, lambda r: r["at"] < t)
    assert rows(path, filters=[("price", ">", decimal.Decimal("19.5"))]) == keep(path, lambda r: r["price"] > decimal.Decimal("19.5"))
    assert rows(path, filters=[("blob", "=", b"\x07")]) == keep(path, lambda r: r["blob"] == b"\x07")
    assert rows(path, filters=[("name", "=", "it's")]) == []


def test_timestamp_literals_keep_their_digits_and_zones():
    import pandas as pd
    assert filters_to_sql([("t", "<", pd.Timestamp("2024-01-01 00:00:00.000000001"))]) == \
        "t < TIMESTAMP '2024-01-01 00:00:00.000000001'"
    assert filters_to_sql([("t", "<", pd.Timestamp("2024-01-01 00:00:00.5", tz="America/New_York"))]) == \
        "t < TIMESTAMP '2024-01-01 05:00:00.500000Z'"
    with pytest.raises(parkett.InvalidArgumentError, match="NaT"):
        filters_to_sql([("t", "<", pd.NaT)])


def test_sql_text_is_the_same_filter(path):
    assert rows(path, filters="age BETWEEN 13 AND 19") == rows(path, filters=[("age", ">=", 13), ("age", "<=", 19)])
    assert rows(path, filters="name LIKE 'user1%' AND id < 100") == \
        keep(path, lambda r: r["name"].startswith("user1") and r["id"] < 100)


def test_names_needing_quotes(tmp_path):
    p = tmp_path / "q.parquet"
    pq.write_table(parkett.table({"a.b": [1, 2, 3], 'say "hi"': ["x", "y", "z"]}), p)
    assert pq.read_table(p, filters=[("a.b", ">", 1), ('say "hi"', "!=", "z")]).to_pydict() == \
        {"a.b": [2], 'say "hi"': ["y"]}


def test_statistics_skip_row_groups(path):
    f = pq.ParquetFile(path)
    table, counts = f.reader.read_with_counts({"filter": filters_to_sql([("id", ">=", 1900)])})
    assert table.num_rows == 100
    assert counts["row_groups_read"] == 1 and counts["row_groups_skipped"] == 9


def test_bad_filters(path):
    with pytest.raises(parkett.InvalidArgumentError, match="operator"):
        rows(path, filters=[("id", "~", 1)])
    with pytest.raises(parkett.InvalidArgumentError, match="column, op, value"):
        rows(path, filters=[("id", "<")])
    with pytest.raises(parkett.InvalidArgumentError):
        rows(path, filters=[("id", "<", object())])
    with pytest.raises(parkett.InvalidArgumentError):
        rows(path, filters=[("id", "<", "text")])  # a string literal for an integer column

"""pandas round trips of every type pandas has, through a Parquet file: the DataFrame read
back equals the one written (dtypes included), nulls and zones kept, the index restored."""
import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import parkett
import parkett.parquet as pq


def round_trip(df, tmp_path, **kwargs):
    path = tmp_path / "df.parquet"
    pq.write_table(parkett.Table.from_pandas(df), path, **kwargs)
    return pq.read_table(path).to_pandas()


def test_numbers_and_booleans(tmp_path):
    df = pd.DataFrame({
        "i8": np.array([1, -2, 3], dtype="i1"), "i16": np.array([1, -2, 3], dtype="i2"),
        "i32": np.array([1, -2, 3], dtype="i4"), "i64": np.array([1, -2, 2**62], dtype="i8"),
        "u8": np.array([1, 2, 255], dtype="u1"), "u16": np.array([1, 2, 65535], dtype="u2"),
        "u32": np.array([1, 2, 2**32 - 1], dtype="u4"), "u64": np.array([1, 2, 2**64 - 1], dtype="u8"),
        "f32": np.array([1.5, -0.0, np.inf], dtype="f4"), "f64": np.array([1.5, np.nan, -np.inf]),
        "b": [True, False, True],
    })
    pdt.assert_frame_equal(round_trip(df, tmp_path), df)


def test_nullable_extension_dtypes(tmp_path):
    df = pd.DataFrame({
        "I8": pd.array([1, None, 3], dtype="Int8"), "I64": pd.array([None, 2, 3], dtype="Int64"),
        "U32": pd.array([1, None, 3], dtype="UInt32"), "B": pd.array([True, None, False], dtype="boolean"),
    })
    pdt.assert_frame_equal(round_trip(df, tmp_path), df)


def test_extension_dtypes_come_back_without_nulls_too(tmp_path):
    # The metadata's numpy_type restores them, as pyarrow does: Int32 without a null would
    # otherwise read as int32, strings as objects.
    df = pd.DataFrame({
        "I32": pd.array([1, 2, 3], dtype="Int32"), "B": pd.array([True, False, True], dtype="boolean"),
        "S": pd.array(["a", None, "c"], dtype="string"), "F": pd.array([1.5, None, 2.0], dtype="Float64"),
        "U": pd.array([1, 2, 3], dtype="UInt8"), "plain": np.array([1, 2, 3], dtype="i8"),
    })
    back = round_trip(df, tmp_path)
    pdt.assert_frame_equal(back, df)
    # A column the metadata lists as Int32 but read as a type it cannot take keeps its own.
    t = parkett.table({"x": ["not a number"]})
    meta = {"columns": [{"name": "x", "field_name": "x", "numpy_type": "Int32"}], "index_columns": []}
    import json
    t = t.replace_schema_metadata({"pandas": json.dumps(meta)})
    assert t.to_pandas()["x"].tolist() == ["not a number"]


def test_integers_with_nulls_come_back_nullable():
    t = parkett.table({"x": [1, None, 3]})
    assert str(t.to_pandas()["x"].dtype) == "Int64"
    assert t.to_pandas()["x"].isna().tolist() == [False, True, False]


def test_strings_bytes_decimals_dates_and_times(tmp_path):
    df = pd.DataFrame({
        "s": ["a", None, "ünïcode"], "bin": [b"\x00\x01", None, b""],
        "dec": [decimal.Decimal("1.10"), None, decimal.Decimal("-99.99")],
        "date": [dt.date(2024, 2, 29), None, dt.date(1, 1, 1)],
        "time": [dt.time(12, 30, 1, 5), None, dt.time(0)],
    })
    pdt.assert_frame_equal(round_trip(df, tmp_path), df)


def test_timestamps_with_and_without_zones(tmp_path):
    naive = pd.to_datetime(["2024-01-01 00:00:00.123456789", None, "1970-01-01"])
    df = pd.DataFrame({
        "naive": naive,
        "utc": naive.tz_localize("UTC"),
        "paris": pd.to_datetime(["2024-06-01 12:00", "2024-12-01 12:00", None]).tz_localize("Europe/Paris"),
    })
    back = round_trip(df, tmp_path)
    pdt.assert_frame_equal(back, df)
    assert str(back["paris"].dtype) == "datetime64[ns, Europe/Paris]"


def test_timestamps_outside_the_nanosecond_range(tmp_path):
    path = tmp_path / "old.parquet"
    pq.write_table(parkett.table({"t": [dt.datetime(1000, 1, 1)]}), path)  # microseconds: fine in Parquet
    with pytest.raises(parkett.InvalidArgumentError, match="outside pandas' datetime64"):
        pq.read_table(path).to_pandas()
    assert pq.read_table(path).to_pandas(timestamp_as_object=True)["t"][0] == dt.datetime(1000, 1, 1)


def test_categoricals(tmp_path):
    df = pd.DataFrame({"c": pd.Categorical(["x", "y", None, "x"]), "n": pd.Categorical([3, 1, 3, None])})
    back = round_trip(df, tmp_path)
    assert back["c"].dtype == "category" and back["c"].tolist() == ["x", "y", np.nan, "x"]
    assert sorted(back["c"].cat.categories) == ["x", "y"]
    assert back["n"].tolist()[:2] == [3, 1] and pd.isna(back["n"][3])


def test_dictionary_read_is_categorical(tmp_path):
    path = tmp_path / "d.parquet"
    pq.write_table(parkett.table({"s": ["a", "b", "a", None] * 1000}), path, row_group_size=1000)
    df = pq.read_table(path, read_dictionary=["s"]).to_pandas()
    assert df["s"].dtype == "category"
    assert df["s"].tolist()[:4] == ["a", "b", "a", np.nan] and len(df) == 4000


def test_nested_values(tmp_path):
    df = pd.DataFrame({"l": [[1, 2], None, []], "m": [{"a": 1, "b": "x"}, None, {"a": None, "b": "z"}]})
    back = round_trip(df, tmp_path)
    assert back["l"].tolist() == [[1, 2], None, []]
    assert back["m"].tolist() == [{"a": 1, "b": "x"}, None, {"a": None, "b": "z"}]


def test_indexes(tmp_path):
    df = pd.DataFrame({"v": [1.0, 2.0, 3.0]}, index=pd.Index(["a", "b", "c"], name="key"))
    pdt.assert_frame_equal(round_trip(df, tmp_path), df)
    ranged = pd.DataFrame({"v": [1, 2]}, index=pd.RangeIndex(10, 14, 2))
    pdt.assert_frame_equal(round_trip(ranged, tmp_path), ranged)
    multi = pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k1", "k2"]))
    pdt.assert_frame_equal(round_trip(multi, tmp_path), multi)
    dropped = parkett.Table.from_pandas(df, preserve_index=False)
    assert dropped.column_names == ["v"]


def test_index_columns_come_with_a_projection(tmp_path):
    df = pd.DataFrame({"v": [1, 2], "w": [3, 4]}, index=pd.Index(["a", "b"], name="key"))
    path = tmp_path / "i.parquet"
    pq.write_table(parkett.Table.from_pandas(df), path)
    pdt.assert_frame_equal(pq.read_pandas(path, columns=["w"]).to_pandas(), df[["w"]])


def test_timedelta_is_refused_clearly():
    with pytest.raises(parkett.UnsupportedError, match="timedelta"):
        parkett.Table.from_pandas(pd.DataFrame({"d": pd.to_timedelta([1, 2], unit="s")}))


def test_zero_copy_only_when_the_table_is_given_up():
    t = parkett.table({"x": np.arange(10, dtype="i8")})
    address = t.column("x").to_numpy(zero_copy_only=True).__array_interface__["data"][0]
    kept = t.to_pandas()
    assert kept["x"].values.__array_interface__["data"][0] != address  # a copy: the table keeps its memory
    kept.loc[0, "x"] = 99
    assert t.column("x").to_pylist()[0] == 0
    given = t.to_pandas(self_destruct=True)
    assert given["x"].values.__array_interface__["data"][0] == address  # the table's buffer, now the frame's
    assert given["x"].values.flags.writeable and t.num_rows == 0
    given.loc[0, "x"] = 7
    assert given["x"].tolist()[:2] == [7, 1]


def test_time_zones_of_every_kind(tmp_path):
    import datetime as dt
    import zoneinfo
    stamps = pd.to_datetime(["2024-01-01 12:00", "2024-07-01 12:00"])
    zones = [dt.timezone(dt.timedelta(hours=5, minutes=30)), zoneinfo.ZoneInfo("America/New_York"), "UTC"]
    for zone in zones:
        df = pd.DataFrame({"t": stamps.tz_localize(zone)})
        back = round_trip(df, tmp_path)
        assert back["t"].dt.tz_convert("UTC").tolist() == df["t"].dt.tz_convert("UTC").tolist()
        parkett.Table.from_pandas(df).to_pylist()  # the stored zone name reads back in Python too
    fixed = parkett.Table.from_pandas(pd.DataFrame({"t": stamps.tz_localize(zones[0])}))
    assert str(fixed.schema.field("t").type) == "timestamp[ns, tz=+05:30]"


def test_sliced_range_index(tmp_path):
    df = pd.DataFrame({"v": range(10)}).iloc[::3]
    pdt.assert_frame_equal(round_trip(df, tmp_path), df)

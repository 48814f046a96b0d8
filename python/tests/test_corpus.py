"""Every corpus file read from Python equals its expected dump: the table goes through the
Arrow PyCapsule stream to parkett's C++ import side (_parkett_testing), which renders the
canonical JSON Lines the corpus's dumps hold. Files without a dump either read or raise a
ParkettError subclass, never anything else."""
import json

import pytest

import parkett
import parkett.parquet as pq
from parkett import _parkett_testing
from conftest import CORPUS, EXPECTED


def dumps():
    return sorted(p.relative_to(EXPECTED) for p in EXPECTED.rglob("*.jsonl"))


def names(schema_line):
    return [c["name"] for c in json.loads(schema_line)["columns"]]


class StreamOnly:
    """Hides the Table, so that the import takes the capsule path."""

    def __init__(self, table):
        self.table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self.table.__arrow_c_stream__(requested_schema)


@pytest.mark.parametrize("dump", dumps(), ids=str)
def test_read_equals_the_expected_dump(dump):
    source = CORPUS / "data" / str(dump)[: -len(".jsonl")]
    table = pq.read_table(source, coerce_int96_timestamp_unit="us")
    got = _parkett_testing.canonical_jsonl(StreamOnly(table), str(source)).splitlines()
    expected = (EXPECTED / dump).read_text().splitlines()
    assert names(got[0]) == names(expected[0])
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got[1:], expected[1:])):
        assert g == e, f"row {i}"


def test_there_are_dumps_to_compare():
    assert len(dumps()) >= 60


def others():
    with_dump = {CORPUS / "data" / str(d)[: -len(".jsonl")] for d in dumps()}
    files = [p for d in ("data", "bad_data") for p in (CORPUS / d).rglob("*") if p.is_file()
             and (p.suffix in (".parquet", ".encrypted") or p.name.endswith(".parquet.encrypted"))]
    return sorted(p for p in files if p not in with_dump)


@pytest.mark.parametrize("path", others(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_other_files_read_or_raise_a_parkett_error(path):
    try:
        table = pq.read_table(path)
        assert table.num_rows >= 0
        table.slice(0, 50).to_pylist()  # values convert to Python objects too
    except parkett.ParkettError as e:
        assert e.kind in ("Corrupt", "Unsupported", "Crypto", "ResourceLimit", "InvalidArgument"), str(e)
        assert str(e)

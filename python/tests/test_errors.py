"""parkett's errors in Python: one class per error kind, each also the built-in exception
Python code already catches for such a failure, with parkett's message and location."""
import os

import pytest

import parkett
import parkett.parquet as pq
from conftest import CORPUS


def test_the_class_tree():
    assert issubclass(parkett.CorruptFileError, parkett.ParkettError)
    assert issubclass(parkett.NotFoundError, FileNotFoundError)
    assert issubclass(parkett.ParkettIOError, OSError)
    assert issubclass(parkett.InvalidArgumentError, ValueError)
    assert issubclass(parkett.UnsupportedError, NotImplementedError)
    assert issubclass(parkett.ResourceLimitError, MemoryError)
    assert not issubclass(parkett.CryptoError, OSError)


def test_a_missing_file_is_file_not_found(tmp_path):
    missing = tmp_path / "nope.parquet"
    with pytest.raises(FileNotFoundError) as info:
        pq.ParquetFile(missing)
    e = info.value
    assert isinstance(e, parkett.NotFoundError) and e.kind == "NotFound"
    assert str(missing) in str(e)


def test_a_missing_column(tmp_path):
    with pytest.raises(parkett.InvalidArgumentError, match="no column named 'nope'"):
        pq.read_table(CORPUS / "data/alltypes_plain.parquet", columns=["nope"])


def test_a_file_that_is_not_parquet(tmp_path):
    path = tmp_path / "text.parquet"
    path.write_bytes(b"hello, this is not a parquet file at all")
    with pytest.raises(parkett.CorruptFileError) as info:
        pq.read_table(path)
    assert info.value.kind == "Corrupt" and info.value.file == str(path)
    assert str(path) in str(info.value)


def test_a_truncated_file_names_where(tmp_path):
    data = (CORPUS / "data/alltypes_plain.parquet").read_bytes()
    path = tmp_path / "cut.parquet"
    path.write_bytes(data[:200] + data[-(len(data) - 300):])  # pages damaged, footer kept
    with pytest.raises(parkett.CorruptFileError) as info:
        pq.read_table(path)
    assert info.value.column is not None or info.value.row_group is not None, str(info.value)


def test_crc_mismatch_is_corrupt_with_a_page():
    with pytest.raises(parkett.CorruptFileError) as info:
        pq.read_table(CORPUS / "data/datapage_v1-corrupt-checksum.parquet", page_checksum_verification=True)
    assert info.value.page_offset is not None and info.value.row_group == 0


def test_encrypted_without_keys_is_a_crypto_error():
    with pytest.raises(parkett.CryptoError):
        pq.read_table(CORPUS / "data/uniform_encryption.parquet.encrypted")


def test_bad_arguments():
    with pytest.raises(parkett.InvalidArgumentError, match="filter"):
        pq.read_table(CORPUS / "data/alltypes_plain.parquet", filters="id >")
    with pytest.raises(ValueError):
        pq.read_table(CORPUS / "data/alltypes_plain.parquet", coerce_int96_timestamp_unit="minutes")
    with pytest.raises(TypeError, match="nonsense"):
        pq.read_table(CORPUS / "data/alltypes_plain.parquet", nonsense=True)
    with pytest.raises(IndexError):
        pq.ParquetFile(CORPUS / "data/alltypes_plain.parquet").read_row_group(5)


def test_io_errors_on_write(tmp_path):
    (tmp_path / "file").write_text("a file, not a directory")
    with pytest.raises(parkett.ParkettIOError) as info:
        pq.write_table(parkett.table({"a": [1]}), tmp_path / "file" / "x.parquet")
    assert isinstance(info.value, OSError) and info.value.kind == "Io"


def test_writing_into_a_missing_directory(tmp_path):
    with pytest.raises(OSError) as info:
        pq.write_table(parkett.table({"a": [1]}), tmp_path / "no" / "such" / "dir" / "x.parquet")
    assert isinstance(info.value, parkett.ParkettError)

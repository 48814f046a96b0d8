"""Encryption from Python: explicit keys, and key management through a KMS client written
in Python (called from parkett's threads) or the in-memory KMS; the corpus's files from
parquet-java and Arrow C++ decrypt with their published keys; wrong or missing keys are
CryptoErrors that never show a key."""
import base64
import threading

import pytest

import parkett
import parkett.parquet as pq
from parkett import encryption as pe
from conftest import CORPUS

FOOTER_KEY = b"0123456789012345"
COL1_KEY = b"1234567890123450"
COL2_KEY = b"1234567890123451"


def table():
    return parkett.table({"id": list(range(100)), "ssn": [f"{i:09d}" for i in range(100)], "x": [0.5] * 100})


def test_corpus_files_decrypt_with_their_keys():
    props = pe.FileDecryptionProperties(footer_key=FOOTER_KEY, column_keys={"double_field": COL1_KEY,
                                                                            "float_field": COL2_KEY})
    t = pq.read_table(CORPUS / "data/encrypt_columns_and_footer.parquet.encrypted", decryption_properties=props)
    plain = pq.read_table(CORPUS / "data/uniform_encryption.parquet.encrypted",
                          decryption_properties=pe.FileDecryptionProperties(footer_key=FOOTER_KEY))
    assert t.num_rows == plain.num_rows > 0
    assert t.to_pydict() == plain.to_pydict()
    aad = pe.FileDecryptionProperties(footer_key=FOOTER_KEY, column_keys={"double_field": COL1_KEY,
                                                                          "float_field": COL2_KEY}, aad_prefix=b"tester")
    assert pq.read_table(CORPUS / "data/encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted",
                         decryption_properties=aad).to_pydict() == plain.to_pydict()


def test_parquet_java_key_material_through_the_in_memory_kms():
    path = str(CORPUS / "data/external_key_material_java.parquet.encrypted")
    kms = pe.InMemoryKms({"kf": base64.b64encode(FOOTER_KEY).decode(), "kc1": base64.b64encode(COL1_KEY).decode(),
                          "kc2": base64.b64encode(COL2_KEY).decode()})
    factory = pe.CryptoFactory(kms)
    props = factory.file_decryption_properties(pe.KmsConnectionConfig(), path=path)
    rows = pq.read_table(path, decryption_properties=props).to_pylist()
    assert len(rows) == 100
    assert list(rows[7].values()) == [7, "h7"]


def test_explicit_keys_round_trip_and_wrong_keys(tmp_path):
    path = tmp_path / "e.parquet"
    pq.write_table(table(), path, encryption_properties=pe.FileEncryptionProperties(
        footer_key=FOOTER_KEY, column_keys={"ssn": COL1_KEY}))
    assert FOOTER_KEY not in path.read_bytes() and b"000000042" not in path.read_bytes()
    good = pe.FileDecryptionProperties(footer_key=FOOTER_KEY, column_keys={"ssn": COL1_KEY})
    assert pq.read_table(path, decryption_properties=good).to_pydict() == table().to_pydict()
    with pytest.raises(parkett.CryptoError):
        pq.read_table(path)
    wrong = pe.FileDecryptionProperties(footer_key=FOOTER_KEY, column_keys={"ssn": COL2_KEY})
    with pytest.raises(parkett.CryptoError) as info:
        pq.read_table(path, decryption_properties=wrong)
    assert COL1_KEY.decode() not in str(info.value) and COL2_KEY.decode() not in str(info.value)
    # Without the column's key, the other columns still read.
    footer_only = pe.FileDecryptionProperties(footer_key=FOOTER_KEY)
    assert pq.read_table(path, columns=["id"], decryption_properties=footer_only).num_rows == 100


class XorKms(pe.KmsClient):
    """A toy KMS in Python: wraps by XOR with the master key (enough to prove the calls)."""

    masters = {"kf": b"K" * 16, "kc1": b"C" * 16}
    calls = []

    def __init__(self, config):
        self.token = config.key_access_token

    def _xor(self, data, master):
        key = self.masters[master]
        return bytes(a ^ key[i % 16] for i, a in enumerate(data))

    def wrap_key(self, key_bytes, master_key_identifier):
        XorKms.calls.append(("wrap", master_key_identifier, threading.current_thread() is threading.main_thread()))
        return base64.b64encode(self._xor(key_bytes, master_key_identifier)).decode()

    def unwrap_key(self, wrapped_key, master_key_identifier):
        XorKms.calls.append(("unwrap", master_key_identifier, threading.current_thread() is threading.main_thread()))
        if self.token != "secret-token":
            raise PermissionError("access denied")
        return self._xor(base64.b64decode(wrapped_key), master_key_identifier)


@pytest.mark.parametrize("double_wrapping", [True, False])
@pytest.mark.parametrize("internal", [True, False])
def test_a_python_kms_client(tmp_path, double_wrapping, internal):
    path = str(tmp_path / "k.parquet")
    factory = pe.CryptoFactory(XorKms)
    config = pe.KmsConnectionConfig(key_access_token="secret-token")
    props = factory.file_encryption_properties(config, pe.EncryptionConfiguration(
        footer_key="kf", column_keys={"kc1": ["ssn"]}, double_wrapping=double_wrapping,
        internal_key_material=internal), path=path)
    pq.write_table(table(), path, encryption_properties=props)
    dec = factory.file_decryption_properties(config, path=path)
    assert pq.read_table(path, decryption_properties=dec).to_pydict() == table().to_pydict()
    assert {c[0] for c in XorKms.calls} == {"wrap", "unwrap"}
    # Another token: the client refuses, and the error says which master key, not the key.
    other = pe.CryptoFactory(XorKms)
    denied = other.file_decryption_properties(pe.KmsConnectionConfig(key_access_token="wrong"), path=path)
    with pytest.raises(parkett.CryptoError, match="master key 'kf'") as info:
        pq.read_table(path, decryption_properties=denied)
    assert "access denied" in str(info.value)


def test_a_python_kms_serves_a_threaded_dataset_read(tmp_path):
    # parkett releases the GIL while it reads; each KMS call takes it back, whichever
    # thread makes it.
    root = tmp_path / "ds"
    factory = pe.CryptoFactory(XorKms)
    config = pe.KmsConnectionConfig(key_access_token="secret-token")
    enc = pe.DatasetEncryptionConfig(factory, config, pe.EncryptionConfiguration(footer_key="kf", uniform_encryption=True))
    big = parkett.table({"k": [i % 8 for i in range(800)], "v": list(range(800))})
    pq.write_to_dataset(big, root, partition_cols=["k"], encryption_config=enc)
    XorKms.calls.clear()
    dec = pe.DatasetDecryptionConfig(pe.CryptoFactory(XorKms), config)  # a fresh key cache
    t = pq.read_table(root, decryption_config=dec, use_threads=True)
    assert sorted(t.column("v").to_pylist()) == list(range(800))
    assert any(call == "unwrap" for call, _, _ in XorKms.calls)

"""Parquet modular encryption with pyarrow.parquet.encryption's names.

Key management: a ``CryptoFactory`` takes a callable that builds a KMS client from a
``KmsConnectionConfig``; the client is a subclass of ``KmsClient`` defining
``wrap_key(key_bytes, master_key_identifier) -> str`` and
``unwrap_key(wrapped_key, master_key_identifier) -> bytes`` (or the ``InMemoryKms`` of
parkett, for tests). parkett calls the client from its own threads, taking the GIL for each
call; an exception in the client becomes a CryptoError naming the master key (never a key).

Explicit keys: ``FileEncryptionProperties`` / ``FileDecryptionProperties`` (parkett's
names for what pyarrow builds internally), for keys managed elsewhere.

    factory = CryptoFactory(lambda config: MyKms(config))
    props = factory.file_encryption_properties(KmsConnectionConfig(), EncryptionConfiguration(
        footer_key="kf", column_keys={"kc1": ["ssn"]}))
    pq.write_table(table, "t.parquet", encryption_properties=props)
    dec = factory.file_decryption_properties(KmsConnectionConfig(), path="t.parquet")
    pq.read_table("t.parquet", decryption_properties=dec)
"""
from ._parkett import (  # noqa: F401
    CryptoFactory, DatasetDecryptionConfig, DatasetEncryptionConfig, DecryptionConfiguration,
    EncryptionConfiguration, FileDecryptionProperties, FileEncryptionProperties, InMemoryKms, KmsConnectionConfig,
)

__all__ = [
    "CryptoFactory", "DecryptionConfiguration", "EncryptionConfiguration", "FileDecryptionProperties",
    "FileEncryptionProperties", "InMemoryKms", "KmsClient", "KmsConnectionConfig", "DatasetEncryptionConfig",
    "DatasetDecryptionConfig",
]


class KmsClient:
    """Base of KMS clients written in Python (pyarrow.parquet.encryption.KmsClient)."""

    def wrap_key(self, key_bytes, master_key_identifier):
        """Encrypts a data key with the master key; returns text (as stored in the file)."""
        raise NotImplementedError

    def unwrap_key(self, wrapped_key, master_key_identifier):
        """Decrypts a wrapped data key; returns its bytes."""
        raise NotImplementedError

#include "file/footer_decryption.h"

#include "crypto/module.h"
#include "file/file_metadata_impl.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

const uint8_t* bytes_of(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// Decrypts the column metadata that encrypted columns keep in encrypted_column_metadata
// (Encryption.md, "Encrypted column metadata") whose keys are at hand, and returns the
// footer with it in place of the plaintext (or stripped, or missing) meta_data. Columns
// whose keys are unavailable stay as they are: reading them fails, reading others works.
// `full`: the footer of `md` decoded.
FileMetadata with_column_metadata(const FileMetadata& md, format::FileMetaData& full, FileDecryptor& decryptor,
                                  const FooterOptions& options, const std::string& name) {
  bool changed = false;
  const ParquetSchema& schema = md.schema();
  for (size_t g = 0; g < full.row_groups.size(); ++g) {
    auto& rg = full.row_groups[g];
    // Pages, indexes and bloom filters take the row group's place in the file as its
    // ordinal; an ordinal written otherwise would make the AADs disagree.
    const auto ordinal = static_cast<int64_t>(g);
    if (rg.ordinal && *rg.ordinal != ordinal) {
      throw Error(ErrorKind::Corrupt, "row group " + std::to_string(g) + " says it is row group " +
                                          std::to_string(*rg.ordinal), ErrorContext{name, {}, {}, {}});
    }
    for (size_t c = 0; c < rg.columns.size() && c < static_cast<size_t>(schema.num_columns()); ++c) {
      auto& chunk = rg.columns[c];
      if (!chunk.encrypted_column_metadata || !chunk.crypto_metadata) continue;
      ColumnEncryption encryption;
      encryption.with_footer_key = chunk.crypto_metadata->ENCRYPTION_WITH_FOOTER_KEY.has_value();
      if (const auto& k = chunk.crypto_metadata->ENCRYPTION_WITH_COLUMN_KEY) {
        encryption.path = k->path_in_schema;
        encryption.key_metadata = k->key_metadata;
      }
      const std::string& path = schema.column(static_cast<int32_t>(c)).dotted_path;
      std::shared_ptr<const crypto::Secret> key;
      try {
        key = decryptor.key(encryption, path);
      } catch (const Error&) {
        continue;  // reported if the column is read
      }
      try {
        const std::string& module = *chunk.encrypted_column_metadata;
        std::string plain(module.size() >= crypto::overhead(crypto::Cipher::Gcm)
                              ? module.size() - crypto::overhead(crypto::Cipher::Gcm)
                              : 0,
                          '\0');
        crypto::decrypt_module(crypto::Cipher::Gcm, *key, decryptor.column_metadata_aad(ordinal, static_cast<int64_t>(c)),
                               {bytes_of(module), module.size()},
                               {reinterpret_cast<uint8_t*>(plain.data()), plain.size()}, "column metadata");
        format::ColumnMetaData meta;
        format::deserialize(bytes_of(plain), plain.size(), meta);
        crypto::wipe({reinterpret_cast<uint8_t*>(plain.data()), plain.size()});
        chunk.meta_data = std::move(meta);
        chunk.encrypted_column_metadata.reset();
        changed = true;
      } catch (Error& e) {
        if (e.kind() != ErrorKind::Crypto) {
          e.set_file(name);
          e.set_row_group(static_cast<int64_t>(g));
          e.set_column(path);
          throw;
        }
        e.set_row_group(static_cast<int64_t>(g));
        decryptor.metadata_failed(static_cast<int32_t>(g), static_cast<int32_t>(c), e);  // reported if read
      }
    }
  }
  if (!changed) return md;
  std::string decrypted;
  format::serialize(full, decrypted);
  return FileMetadata::parse(std::move(decrypted), options, name);
}

}  // namespace

OpenedFooter open_encrypted_footer(const std::string& region, const OpenOptions& options, const std::string& name) {
  format::FileCryptoMetaData crypto_md;
  size_t used = 0;
  try {
    used = format::deserialize(bytes_of(region), region.size(), crypto_md).bytes_read;
  } catch (Error& e) {
    throw Error(e.kind(), "cannot decode the FileCryptoMetaData of the encrypted footer: " + e.message());
  }
  if (!options.decryption) {
    throw Error(ErrorKind::Crypto, "encrypted footer: keys required (the footer is encrypted with the key of " +
                                       describe_key_metadata(crypto_md.key_metadata) +
                                       "; give ReadOptions::decryption)");
  }
  auto decryptor =
      std::make_shared<FileDecryptor>(crypto_md.encryption_algorithm, crypto_md.key_metadata, options.decryption, true);
  const std::span<const uint8_t> module(bytes_of(region) + used, region.size() - used);
  const size_t size = crypto::module_size(module, module.size(), crypto::Cipher::Gcm, "footer");
  if (size != module.size()) {
    throw Error(ErrorKind::Corrupt, "the encrypted footer takes " + std::to_string(size) + " bytes, but " +
                                        std::to_string(module.size()) + " lie between it and the trailer");
  }
  std::string footer(size - crypto::overhead(crypto::Cipher::Gcm), '\0');
  crypto::decrypt_module(crypto::Cipher::Gcm, *decryptor->footer_key(), decryptor->footer_aad(), module,
                         {reinterpret_cast<uint8_t*>(footer.data()), footer.size()}, "footer");
  FileMetadata md = FileMetadata::parse(footer, options.footer, name);
  format::FileMetaData full;
  format::deserialize(bytes_of(footer), footer.size(), full);
  FileMetadata out = with_column_metadata(md, full, *decryptor, options.footer, name);
  FileEncryption facts;
  const auto& algorithm = crypto_md.encryption_algorithm;
  const auto fill = [&](const auto& a) {
    facts.aad_prefix = a.aad_prefix;
    facts.aad_file_unique = a.aad_file_unique;
    facts.supply_aad_prefix = a.supply_aad_prefix;
  };
  if (algorithm.AES_GCM_V1) {
    facts.algorithm = FileEncryption::Algorithm::AesGcmV1;
    fill(*algorithm.AES_GCM_V1);
  } else if (algorithm.AES_GCM_CTR_V1) {
    facts.algorithm = FileEncryption::Algorithm::AesGcmCtrV1;
    fill(*algorithm.AES_GCM_CTR_V1);
  }
  facts.footer_key_metadata = crypto_md.key_metadata;
  facts.footer_encrypted = true;
  detail::FileMetadataImpl::set_footer_encryption(out, std::move(facts));
  return {std::move(out), decryptor};
}

OpenedFooter open_plaintext_footer(std::string footer, const OpenOptions& options, const std::string& name) {
  FileMetadata md = FileMetadata::parse(std::move(footer), options.footer, name);
  const std::optional<FileEncryption> encryption = md.encryption();
  if (!options.decryption) return {std::move(md), nullptr};
  if (!encryption) {
    if (options.decryption->plaintext_files_allowed) return {std::move(md), nullptr};
    throw Error(ErrorKind::Crypto, "the file is not encrypted, and decryption properties were given "
                                   "(DecryptionProperties::plaintext_files_allowed is off)");
  }
  // Plaintext footer mode: FileMetaData, then the signature (nonce and tag) before the trailer.
  format::FileMetaData full;
  const std::string& bytes = md.serialized();
  format::deserialize(bytes_of(bytes), bytes.size(), full);
  auto decryptor = std::make_shared<FileDecryptor>(*full.encryption_algorithm, full.footer_signing_key_metadata,
                                                         options.decryption, false);
  if (decryptor->footer_key() && options.decryption->check_footer_integrity) {
    constexpr size_t kSignature = crypto::kNonceSize + crypto::kTagSize;
    const bool signed_ok =
        bytes.size() > kSignature &&
        crypto::verify_signature(*decryptor->footer_key(), decryptor->footer_aad(),
                                 {bytes_of(bytes), bytes.size() - kSignature},
                                 {bytes_of(bytes) + bytes.size() - kSignature, kSignature});
    if (!signed_ok) {
      throw Error(ErrorKind::Crypto, "the plaintext footer's signature does not match: the footer was changed, or the "
                                     "footer key or AAD prefix is wrong");
    }
  }
  return {with_column_metadata(md, full, *decryptor, options.footer, name), decryptor};
}

}  // namespace parkett::file

// Parquet modular encryption on the command line: keys for reading (every command that
// reads) and for writing (convert). Keys never appear in messages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "parkett/dataset.h"
#include "parkett/encryption.h"

namespace parkett::cli {

struct DecryptionFlags {
  std::vector<std::string> keys;  // ID=KEY: the key of key metadata ID
  std::string footer_key;         // for footers whose key has no (known) metadata
  std::optional<std::string> aad_prefix;
  std::string kms_config;         // FILE.json: an in-memory KMS and its connection settings
};
void add_decryption_flags(CLI::App* cmd, DecryptionFlags& flags);
/// The decryption the flags ask for; null when they give no key. Plaintext files read too.
/// `path`: the file read, whose key material may lie beside it (--kms-config).
std::shared_ptr<const DecryptionProperties> decryption(const DecryptionFlags& flags, const std::string& path = {});
/// The same for every file of a dataset: with --kms-config each file's own (its key
/// material may lie beside it), else the keys' for all.
void set_decryption(const DecryptionFlags& flags, DatasetOptions& options);

struct EncryptionFlags {
  std::string footer_key;               // ID=KEY
  std::vector<std::string> columns;     // ID=KEY:col1,col2
  bool plaintext_footer = false;
  std::string algorithm;                // gcm | gcm-ctr
  std::optional<std::string> aad_prefix;
  bool no_store_aad_prefix = false;
  // Key management: master key ids in the KMS of --kms-config.
  std::string kms_config;
  std::string footer_master_key;
  std::string column_master_keys;  // K1:a,b;K2:c
  bool external_key_material = false;
  bool no_double_wrapping = false;
};
/// `aad_prefix_flag`: register --aad-prefix (false where the reading flags have it already:
/// the command then sets EncryptionFlags::aad_prefix from them).
void add_encryption_flags(CLI::App* cmd, EncryptionFlags& flags, bool aad_prefix_flag = true);
/// The encryption the flags ask for; null without --encrypt-footer-key or --footer-master-key.
/// Error(InvalidArgument) naming the flag (never the key) when one is malformed. `path`:
/// the file written (external key material goes beside it).
std::shared_ptr<const EncryptionProperties> encryption(const EncryptionFlags& flags, const std::string& path = {});
/// The same for every file of a dataset: through the KMS, data keys of each file's own.
void set_encryption(const EncryptionFlags& flags, DatasetWriteOptions& options);

/// KEY as given: 16, 24 or 32 bytes of text, "hex:..." or "base64:...". `flag` names it in
/// errors, which never show the key.
std::string parse_key(const std::string& text, const std::string& flag);

}  // namespace parkett::cli

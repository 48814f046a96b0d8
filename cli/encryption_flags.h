// Parquet modular encryption on the command line: keys for reading (every command that
// reads) and for writing (convert). Keys never appear in messages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "parkett/encryption.h"

namespace parkett::cli {

struct DecryptionFlags {
  std::vector<std::string> keys;  // ID=KEY: the key of key metadata ID
  std::string footer_key;         // for footers whose key has no (known) metadata
  std::optional<std::string> aad_prefix;
};
void add_decryption_flags(CLI::App* cmd, DecryptionFlags& flags);
/// The decryption the flags ask for; null when they give no key. Plaintext files read too.
std::shared_ptr<const DecryptionProperties> decryption(const DecryptionFlags& flags);

struct EncryptionFlags {
  std::string footer_key;               // ID=KEY
  std::vector<std::string> columns;     // ID=KEY:col1,col2
  bool plaintext_footer = false;
  std::string algorithm;                // gcm | gcm-ctr
  std::optional<std::string> aad_prefix;
  bool no_store_aad_prefix = false;
};
/// `aad_prefix_flag`: register --aad-prefix (false where the reading flags have it already:
/// the command then sets EncryptionFlags::aad_prefix from them).
void add_encryption_flags(CLI::App* cmd, EncryptionFlags& flags, bool aad_prefix_flag = true);
/// The encryption the flags ask for; null without --encrypt-footer-key. Error(InvalidArgument)
/// naming the flag (never the key) when one is malformed.
std::shared_ptr<const EncryptionProperties> encryption(const EncryptionFlags& flags);

/// KEY as given: 16, 24 or 32 bytes of text, "hex:..." or "base64:...". `flag` names it in
/// errors, which never show the key.
std::string parse_key(const std::string& text, const std::string& flag);

}  // namespace parkett::cli

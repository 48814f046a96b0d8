#include "cli/encryption_flags.h"

#include <map>

#include "parkett/error.h"
#include "util/base64.h"

namespace parkett::cli {
namespace {

const char* kGroup = "Encryption (Parquet modular encryption)";

[[noreturn]] void bad(const std::string& flag, const std::string& what) {
  throw Error(ErrorKind::InvalidArgument, flag + ": " + what);
}

// "ID=KEY" split at the first '='.
std::pair<std::string, std::string> id_and_key(const std::string& text, const std::string& flag) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) bad(flag, "expected ID=KEY (the key's id, as its key metadata names it)");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

std::string parse_key(const std::string& text, const std::string& flag) {
  std::string key;
  if (text.starts_with("hex:")) {
    const std::string hex = text.substr(4);
    if (hex.size() % 2 != 0) bad(flag, "a hex: key needs an even number of hex digits");
    for (size_t i = 0; i < hex.size(); i += 2) {
      int v = 0;
      for (size_t k = i; k < i + 2; ++k) {
        const char c = hex[k];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) bad(flag, "a hex: key holds a character that is no hex digit");
        v = v * 16 + d;
      }
      key.push_back(static_cast<char>(v));
    }
  } else if (text.starts_with("base64:")) {
    const auto decoded = util::base64_decode(text.substr(7));
    if (!decoded) bad(flag, "a base64: key is not base64");
    key = *decoded;
  } else {
    key = text;
  }
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    bad(flag, "the key has " + std::to_string(key.size()) +
                  " bytes; AES keys have 16, 24 or 32 (as text, or hex:..., base64:...)");
  }
  return key;
}

void add_decryption_flags(CLI::App* cmd, DecryptionFlags& flags) {
  cmd->add_option("--key", flags.keys,
                  "ID=KEY: the key of the footer's or a column's key metadata ID (repeatable); KEY as 16, 24 or 32 "
                  "bytes of text, hex:... or base64:...")
      ->group(kGroup);
  cmd->add_option("--footer-key", flags.footer_key, "KEY of an encrypted file's footer when its key metadata names none")
      ->group(kGroup);
  cmd->add_option("--aad-prefix", flags.aad_prefix, "The AAD prefix the file was written with, if it does not store it")
      ->group(kGroup);
}

std::shared_ptr<const DecryptionProperties> decryption(const DecryptionFlags& flags) {
  if (flags.keys.empty() && flags.footer_key.empty()) return nullptr;
  auto d = std::make_shared<DecryptionProperties>();
  if (!flags.footer_key.empty()) d->footer_key = parse_key(flags.footer_key, "--footer-key");
  std::map<std::string, std::string> keys;
  for (const std::string& k : flags.keys) {
    auto [id, key] = id_and_key(k, "--key");
    keys[id] = parse_key(key, "--key " + id);
  }
  d->key_retriever = [keys = std::move(keys)](const std::string& metadata) {
    const auto k = keys.find(metadata);
    return k == keys.end() ? std::string() : k->second;
  };
  d->aad_prefix = flags.aad_prefix;
  d->plaintext_files_allowed = true;  // a command reads what it is given
  return d;
}

void add_encryption_flags(CLI::App* cmd, EncryptionFlags& flags, bool aad_prefix_flag) {
  cmd->add_option("--encrypt-footer-key", flags.footer_key,
                  "ID=KEY: encrypt with this footer key, stored with key metadata ID; alone, every column is "
                  "encrypted with it")
      ->group(kGroup);
  cmd->add_option("--encrypt-column", flags.columns,
                  "ID=KEY:col1,col2: encrypt these columns (or fields) with their own key (repeatable); columns "
                  "named by none stay plaintext")
      ->group(kGroup);
  cmd->add_flag("--plaintext-footer", flags.plaintext_footer,
                "Leave the footer readable, signed (readers without keys read the plaintext columns)")
      ->group(kGroup);
  cmd->add_option("--encryption-algorithm", flags.algorithm, "gcm (default) or gcm-ctr (pages in AES-CTR)")
      ->group(kGroup);
  if (aad_prefix_flag) {
    cmd->add_option("--aad-prefix", flags.aad_prefix, "Bind the file to this text: readers need the same")->group(kGroup);
  }
  cmd->add_flag("--no-store-aad-prefix", flags.no_store_aad_prefix,
                "Keep the AAD prefix out of the file (readers must give it)")
      ->group(kGroup);
}

std::shared_ptr<const EncryptionProperties> encryption(const EncryptionFlags& flags) {
  if (flags.footer_key.empty()) {
    if (!flags.columns.empty() || flags.plaintext_footer || !flags.algorithm.empty() || flags.no_store_aad_prefix) {
      bad("--encrypt-footer-key", "required with the other encryption flags");
    }
    return nullptr;
  }
  auto p = std::make_shared<EncryptionProperties>();
  auto [id, key] = id_and_key(flags.footer_key, "--encrypt-footer-key");
  p->footer_key = parse_key(key, "--encrypt-footer-key " + id);
  p->footer_key_metadata = id;
  for (const std::string& c : flags.columns) {
    auto [column_id, rest] = id_and_key(c, "--encrypt-column");
    const size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size()) bad("--encrypt-column " + column_id, "expected ID=KEY:col1,col2");
    const std::string column_key = parse_key(rest.substr(0, colon), "--encrypt-column " + column_id);
    const std::string names = rest.substr(colon + 1);
    for (size_t at = 0; at <= names.size();) {
      const size_t comma = std::min(names.find(',', at), names.size());
      const std::string name = names.substr(at, comma - at);
      if (name.empty()) bad("--encrypt-column " + column_id, "an empty column name");
      if (p->column_keys.count(name)) bad("--encrypt-column " + column_id, "column '" + name + "' is named twice");
      p->column_keys[name] = {column_key, column_id};
      at = comma + 1;
    }
  }
  p->plaintext_footer = flags.plaintext_footer;
  if (flags.algorithm == "gcm-ctr") {
    p->algorithm = EncryptionAlgorithm::AesGcmCtrV1;
  } else if (!flags.algorithm.empty() && flags.algorithm != "gcm") {
    bad("--encryption-algorithm", "expected gcm or gcm-ctr, not '" + flags.algorithm + "'");
  }
  if (flags.no_store_aad_prefix && !flags.aad_prefix) bad("--no-store-aad-prefix", "needs --aad-prefix");
  p->aad_prefix = flags.aad_prefix;
  p->store_aad_prefix = !flags.no_store_aad_prefix;
  return p;
}

}  // namespace parkett::cli

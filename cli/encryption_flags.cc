#include "cli/encryption_flags.h"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

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

// --kms-config FILE.json: {"master_keys": {"ID": "base64", ...}, "kms_instance_id": ...,
// "kms_instance_url": ..., "key_access_token": ...}: an in-memory KMS (parquet-java's test
// KMS) and the connection settings.
struct KmsSetup {
  std::shared_ptr<CryptoFactory> factory;
  KmsConnectionConfig connection;
};
KmsSetup kms_setup(const std::string& file, const std::string& flag) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::NotFound, flag + ": cannot open " + file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception&) {
    bad(flag, file + " is not JSON");
  }
  if (!j.is_object() || !j.contains("master_keys") || !j["master_keys"].is_object()) {
    bad(flag, file + " needs \"master_keys\": {\"ID\": \"base64 key\", ...}");
  }
  std::map<std::string, std::string> keys;
  for (const auto& [id, key] : j["master_keys"].items()) {
    if (!key.is_string()) bad(flag, "master key " + id + " is not a base64 string");
    keys[id] = key.get<std::string>();
  }
  KmsSetup s;
  s.factory = std::make_shared<CryptoFactory>(InMemoryKms::factory(std::make_shared<InMemoryKms>(keys)));
  auto text = [&](const char* name, std::string& into) {
    if (j.contains(name) && j[name].is_string()) into = j[name].get<std::string>();
  };
  text("kms_instance_id", s.connection.kms_instance_id);
  text("kms_instance_url", s.connection.kms_instance_url);
  text("key_access_token", s.connection.key_access_token);
  return s;
}

// --footer-master-key and the flags with it: the KMS of --kms-config and what to ask of it.
DatasetEncryptionConfig kms_encryption(const EncryptionFlags& flags) {
  if (flags.kms_config.empty()) bad("--footer-master-key", "needs --kms-config");
  const KmsSetup kms = kms_setup(flags.kms_config, "--kms-config");
  EncryptionConfiguration c;
  c.footer_key = flags.footer_master_key;
  const std::string& spec = flags.column_master_keys;
  for (size_t at = 0; at < spec.size();) {
    const size_t end = std::min(spec.find(';', at), spec.size());
    const std::string part = spec.substr(at, end - at);
    const size_t colon = part.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == part.size()) {
      bad("--column-master-keys", "expected 'K1:a,b;K2:c', found '" + part + "'");
    }
    std::vector<std::string>& columns = c.column_keys[part.substr(0, colon)];
    const std::string names = part.substr(colon + 1);
    for (size_t n = 0; n <= names.size();) {
      const size_t comma = std::min(names.find(',', n), names.size());
      if (comma == n) bad("--column-master-keys", "an empty column name");
      columns.push_back(names.substr(n, comma - n));
      n = comma + 1;
    }
    at = end + 1;
  }
  c.uniform_encryption = c.column_keys.empty();
  c.plaintext_footer = flags.plaintext_footer;
  c.double_wrapping = !flags.no_double_wrapping;
  c.internal_key_material = !flags.external_key_material;
  if (flags.algorithm == "gcm-ctr") c.encryption_algorithm = EncryptionAlgorithm::AesGcmCtrV1;
  else if (!flags.algorithm.empty() && flags.algorithm != "gcm") bad("--encryption-algorithm", "expected gcm or gcm-ctr");
  return {kms.factory, kms.connection, c};
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
  cmd->add_option("--kms-config", flags.kms_config,
                  "FILE.json: {\"master_keys\": {\"ID\": \"base64\"}, \"kms_instance_id\": ...}, the KMS of files "
                  "with key material (parquet-java and pyarrow key management)")
      ->group(kGroup);
}

void set_decryption(const DecryptionFlags& flags, DatasetOptions& options) {
  if (flags.kms_config.empty()) {
    options.file_options.decryption = decryption(flags);
    return;
  }
  if (flags.aad_prefix) bad("--aad-prefix", "applies to one file, not to a dataset read through a KMS");
  const KmsSetup kms = kms_setup(flags.kms_config, "--kms-config");
  options.file_options.decryption.reset();
  options.decryption_config = DatasetDecryptionConfig{kms.factory, kms.connection, {}};
}

std::shared_ptr<const DecryptionProperties> decryption(const DecryptionFlags& flags, const std::string& path) {
  if (!flags.kms_config.empty()) {
    if (!flags.keys.empty() || !flags.footer_key.empty()) bad("--kms-config", "give keys or a KMS, not both");
    const KmsSetup kms = kms_setup(flags.kms_config, "--kms-config");
    auto d = std::make_shared<DecryptionProperties>(*kms.factory->file_decryption_properties(kms.connection, {}, path));
    d->aad_prefix = flags.aad_prefix;
    return d;
  }
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
  const std::string kms = "Encryption through a KMS (key management)";
  cmd->add_option("--footer-master-key", flags.footer_master_key, "ID of the footer's master key in the KMS")->group(kms);
  cmd->add_option("--column-master-keys", flags.column_master_keys,
                  "'K1:a,b;K2:c': columns encrypted with data keys wrapped by master keys K1, K2 (none: uniform)")
      ->group(kms);
  cmd->add_flag("--external-key-material", flags.external_key_material,
                "Key material in _KEY_MATERIAL_FOR_<file>.json beside the file (rotatable), not in the file")
      ->group(kms);
  cmd->add_flag("--no-double-wrapping", flags.no_double_wrapping,
                "Wrap data keys with the master keys directly (no key encryption keys)")
      ->group(kms);
}

std::shared_ptr<const EncryptionProperties> encryption(const EncryptionFlags& flags, const std::string& path) {
  if (!flags.footer_master_key.empty()) {
    if (!flags.footer_key.empty() || !flags.columns.empty()) {
      bad("--footer-master-key", "give keys (--encrypt-footer-key, --encrypt-column) or master keys, not both");
    }
    const DatasetEncryptionConfig kms = kms_encryption(flags);
    auto p = std::make_shared<EncryptionProperties>(*kms.crypto_factory->file_encryption_properties(
        kms.kms_connection_config, kms.encryption_config, path));
    if (flags.no_store_aad_prefix && !flags.aad_prefix) bad("--no-store-aad-prefix", "needs --aad-prefix");
    p->aad_prefix = flags.aad_prefix;
    p->store_aad_prefix = !flags.no_store_aad_prefix;
    return p;
  }
  if (flags.footer_key.empty()) {
    if (!flags.columns.empty() || flags.plaintext_footer || !flags.algorithm.empty() || flags.no_store_aad_prefix ||
        !flags.column_master_keys.empty() || flags.external_key_material || flags.no_double_wrapping) {
      bad("--encrypt-footer-key", "required with the other encryption flags (or --footer-master-key with a KMS)");
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

void set_encryption(const EncryptionFlags& flags, DatasetWriteOptions& options) {
  if (flags.footer_master_key.empty()) {
    options.file_options.encryption = encryption(flags);
    return;
  }
  if (!flags.footer_key.empty() || !flags.columns.empty()) {
    bad("--footer-master-key", "give keys (--encrypt-footer-key, --encrypt-column) or master keys, not both");
  }
  if (flags.aad_prefix) bad("--aad-prefix", "applies to one file, not to a dataset written through a KMS");
  options.file_options.encryption.reset();
  options.encryption_config = kms_encryption(flags);
}

}  // namespace parkett::cli

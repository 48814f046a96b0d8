// Key material of Parquet key management (parquet-java KeyMaterial / KeyMetadata, Parquet
// C++ key_material.cc): how a wrapped data key is stored, as JSON with the field names and
// order those writers use ("PKMT1"), and the key metadata that points to it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "parkett/filesystem.h"

namespace parkett::crypto {

struct KeyMaterial {
  bool is_footer_key = false;
  std::string kms_instance_id, kms_instance_url;  // footer keys only
  std::string master_key_id;
  std::string wrapped_dek;
  bool double_wrapping = true;
  std::string kek_id, wrapped_kek;  // double wrapping only (kek_id: base64)

  /// The JSON; `internal`: stored in the file's key metadata (adds internalStorage).
  std::string to_json(bool internal) const;
  /// Error(Crypto) for JSON that is not PKMT1 key material.
  static KeyMaterial parse(const std::string& json);
};

/// What a key metadata holds: the key material itself, or the id of its entry in the
/// sidecar file.
struct KeyMetadata {
  std::optional<std::string> material;  // internal
  std::string reference;                // external: "footerKey", "columnKey0", ...
  static KeyMetadata parse(const std::string& json);
  static std::string external(const std::string& reference);
};

/// The sidecar file of key material for a Parquet file: its name beside `parquet_path`,
/// and its JSON (key id -> key material, as a string).
std::string key_material_path(const std::string& parquet_path);
std::string key_material_store_json(const std::map<std::string, std::string>& materials);
std::map<std::string, std::string> parse_key_material_store(const std::string& json, const std::string& where);

/// The bytes of a key material sidecar, bounded (a store is a small JSON map; a file much
/// larger is not one and is Error(Corrupt)).
std::string read_key_material_file(const FileSystem& fs, const std::string& path);

}  // namespace parkett::crypto

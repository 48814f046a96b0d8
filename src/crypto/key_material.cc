#include "crypto/key_material.h"

#include <nlohmann/json.hpp>

#include "io/whole_file.h"
#include "parkett/error.h"

namespace parkett::crypto {
namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Crypto, "invalid key material: " + what); }

Json parse_json(const std::string& text, const std::string& what) {
  try {
    return Json::parse(text);
  } catch (const std::exception&) {
    bad(what + " is not JSON");
  }
}

std::string string_field(const Json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) bad(std::string("no string field ") + name);
  return it->get<std::string>();
}

bool bool_field(const Json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_boolean()) bad(std::string("no boolean field ") + name);
  return it->get<bool>();
}

}  // namespace

// Fields in the order Parquet C++ writes them (parquet-java writes a hash map: readers
// must not depend on the order, and ours does not).
std::string KeyMaterial::to_json(bool internal) const {
  Json j;
  j["keyMaterialType"] = "PKMT1";
  if (internal) j["internalStorage"] = true;
  j["isFooterKey"] = is_footer_key;
  if (is_footer_key) {
    j["kmsInstanceID"] = kms_instance_id;
    j["kmsInstanceURL"] = kms_instance_url;
  }
  j["masterKeyID"] = master_key_id;
  j["wrappedDEK"] = wrapped_dek;
  j["doubleWrapping"] = double_wrapping;
  if (double_wrapping) {
    j["keyEncryptionKeyID"] = kek_id;
    j["wrappedKEK"] = wrapped_kek;
  }
  return j.dump();
}

KeyMaterial KeyMaterial::parse(const std::string& json) {
  const Json j = parse_json(json, "key material");
  if (!j.is_object() || string_field(j, "keyMaterialType") != "PKMT1") bad("keyMaterialType is not PKMT1");
  KeyMaterial m;
  m.is_footer_key = bool_field(j, "isFooterKey");
  if (m.is_footer_key) {
    m.kms_instance_id = string_field(j, "kmsInstanceID");
    m.kms_instance_url = string_field(j, "kmsInstanceURL");
  }
  m.master_key_id = string_field(j, "masterKeyID");
  m.wrapped_dek = string_field(j, "wrappedDEK");
  m.double_wrapping = bool_field(j, "doubleWrapping");
  if (m.double_wrapping) {
    m.kek_id = string_field(j, "keyEncryptionKeyID");
    m.wrapped_kek = string_field(j, "wrappedKEK");
  }
  return m;
}

KeyMetadata KeyMetadata::parse(const std::string& json) {
  const Json j = parse_json(json, "key metadata");
  if (!j.is_object() || string_field(j, "keyMaterialType") != "PKMT1") bad("keyMaterialType is not PKMT1");
  KeyMetadata m;
  if (bool_field(j, "internalStorage")) {
    m.material = json;
  } else {
    m.reference = string_field(j, "keyReference");
  }
  return m;
}

std::string KeyMetadata::external(const std::string& reference) {
  Json j;
  j["keyMaterialType"] = "PKMT1";
  j["internalStorage"] = false;
  j["keyReference"] = reference;
  return j.dump();
}

std::string key_material_path(const std::string& parquet_path) {
  const size_t slash = parquet_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : parquet_path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? parquet_path : parquet_path.substr(slash + 1);
  return dir + "_KEY_MATERIAL_FOR_" + name + ".json";
}

std::string key_material_store_json(const std::map<std::string, std::string>& materials) {
  Json j = Json::object();
  for (const auto& [id, material] : materials) j[id] = material;
  return j.dump();
}

std::map<std::string, std::string> parse_key_material_store(const std::string& json, const std::string& where) {
  Json j;
  try {
    j = Json::parse(json);
  } catch (const std::exception&) {
    throw Error(ErrorKind::Crypto, "invalid key material file " + where + ": not JSON");
  }
  if (!j.is_object()) throw Error(ErrorKind::Crypto, "invalid key material file " + where + ": not a JSON object");
  std::map<std::string, std::string> out;
  for (const auto& [id, material] : j.items()) {
    if (!material.is_string()) throw Error(ErrorKind::Crypto, "invalid key material file " + where + ": entry " + id + " is not a string");
    out[id] = material.get<std::string>();
  }
  return out;
}

std::string read_key_material_file(const FileSystem& fs, const std::string& path) {
  return io::read_whole_file(fs, path, int64_t{64} << 20, "key material file");
}

}  // namespace parkett::crypto

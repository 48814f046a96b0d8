// The key and AAD of the modules of one column chunk (its pages and headers, column
// metadata, indexes, bloom filter), as page/ and file/ use them to read and write.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "crypto/module.h"
#include "crypto/secret.h"

namespace parkett::crypto {

struct ChunkCipher {
  std::shared_ptr<const Secret> key;  // the column's key, or the footer key
  Algorithm algorithm = Algorithm::Gcm;
  std::string file_aad;  // AAD prefix + file unique
  int32_t row_group = 0;
  int32_t column = 0;  // the leaf's ordinal in the schema
  // DuckDB's layout (files without aad_file_unique): modules have no AAD at all, and page
  // headers give the plaintext's size, not the module's.
  bool duckdb = false;

  /// "data page header (page ordinal 3)", for messages.
  static std::string describe(ModuleType type, int64_t page) {
    std::string what = to_string(type);
    if (page >= 0) what += " (page ordinal " + std::to_string(page) + ")";
    return what;
  }
  Cipher cipher(ModuleType type) const { return cipher_for(algorithm, type); }
  std::string aad(ModuleType type, int64_t page = -1) const {
    return duckdb ? std::string() : module_aad(file_aad, type, row_group, column, page);
  }
  /// The plaintext of a module of `size` bytes.
  size_t plain_size(ModuleType type, size_t size) const { return size - overhead(cipher(type)); }
  /// The module of `plain_bytes`.
  size_t module_size(ModuleType type, size_t plain_bytes) const { return plain_bytes + overhead(cipher(type)); }

  /// Decrypts the module `module` of `type` (`page`: the data page ordinal for data pages
  /// and their headers) into `out` (plain_size bytes). Error(Crypto) naming the module when
  /// authentication fails.
  void decrypt(ModuleType type, int64_t page, std::span<const uint8_t> module, std::span<uint8_t> out) const {
    decrypt_module(cipher(type), *key, aad(type, page), module, out, describe(type, page));
  }
  void encrypt(ModuleType type, int64_t page, std::span<const uint8_t> plain, std::span<uint8_t> out) const {
    encrypt_module(cipher(type), *key, aad(type, page), plain, out);
  }
};

}  // namespace parkett::crypto

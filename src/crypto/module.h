// Parquet modular encryption at the module level (Encryption.md, "Encryption algorithms" and
// "Modules"): every encrypted piece of a file (footer, column metadata, page headers, pages,
// indexes, bloom filters) is one module, AES-GCM or AES-CTR, bound to its place in the file
// by an AAD. This file knows bytes, keys and AADs; what a module holds is its callers' affair.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "crypto/secret.h"

namespace parkett::crypto {

/// Encryption.md, "Module types": the byte that goes into each module's AAD.
enum class ModuleType : uint8_t {
  Footer = 0,
  ColumnMetaData = 1,
  DataPage = 2,
  DictionaryPage = 3,
  DataPageHeader = 4,
  DictionaryPageHeader = 5,
  ColumnIndex = 6,
  OffsetIndex = 7,
  BloomFilterHeader = 8,
  BloomFilterBitset = 9,
};
const char* to_string(ModuleType type);

/// AES_GCM_V1 encrypts every module with GCM; AES_GCM_CTR_V1 encrypts pages with CTR
/// (no integrity, faster) and every other module with GCM.
enum class Algorithm { Gcm, GcmCtr };
enum class Cipher { Gcm, Ctr };
Cipher cipher_for(Algorithm algorithm, ModuleType type);

constexpr size_t kLengthSize = 4;  // little-endian length of what follows it
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
/// Bytes a module adds to its plaintext.
constexpr size_t overhead(Cipher c) { return kLengthSize + kNonceSize + (c == Cipher::Gcm ? kTagSize : 0); }

/// The AAD of a module: the file AAD (prefix + file unique), the module type, then the row
/// group and column ordinals (16-bit little-endian) for every module but the footer, and
/// the page ordinal for data pages and their headers (`page` < 0 leaves it out).
/// Error(Crypto) for ordinals past 32767, which the format cannot express.
std::string module_aad(std::string_view file_aad, ModuleType type, int64_t row_group = -1, int64_t column = -1,
                       int64_t page = -1);

/// Key sizes AES allows (16, 24, 32 bytes); Error(Crypto) naming `what` otherwise.
void check_key(const Secret& key, std::string_view what);

/// Encrypts `plain` into `out`, which must hold exactly plain.size() + overhead(cipher)
/// bytes, with a fresh random nonce. CTR ignores `aad`.
void encrypt_module(Cipher cipher, const Secret& key, std::string_view aad, std::span<const uint8_t> plain,
                    std::span<uint8_t> out);
/// The length of the module at the start of `bytes` (its length field plus what it
/// counts), checked to fit in `available` bytes and to hold a nonce (and tag).
/// Error(Corrupt) otherwise, naming `what`.
size_t module_size(std::span<const uint8_t> bytes, size_t available, Cipher cipher, std::string_view what);
/// Decrypts a whole `module` into `out` (module.size() - overhead(cipher) bytes). GCM
/// verifies the tag: a wrong key, AAD (module moved elsewhere, other file) or any changed
/// byte is Error(Crypto) naming `what`.
void decrypt_module(Cipher cipher, const Secret& key, std::string_view aad, std::span<const uint8_t> module,
                    std::span<uint8_t> out, std::string_view what);

/// Plaintext footers are signed (Encryption.md, "Plaintext footer mode"): the serialized
/// footer is followed by a nonce and the GCM tag of the footer encrypted with that nonce.
/// True if `signature` (nonce + tag) matches.
bool verify_signature(const Secret& key, std::string_view aad, std::span<const uint8_t> footer,
                      std::span<const uint8_t> signature);
/// The nonce + tag signing `footer` (a fresh nonce).
std::string sign(const Secret& key, std::string_view aad, std::span<const uint8_t> footer);

}  // namespace parkett::crypto

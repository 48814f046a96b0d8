#include "crypto/module.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <climits>
#include <cstring>
#include <memory>

#include "parkett/error.h"

namespace parkett::crypto {
namespace {

// One cipher context per thread, reset for each module: creating contexts costs more than
// the AES work on a small page header. Each use resets it again when done (Used), so no key
// schedule stays in a context between modules.
struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
EVP_CIPHER_CTX* thread_context() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw Error(ErrorKind::Crypto, "cannot create an OpenSSL cipher context");
  return ctx.get();
}
struct Used {
  ~Used() { EVP_CIPHER_CTX_reset(thread_context()); }
};
EVP_CIPHER_CTX* context() {
  EVP_CIPHER_CTX* ctx = thread_context();
  EVP_CIPHER_CTX_reset(ctx);
  return ctx;
}

const EVP_CIPHER* evp_cipher(Cipher c, size_t key_size) {
  switch (key_size) {
    case 16: return c == Cipher::Gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
    case 24: return c == Cipher::Gcm ? EVP_aes_192_gcm() : EVP_aes_192_ctr();
    case 32: return c == Cipher::Gcm ? EVP_aes_256_gcm() : EVP_aes_256_ctr();
    default: throw Error(ErrorKind::Crypto, "AES keys have 16, 24 or 32 bytes, not " + std::to_string(key_size));
  }
}

[[noreturn]] void openssl_failed(const char* step) {
  throw Error(ErrorKind::Crypto, std::string("OpenSSL failed to ") + step);
}

void put_length(uint8_t* out, size_t n) {
  const auto v = static_cast<uint32_t>(n);
  out[0] = static_cast<uint8_t>(v);
  out[1] = static_cast<uint8_t>(v >> 8);
  out[2] = static_cast<uint8_t>(v >> 16);
  out[3] = static_cast<uint8_t>(v >> 24);
}

// AES-CTR's 16-byte IV: the module's nonce, then a 32-bit big-endian block counter that
// starts at 1 (Encryption.md, "AES_CTR").
std::array<uint8_t, 16> ctr_iv(const uint8_t* nonce) {
  std::array<uint8_t, 16> iv{};
  std::memcpy(iv.data(), nonce, kNonceSize);
  iv[15] = 1;
  return iv;
}

// Runs the cipher over `in` into `out` (same size) in pieces an int can count.
void update(EVP_CIPHER_CTX* ctx, bool encrypt, std::span<const uint8_t> in, uint8_t* out) {
  constexpr size_t kPiece = size_t{1} << 30;
  for (size_t done = 0; done < in.size();) {
    const size_t n = std::min(kPiece, in.size() - done);
    int written = 0;
    const int ok = encrypt ? EVP_EncryptUpdate(ctx, out + done, &written, in.data() + done, static_cast<int>(n))
                           : EVP_DecryptUpdate(ctx, out + done, &written, in.data() + done, static_cast<int>(n));
    if (ok != 1 || static_cast<size_t>(written) != n) openssl_failed(encrypt ? "encrypt" : "decrypt");
    done += n;
  }
}

void add_aad(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view aad) {
  if (aad.empty()) return;
  int written = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(aad.data());
  const int ok = encrypt ? EVP_EncryptUpdate(ctx, nullptr, &written, p, static_cast<int>(aad.size()))
                         : EVP_DecryptUpdate(ctx, nullptr, &written, p, static_cast<int>(aad.size()));
  if (ok != 1) openssl_failed("add the AAD");
}

// Starts GCM encryption with `nonce` and `aad`.
EVP_CIPHER_CTX* start_gcm(const Secret& key, const uint8_t* nonce, std::string_view aad, bool encrypt) {
  EVP_CIPHER_CTX* ctx = context();
  const EVP_CIPHER* cipher = evp_cipher(Cipher::Gcm, key.size());
  const int ok = encrypt ? EVP_EncryptInit_ex(ctx, cipher, nullptr, key.bytes().data(), nonce)
                         : EVP_DecryptInit_ex(ctx, cipher, nullptr, key.bytes().data(), nonce);
  if (ok != 1) openssl_failed("start AES-GCM");
  add_aad(ctx, encrypt, aad);
  return ctx;
}

// The GCM tag of `plain` under `nonce`, the ciphertext going to `out` (null: discarded,
// in pieces, for signatures).
std::array<uint8_t, kTagSize> gcm_encrypt(const Secret& key, const uint8_t* nonce, std::string_view aad,
                                          std::span<const uint8_t> plain, uint8_t* out) {
  EVP_CIPHER_CTX* ctx = start_gcm(key, nonce, aad, true);
  if (out) {
    update(ctx, true, plain, out);
  } else {
    std::array<uint8_t, 4096> scratch;
    for (size_t done = 0; done < plain.size(); done += scratch.size()) {
      update(ctx, true, plain.subspan(done, std::min(scratch.size(), plain.size() - done)), scratch.data());
    }
    wipe(scratch);
  }
  int written = 0;
  uint8_t end[16];
  if (EVP_EncryptFinal_ex(ctx, end, &written) != 1) openssl_failed("finish AES-GCM");
  std::array<uint8_t, kTagSize> tag;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag.data()) != 1) {
    openssl_failed("get the GCM tag");
  }
  return tag;
}

}  // namespace

const char* to_string(ModuleType type) {
  switch (type) {
    case ModuleType::Footer: return "footer";
    case ModuleType::ColumnMetaData: return "column metadata";
    case ModuleType::DataPage: return "data page";
    case ModuleType::DictionaryPage: return "dictionary page";
    case ModuleType::DataPageHeader: return "data page header";
    case ModuleType::DictionaryPageHeader: return "dictionary page header";
    case ModuleType::ColumnIndex: return "column index";
    case ModuleType::OffsetIndex: return "offset index";
    case ModuleType::BloomFilterHeader: return "bloom filter header";
    case ModuleType::BloomFilterBitset: return "bloom filter bitset";
  }
  return "module";
}

Cipher cipher_for(Algorithm algorithm, ModuleType type) {
  const bool page = type == ModuleType::DataPage || type == ModuleType::DictionaryPage;
  return algorithm == Algorithm::GcmCtr && page ? Cipher::Ctr : Cipher::Gcm;
}

std::string module_aad(std::string_view file_aad, ModuleType type, int64_t row_group, int64_t column, int64_t page) {
  std::string aad(file_aad);
  aad.push_back(static_cast<char>(type));
  if (type == ModuleType::Footer) return aad;
  auto ordinal = [&](int64_t v, const char* what) {
    if (v < 0 || v > 32767) {
      throw Error(ErrorKind::Crypto, std::string("the ") + what + " ordinal " + std::to_string(v) +
                                         " cannot be encrypted: the format's AADs hold at most 32767");
    }
    aad.push_back(static_cast<char>(v & 0xff));
    aad.push_back(static_cast<char>(v >> 8));
  };
  ordinal(row_group, "row group");
  ordinal(column, "column");
  if (page >= 0) ordinal(page, "page");
  return aad;
}

void check_key(const Secret& key, std::string_view what) {
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    throw Error(ErrorKind::Crypto, std::string(what) + " has " + std::to_string(key.size()) +
                                       " bytes; AES keys have 16, 24 or 32");
  }
}

void encrypt_module(Cipher cipher, const Secret& key, std::string_view aad, std::span<const uint8_t> plain,
                    std::span<uint8_t> out) {
  const Used reset_after;
  if (out.size() != plain.size() + overhead(cipher) || out.size() - kLengthSize > UINT32_MAX) {
    throw Error(ErrorKind::Internal, "module buffer of the wrong size");
  }
  put_length(out.data(), out.size() - kLengthSize);
  uint8_t* nonce = out.data() + kLengthSize;
  random_bytes({nonce, kNonceSize});
  uint8_t* body = nonce + kNonceSize;
  if (cipher == Cipher::Gcm) {
    const auto tag = gcm_encrypt(key, nonce, aad, plain, body);
    std::memcpy(body + plain.size(), tag.data(), kTagSize);
    return;
  }
  EVP_CIPHER_CTX* ctx = context();
  const auto iv = ctr_iv(nonce);
  if (EVP_EncryptInit_ex(ctx, evp_cipher(Cipher::Ctr, key.size()), nullptr, key.bytes().data(), iv.data()) != 1) {
    openssl_failed("start AES-CTR");
  }
  update(ctx, true, plain, body);
}

size_t module_size(std::span<const uint8_t> bytes, size_t available, Cipher cipher, std::string_view what) {
  if (bytes.size() < kLengthSize) {
    throw Error(ErrorKind::Corrupt, "the encrypted " + std::string(what) + " is cut off before its length");
  }
  const uint32_t length = static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
                          static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
  const size_t size = kLengthSize + static_cast<size_t>(length);
  if (size < overhead(cipher)) {
    throw Error(ErrorKind::Corrupt, "the encrypted " + std::string(what) + " claims " + std::to_string(length) +
                                        " bytes, too few for its nonce" + (cipher == Cipher::Gcm ? " and tag" : ""));
  }
  if (size > available) {
    throw Error(ErrorKind::Corrupt, "the encrypted " + std::string(what) + " claims " + std::to_string(size) +
                                        " bytes, more than the " + std::to_string(available) + " it can have");
  }
  return size;
}

void decrypt_module(Cipher cipher, const Secret& key, std::string_view aad, std::span<const uint8_t> module,
                    std::span<uint8_t> out, std::string_view what) {
  const Used reset_after;
  const size_t size = module_size(module, module.size(), cipher, what);
  if (size == module.size() && out.size() != size - overhead(cipher)) {
    throw Error(ErrorKind::Internal, "plaintext buffer of the wrong size for the " + std::string(what));
  }
  if (size != module.size()) {
    throw Error(ErrorKind::Corrupt, "the encrypted " + std::string(what) + " has " + std::to_string(module.size()) +
                                        " bytes, but its length field says " + std::to_string(size));
  }
  const uint8_t* nonce = module.data() + kLengthSize;
  const std::span<const uint8_t> body(nonce + kNonceSize, out.size());
  if (cipher == Cipher::Ctr) {
    EVP_CIPHER_CTX* ctx = context();
    const auto iv = ctr_iv(nonce);
    if (EVP_DecryptInit_ex(ctx, evp_cipher(Cipher::Ctr, key.size()), nullptr, key.bytes().data(), iv.data()) != 1) {
      openssl_failed("start AES-CTR");
    }
    update(ctx, false, body, out.data());
    return;
  }
  EVP_CIPHER_CTX* ctx = start_gcm(key, nonce, aad, false);
  update(ctx, false, body, out.data());
  uint8_t tag[kTagSize];
  std::memcpy(tag, body.data() + body.size(), kTagSize);
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    openssl_failed("set the GCM tag");
  }
  int written = 0;
  uint8_t end[16];
  if (EVP_DecryptFinal_ex(ctx, end, &written) != 1) {
    wipe(out);  // never hand out unauthenticated plaintext
    throw Error(ErrorKind::Crypto, "cannot decrypt the " + std::string(what) +
                                       ": authentication failed (wrong key, wrong AAD prefix, a module moved "
                                       "from elsewhere, or changed bytes)");
  }
}

bool verify_signature(const Secret& key, std::string_view aad, std::span<const uint8_t> footer,
                      std::span<const uint8_t> signature) {
  if (signature.size() != kNonceSize + kTagSize) return false;
  const Used reset_after;
  const auto tag = gcm_encrypt(key, signature.data(), aad, footer, nullptr);
  return CRYPTO_memcmp(tag.data(), signature.data() + kNonceSize, kTagSize) == 0;
}

std::string sign(const Secret& key, std::string_view aad, std::span<const uint8_t> footer) {
  const Used reset_after;
  std::string out(kNonceSize + kTagSize, '\0');
  auto* nonce = reinterpret_cast<uint8_t*>(out.data());
  random_bytes({nonce, kNonceSize});
  const auto tag = gcm_encrypt(key, nonce, aad, footer, nullptr);
  std::memcpy(out.data() + kNonceSize, tag.data(), kTagSize);
  return out;
}

}  // namespace parkett::crypto

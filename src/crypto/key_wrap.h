// Wrapping a key with another where parkett does it itself (Parquet key tools: a data key
// with a key encryption key, and the in-memory KMS): AES-GCM, the result base64 of nonce,
// ciphertext and tag, without a length field (parquet-java KeyToolkit.encryptKeyLocally).
#pragma once

#include <string>
#include <string_view>

#include "crypto/secret.h"

namespace parkett::crypto {

std::string wrap_locally(const Secret& wrapping_key, std::string_view aad, const Secret& key);
/// Error(Crypto) naming `what` when the text is not such a wrapped key or does not
/// authenticate (wrong wrapping key or AAD).
Secret unwrap_locally(const Secret& wrapping_key, std::string_view aad, std::string_view wrapped,
                      const std::string& what);

}  // namespace parkett::crypto

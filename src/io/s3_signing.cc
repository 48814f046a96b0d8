#include "io/s3_signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "parkett/error.h"

namespace parkett::io {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &n)) {
    throw Error(ErrorKind::Internal, "HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), n);
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A header value as signed: no spaces at either end, runs of spaces inside made one.
std::string trimmed(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 15];
    }
  }
  return out;
}

std::string canonical_path(const std::string& path) {
  if (path.empty()) return "/";
  return uri_encode(path, true);
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_Digest(data.data(), data.size(), out, &n, EVP_sha256(), nullptr)) {
    throw Error(ErrorKind::Internal, "SHA-256 failed");
  }
  return hex(out, n);
}

std::string canonical_request(const SignableRequest& request, std::string_view payload_hash,
                              std::string& signed_headers) {
  // Headers by lower-case name (stable: repeated ones keep their order), values joined.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), lower);
    headers.emplace_back(std::move(n), trimmed(value));
  }
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical_headers;
  signed_headers.clear();
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      canonical_headers.pop_back();  // the '\n' of the previous value
      canonical_headers += "," + headers[i].second + "\n";
      continue;
    }
    canonical_headers += headers[i].first + ":" + headers[i].second + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + headers[i].first;
  }
  return request.method + "\n" + canonical_path(request.path) + "\n" + canonical_query(request.query) + "\n" +
         canonical_headers + "\n" + signed_headers + "\n" + std::string(payload_hash);
}

std::string string_to_sign(std::string_view amz_date, const SigningScope& scope, std::string_view canonical) {
  return "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope.to_string() + "\n" + sha256_hex(canonical);
}

std::string signature(std::string_view secret, const SigningScope& scope, std::string_view to_sign) {
  std::string key = hmac("AWS4" + std::string(secret), scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, "aws4_request");
  const std::string sig = hmac(key, to_sign);
  std::fill(key.begin(), key.end(), '\0');
  return hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::string authorization(const SignableRequest& request, const AwsCredentials& credentials,
                          std::string_view amz_date, const std::string& region, const std::string& service,
                          std::string_view payload_hash) {
  if (amz_date.size() != 16 || amz_date[8] != 'T' || amz_date[15] != 'Z') {
    throw Error(ErrorKind::Internal, "X-Amz-Date must be YYYYMMDDTHHMMSSZ, not '" + std::string(amz_date) + "'");
  }
  const SigningScope scope{std::string(amz_date.substr(0, 8)), region, service};
  std::string signed_headers;
  const std::string canonical = canonical_request(request, payload_hash, signed_headers);
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope.to_string() +
         ", SignedHeaders=" + signed_headers + ", Signature=" +
         signature(credentials.secret_access_key, scope, string_to_sign(amz_date, scope, canonical));
}

}  // namespace parkett::io

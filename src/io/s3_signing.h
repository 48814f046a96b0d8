// AWS Signature Version 4 (header authorization), as S3 and S3-compatible stores (MinIO,
// Ceph, R2, moto) check it: the canonical request, the string to sign, the signing key
// derived from the secret, and the Authorization header. Pure functions of the request, the
// credentials and the time, so that the published AWS examples check them byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parkett::io {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials: sent and signed as X-Amz-Security-Token
};

/// A request as SigV4 covers it. The path and the query parameters are as they mean, not
/// percent-encoded (canonical_path() and canonical_query() encode them, and the client
/// sends what they give).
struct SignableRequest {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string path;    // "/bucket/dir/file name.parquet": every byte but '/' is encoded
  std::vector<std::pair<std::string, std::string>> query;    // ("list-type", "2"), ("uploads", "")
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, Host included
};

/// Where a signature is valid: the date (YYYYMMDD), region and service of its scope.
struct SigningScope {
  std::string date;     // 20150830
  std::string region;   // us-east-1
  std::string service;  // s3
  std::string to_string() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};

/// `text` with every byte but the unreserved ones (A-Z a-z 0-9 - _ . ~) as %XX (upper-case
/// hex), and '/' kept when `keep_slash` (paths).
std::string uri_encode(std::string_view text, bool keep_slash);

/// The encoded path ("/" when empty), as sent and signed (S3 signs it encoded once and not
/// normalised: a key may hold "//" or "./").
std::string canonical_path(const std::string& path);

/// The query parameters encoded, sorted by name then value, joined by '&' ("a=" for an
/// empty value).
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);

/// SHA-256 of `data` in lower-case hex: the payload hash of a body (x-amz-content-sha256).
std::string sha256_hex(std::string_view data);

/// The body's hash S3 is told not to check (the transport's integrity suffices).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

/// The canonical request (SigV4 step 1) with the signed header names (lower case, sorted,
/// ';'-joined) in `signed_headers`: header names lower-cased, values trimmed and inner runs
/// of spaces made one, repeated headers joined by ',' in order, then `payload_hash`.
std::string canonical_request(const SignableRequest& request, std::string_view payload_hash,
                              std::string& signed_headers);

/// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex SHA-256 of the canonical request>".
std::string string_to_sign(std::string_view amz_date, const SigningScope& scope, std::string_view canonical);

/// The signature (hex) of `to_sign` with the key derived from `secret` for `scope`.
std::string signature(std::string_view secret, const SigningScope& scope, std::string_view to_sign);

/// The Authorization header's value for `request` signed at `amz_date` (YYYYMMDDTHHMMSSZ,
/// also sent as X-Amz-Date, which `request` must hold) in `region` for `service`.
/// `request` must also hold X-Amz-Security-Token when the credentials have a session token.
std::string authorization(const SignableRequest& request, const AwsCredentials& credentials,
                          std::string_view amz_date, const std::string& region, const std::string& service,
                          std::string_view payload_hash);

}  // namespace parkett::io

// Settings for Amazon S3 and S3-compatible stores (MinIO, Ceph, R2, moto...). Every field
// left at its default follows the AWS conventions: the environment (AWS_REGION,
// AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...), then the shared config and credentials files
// (~/.aws/config, ~/.aws/credentials, AWS_PROFILE), then the defaults below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "parkett/export.h"

namespace parkett {

enum class S3Addressing {
  Auto,           // virtual-hosted on AWS's own endpoints, path-style on any other endpoint
  PathStyle,      // https://endpoint/bucket/key
  VirtualHosted,  // https://bucket.endpoint/key
};

struct PARKETT_EXPORT S3Options {
  /// Empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else us-east-1.
  std::string region;
  /// "http(s)://host[:port]". Empty: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's
  /// `endpoint_url`, else AWS's endpoint for the region.
  std::string endpoint_url;
  S3Addressing addressing = S3Addressing::Auto;

  /// Explicit credentials. Empty: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
  /// AWS_SESSION_TOKEN, else the profile's in the credentials or config file, else anonymous.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  /// The profile of the shared files. Empty: AWS_PROFILE, else "default".
  std::string profile;
  /// Send requests unsigned (public buckets), whatever credentials are around.
  bool anonymous = false;
  /// Sign each body's SHA-256 rather than UNSIGNED-PAYLOAD (TLS already protects bodies on
  /// https; costs a pass over every uploaded byte).
  bool sign_payload = false;

  /// Verify the server's TLS certificate (against `ca_file`, or the system's CA store).
  bool verify_tls = true;
  std::string ca_file;
  int64_t connect_timeout_ms = 10000;
  /// A request during which no byte moves for this long fails (and is retried).
  int64_t request_timeout_ms = 30000;
  /// Requests in flight at once, per read of several ranges or per upload.
  int max_concurrent_requests = 16;
  /// Retries per request after failures that may pass (5xx, 429/SlowDown, timeouts, dropped
  /// connections, short bodies), with exponential backoff and full jitter.
  int max_retries = 5;
  int64_t retry_base_delay_ms = 100;
  int64_t retry_max_delay_ms = 5000;
  /// Shared by all requests of a client: a retry costs 5 tokens (10 after a timeout) and a
  /// success returns 1, so a failing store is not flooded with retries.
  int retry_budget = 500;

  /// Multipart uploads: the part size (grown when an object would need more than 10,000
  /// parts) and the parts uploaded at once while encoding goes on (memory: their product).
  /// Objects smaller than one part go up in a single PUT.
  int64_t part_size = int64_t{8} << 20;
  int max_parts_in_flight = 4;
  /// Bytes of fetched ranges kept per open object for reads that ask again; 0 keeps none.
  int64_t cache_bytes = 0;
};

}  // namespace parkett

// S3Options (parkett/s3.h) made concrete: what the options leave open is taken from the
// environment and the shared AWS files, as the AWS SDKs and CLI do, so that the settings a
// user has for `aws s3` work here unchanged.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "io/http_client.h"
#include "io/s3_signing.h"
#include "parkett/s3.h"

namespace parkett::io {

struct S3Config {
  std::string region;
  std::string scheme;  // "http" or "https"
  std::string host;    // "s3.us-east-1.amazonaws.com", "127.0.0.1:9000"
  bool aws_endpoint = true;  // the endpoint is AWS's own (virtual-hosted addressing by default)
  S3Addressing addressing = S3Addressing::Auto;
  bool anonymous = false;
  AwsCredentials credentials;
  std::string credentials_source;  // "options", "environment", "profile NAME", "none": for messages
  bool sign_payload = false;
  HttpOptions http;
  int64_t part_size = 0;
  int max_parts_in_flight = 0;
  int64_t cache_bytes = 0;

  /// Path-style for this bucket? (Auto: virtual-hosted on AWS when the bucket's name is a
  /// valid host label, which names with dots are not under TLS.)
  bool path_style(const std::string& bucket) const;
};

/// Looks up an environment variable (std::getenv in use; a map in tests).
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

/// The connection settings of `options` (TLS, timeouts, concurrency, retries), as given.
HttpOptions transport_options(const S3Options& options);

/// Fills in `options` from `env` and the shared files it points to (AWS_CONFIG_FILE,
/// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials).
/// Throws Error(InvalidArgument) for an endpoint that is not http(s)://host[:port], a
/// profile that was asked for by name and exists in neither file, or half a key pair.
S3Config resolve_s3_config(const S3Options& options, const Environment& env);

}  // namespace parkett::io

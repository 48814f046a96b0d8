// The S3 operations parkett needs, signed (SigV4) and sent through one HttpClient: object
// size and tail, ranges read concurrently, listing, single and multipart uploads, deletion.
// Errors are parkett::Errors naming the object ("s3://bucket/key"), the operation and the
// byte range, with S3's error code and request id; never credentials.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/http_client.h"
#include "io/ranged_get.h"
#include "io/s3_config.h"

namespace parkett::io {

struct S3Location {
  std::string bucket;
  std::string key;
  std::string url() const { return "s3://" + bucket + "/" + key; }
};

/// True for "s3://...".
bool is_s3_url(std::string_view path);
/// "s3://bucket/key/parts" -> {bucket, key/parts}. Throws Error(InvalidArgument) for a
/// missing bucket.
S3Location parse_s3_url(std::string_view url);

struct S3Object {
  std::string key;
  int64_t size = 0;
  std::string etag;
};

class S3Client {
 public:
  explicit S3Client(S3Config config);

  const S3Config& config() const { return config_; }

  /// Size and ETag. Throws Error(NotFound) when there is no such object.
  S3Object head(const S3Location& where) const;
  /// Signed range reads of one object (io/ranged_get.h), through http().
  RangedTarget object(const S3Location& where) const;
  const HttpClient& http() const { return *http_; }

  /// Every object under `prefix` (all depths), in key order, over as many pages as it takes
  /// (only the first `limit` when it is positive).
  std::vector<S3Object> list(const std::string& bucket, const std::string& prefix, int limit = 0) const;

  /// One PUT of the whole object.
  void put(const S3Location& where, std::span<const uint8_t> bytes) const;
  /// Multipart upload: start (returns the upload id), parts (concurrently; returns their
  /// ETags in order), complete (the object appears), abort (nothing appears; never throws).
  std::string start_upload(const S3Location& where) const;
  struct Part {
    int number = 0;  // 1..10000
    std::span<const uint8_t> bytes;
  };
  std::vector<std::string> upload_parts(const S3Location& where, const std::string& upload_id,
                                        std::span<const Part> parts, const std::atomic<bool>* cancel = nullptr) const;
  void complete_upload(const S3Location& where, const std::string& upload_id,
                       const std::vector<std::pair<int, std::string>>& part_etags) const;
  void abort_upload(const S3Location& where, const std::string& upload_id) const noexcept;

  /// Deletes the keys (DeleteObjects, 1000 per request). Keys already absent are no error.
  void remove(const std::string& bucket, const std::vector<std::string>& keys) const;

 private:
  // A request for an attempt: URL, signed headers.
  HttpRequest request(const std::string& method, const std::string& bucket, const std::string& key,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      std::vector<std::pair<std::string, std::string>> headers,
                      std::span<const uint8_t> body) const;
  // Throws the Error for a failed response to `operation` on `object`.
  [[noreturn]] void fail(const std::string& object, const std::string& operation, const HttpResponse& r) const;

  S3Config config_;
  std::unique_ptr<HttpClient> http_;
};

}  // namespace parkett::io

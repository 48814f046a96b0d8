// Reading one object over HTTP by byte ranges, the same way whatever the store: its size
// and last bytes in one suffix-range GET, then ranges as concurrent GETs, each checked to
// hold exactly the bytes asked for, of the same object version (If-Match on a strong ETag,
// and the size Content-Range gives). S3 signs the requests; plain HTTP(S) URLs do not.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "io/http_client.h"
#include "parkett/input_file.h"

namespace parkett::io {

struct RangedObject {
  int64_t size = 0;
  std::string etag;
};

/// How requests for one object are made and how their failures are reported.
struct RangedTarget {
  std::string name;  // the object, as errors name it
  /// A request with these extra headers (Range, If-Match) for `method` (GET or HEAD).
  std::function<HttpRequest(const std::string& method, std::vector<std::pair<std::string, std::string>> headers)> request;
  /// Also retry these responses (e.g. S3's 400 RequestTimeout); may be empty.
  std::function<bool(const HttpResponse&)> retry_also;
  /// Throws the Error for a failed response to `operation`.
  std::function<void(const std::string& operation, const HttpResponse&)> fail;
};

/// Size and ETag by HEAD. Throws Error(NotFound) for a 404.
RangedObject head_object(const HttpClient& http, const RangedTarget& target);

/// The object's last `length` bytes (all of them when it is smaller) into `tail`, with its
/// size and ETag. A server that ignores ranges sends the whole object: `tail` then holds
/// all of it (it came anyway, and later reads would get the whole object again).
RangedObject get_tail(const HttpClient& http, const RangedTarget& target, int64_t length, std::string& tail);

/// Fetches every range concurrently into its buffer. With a non-empty `etag`, a strong one
/// is sent as If-Match; every response must say it holds the range of an object of `size`.
void get_ranges(const HttpClient& http, const RangedTarget& target, std::span<const InputFile::Range> ranges,
                const RangedObject& object);

}  // namespace parkett::io

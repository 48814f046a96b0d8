#include "io/ranged_get.h"

#include <string_view>

#include "parkett/error.h"

namespace parkett::io {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string range_text(int64_t offset, int64_t length) {
  return "bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1);
}

[[noreturn]] void fail(const RangedTarget& target, const std::string& operation, const HttpResponse& r) {
  target.fail(operation, r);
  throw Error(ErrorKind::Io, operation + " failed", ErrorContext{target.name, {}, {}, {}});  // fail() always throws
}

// A decimal number filling `s`; -1 when it is not one.
int64_t number(std::string_view s) {
  if (s.empty()) return -1;
  int64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The object's size in a Content-Range of "bytes FIRST-LAST/SIZE"; -1 when it gives none
// ("/*").
int64_t total_of(const std::string& content_range) {
  const size_t slash = content_range.rfind('/');
  return slash == std::string::npos ? -1 : number(std::string_view(content_range).substr(slash + 1));
}

// FIRST in "bytes FIRST-LAST/SIZE"; -1 when it is not there.
int64_t first_of(const std::string& content_range) {
  if (!content_range.starts_with("bytes ")) return -1;
  const size_t dash = content_range.find('-');
  return dash == std::string::npos ? -1 : number(std::string_view(content_range).substr(6, dash - 6));
}

// Weak validators (W/"...") never match If-Match, which compares strongly.
bool strong(const std::string& etag) { return !etag.empty() && !etag.starts_with("W/"); }

}  // namespace

RangedObject head_object(const HttpClient& http, const RangedTarget& target) {
  HttpExchange e;
  e.request = [&] { return target.request("HEAD", {}); };
  e.retry_also = target.retry_also;
  http.perform(e);
  if (!e.response.ok()) fail(target, "HEAD", e.response);
  RangedObject out{0, e.response.header("etag")};
  try {
    out.size = std::stoll(e.response.header("content-length"));
  } catch (const std::exception&) {
    throw Error(ErrorKind::Io, "HEAD gave no Content-Length", ErrorContext{target.name, {}, {}, {}});
  }
  return out;
}

RangedObject get_tail(const HttpClient& http, const RangedTarget& target, int64_t length, std::string& tail) {
  HttpExchange e;
  e.request = [&] { return target.request("GET", {{"Range", "bytes=-" + std::to_string(length)}}); };
  e.retry_also = target.retry_also;
  http.perform(e);
  HttpResponse& r = e.response;
  if (r.status == 416) {  // an empty object has no last bytes
    tail.clear();
    return head_object(http, target);
  }
  if (!r.ok()) fail(target, "GET of the last " + std::to_string(length) + " bytes", r);
  RangedObject out{0, r.header("etag")};
  if (r.status == 206) {
    const std::string range = r.header("content-range");
    out.size = total_of(range);
    if (out.size < 0) {
      throw Error(ErrorKind::Io, "GET of the last bytes gave Content-Range '" + range + "'", ErrorContext{target.name, {}, {}, {}});
    }
    if (static_cast<int64_t>(r.body.size()) != std::min(length, out.size) ||
        first_of(range) != out.size - static_cast<int64_t>(r.body.size())) {
      throw Error(ErrorKind::Io, "GET of the last " + std::to_string(length) + " bytes gave " +
                                     std::to_string(r.body.size()) + " bytes as '" + range + "' of an object of " +
                                     std::to_string(out.size),
                  ErrorContext{target.name, {}, {}, {}});
    }
  } else {  // 200: the whole object
    out.size = static_cast<int64_t>(r.body.size());
  }
  tail = std::move(r.body);
  return out;
}

void get_ranges(const HttpClient& http, const RangedTarget& target, std::span<const InputFile::Range> ranges,
                const RangedObject& object) {
  std::vector<HttpExchange> exchanges(ranges.size());
  std::vector<HttpExchange*> pending;
  const bool if_match = strong(object.etag);
  for (size_t i = 0; i < ranges.size(); ++i) {
    const InputFile::Range& range = ranges[i];
    if (range.length <= 0) continue;
    HttpExchange& e = exchanges[i];
    e.request = [&target, &object, if_match, range] {
      Pairs headers{{"Range", "bytes=" + std::to_string(range.offset) + "-" + std::to_string(range.offset + range.length - 1)}};
      if (if_match) headers.emplace_back("If-Match", object.etag);
      return target.request("GET", std::move(headers));
    };
    e.sink = range.out;
    e.sink_size = range.length;
    e.retry_also = target.retry_also;
    pending.push_back(&e);
  }
  http.perform(pending);
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].length <= 0) continue;
    HttpResponse& r = exchanges[i].response;
    const std::string what = "GET of " + range_text(ranges[i].offset, ranges[i].length);
    if (!r.ok()) fail(target, what, r);
    // The bytes must be those asked for, of an object of the size seen at open: a 206 says
    // which it holds; a 200 is the whole object, which fits the buffer only when the range
    // is all of it.
    const std::string range = r.header("content-range");
    const std::string expected = range_text(ranges[i].offset, ranges[i].length) + "/";
    const bool right = r.status == 206 ? range.starts_with(expected) && total_of(range) == object.size
                                       : ranges[i].offset == 0 && ranges[i].length == object.size;
    if (!right) {
      throw Error(ErrorKind::Io,
                  what + " of an object of " + std::to_string(object.size) + " bytes gave " +
                      (range.empty() ? "the whole object" : "'" + range + "'") +
                      (r.status == 206 && total_of(range) >= 0 && total_of(range) != object.size
                           ? " (the object changed while it was read)"
                           : ""),
                  ErrorContext{target.name, {}, {}, {}});
    }
  }
}

}  // namespace parkett::io

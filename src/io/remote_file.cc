#include "io/remote_file.h"

#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "io/s3_client.h"
#include "parkett/error.h"

namespace parkett::io {

namespace {

class RemoteInputFile final : public InputFile {
 public:
  RemoteInputFile(std::shared_ptr<const HttpClient> http, RangedTarget target, int64_t tail_bytes, int64_t cache_bytes)
      : http_(std::move(http)), target_(std::move(target)), cache_limit_(cache_bytes) {
    object_ = get_tail(*http_, target_, std::max<int64_t>(tail_bytes, 1), tail_);
    tail_offset_ = object_.size - static_cast<int64_t>(tail_.size());
  }

  int64_t size() const override { return object_.size; }
  std::string name() const override { return target_.name; }
  bool high_latency() const override { return true; }

  void read_at(int64_t offset, int64_t length, uint8_t* out) const override {
    const Range one{offset, length, out};
    read_many(std::span<const Range>(&one, 1));
  }

  void read_many(std::span<const Range> ranges) const override {
    std::vector<Range> fetch;
    for (const Range& r : ranges) {
      if (r.length <= 0 || from_memory(r)) continue;
      fetch.push_back(r);
    }
    if (fetch.empty()) return;
    get_ranges(*http_, target_, fetch, object_);
    if (cache_limit_ > 0) {
      for (const Range& r : fetch) remember(r);
    }
  }

 private:
  struct Cached {
    int64_t offset;
    std::string bytes;
  };

  // Copies the range from the tail or the cache when either holds all of it.
  bool from_memory(const Range& r) const {
    if (r.offset >= tail_offset_) {
      std::memcpy(r.out, tail_.data() + (r.offset - tail_offset_), static_cast<size_t>(r.length));
      return true;
    }
    if (cache_limit_ <= 0) return false;
    std::lock_guard lock(cache_mutex_);
    for (const Cached& c : cache_) {
      if (r.offset >= c.offset && r.offset + r.length <= c.offset + static_cast<int64_t>(c.bytes.size())) {
        std::memcpy(r.out, c.bytes.data() + (r.offset - c.offset), static_cast<size_t>(r.length));
        return true;
      }
    }
    return false;
  }

  // Keeps a fetched range, dropping the oldest ones past the size bound.
  void remember(const Range& r) const {
    if (r.length > cache_limit_) return;
    std::lock_guard lock(cache_mutex_);
    cache_.push_back({r.offset, std::string(reinterpret_cast<const char*>(r.out), static_cast<size_t>(r.length))});
    cached_bytes_ += r.length;
    while (cached_bytes_ > cache_limit_) {
      cached_bytes_ -= static_cast<int64_t>(cache_.front().bytes.size());
      cache_.pop_front();
    }
  }

  std::shared_ptr<const HttpClient> http_;
  RangedTarget target_;
  RangedObject object_;
  std::string tail_;
  int64_t tail_offset_ = 0;
  int64_t cache_limit_ = 0;
  mutable std::mutex cache_mutex_;
  mutable std::deque<Cached> cache_;
  mutable int64_t cached_bytes_ = 0;
};

}  // namespace

bool is_http_url(std::string_view path) { return path.starts_with("http://") || path.starts_with("https://"); }
bool is_remote_url(std::string_view path) { return is_s3_url(path) || is_http_url(path); }
std::string url_for_messages(std::string_view path) {
  return std::string(is_http_url(path) ? path.substr(0, path.find_first_of("?#")) : path);
}

std::shared_ptr<const InputFile> open_remote_input(std::shared_ptr<const HttpClient> http, RangedTarget target,
                                                   int64_t tail_bytes, int64_t cache_bytes) {
  return std::make_shared<RemoteInputFile>(std::move(http), std::move(target), tail_bytes, cache_bytes);
}

}  // namespace parkett::io

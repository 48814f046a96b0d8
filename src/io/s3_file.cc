#include "io/s3_file.h"

#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "parkett/error.h"

namespace parkett::io {

namespace {

class S3InputFile final : public InputFile {
 public:
  S3InputFile(std::shared_ptr<const S3Client> client, S3Location where, int64_t tail_bytes)
      : client_(std::move(client)), where_(std::move(where)), name_(where_.url()) {
    const S3Object object = client_->read_tail(where_, std::max<int64_t>(tail_bytes, 1), tail_);
    size_ = object.size;
    etag_ = object.etag;
    tail_offset_ = size_ - static_cast<int64_t>(tail_.size());
    cache_limit_ = client_->config().cache_bytes;
  }

  int64_t size() const override { return size_; }
  std::string name() const override { return name_; }
  bool high_latency() const override { return true; }

  void read_at(int64_t offset, int64_t length, uint8_t* out) const override {
    const Range one{offset, length, out};
    read_many(std::span<const Range>(&one, 1));
  }

  void read_many(std::span<const Range> ranges) const override {
    std::vector<S3Client::Range> fetch;
    for (const Range& r : ranges) {
      if (r.length <= 0 || from_memory(r)) continue;
      fetch.push_back({r.offset, r.length, r.out});
    }
    if (fetch.empty()) return;
    client_->read_ranges(where_, fetch, etag_);
    if (cache_limit_ > 0) {
      for (const S3Client::Range& r : fetch) remember(r);
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
  void remember(const S3Client::Range& r) const {
    if (r.length > cache_limit_) return;
    std::lock_guard lock(cache_mutex_);
    cache_.push_back({r.offset, std::string(reinterpret_cast<const char*>(r.out), static_cast<size_t>(r.length))});
    cached_bytes_ += r.length;
    while (cached_bytes_ > cache_limit_) {
      cached_bytes_ -= static_cast<int64_t>(cache_.front().bytes.size());
      cache_.pop_front();
    }
  }

  std::shared_ptr<const S3Client> client_;
  S3Location where_;
  std::string name_;
  int64_t size_ = 0;
  std::string etag_;
  std::string tail_;
  int64_t tail_offset_ = 0;
  int64_t cache_limit_ = 0;
  mutable std::mutex cache_mutex_;
  mutable std::deque<Cached> cache_;
  mutable int64_t cached_bytes_ = 0;
};

}  // namespace

std::shared_ptr<const InputFile> open_s3_input(std::shared_ptr<const S3Client> client, const S3Location& where,
                                               int64_t tail_bytes) {
  if (where.key.empty() || where.key.back() == '/') {
    throw Error(ErrorKind::InvalidArgument, "names a prefix, not an object", ErrorContext{where.url(), {}, {}, {}});
  }
  return std::make_shared<S3InputFile>(std::move(client), where, tail_bytes);
}

}  // namespace parkett::io

#include "io/s3_upload.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "parkett/error.h"

namespace parkett::io {

namespace {

constexpr int kMaxParts = 10000;
constexpr int64_t kMaxPartSize = int64_t{5} << 30;

class S3OutputFile final : public OutputFile {
 public:
  S3OutputFile(std::shared_ptr<const S3Client> client, S3Location where)
      : client_(std::move(client)), where_(std::move(where)), name_(where_.url()),
        base_part_size_(client_->config().part_size), max_in_flight_(client_->config().max_parts_in_flight) {}

  ~S3OutputFile() override { abort(); }

  void write(const void* data, size_t size) override {
    check_open();
    const char* bytes = static_cast<const char*>(data);
    position_ += static_cast<int64_t>(size);
    try {
      append(bytes, size);
    } catch (...) {
      abort();
      throw;
    }
  }

  int64_t position() const override { return position_; }

  void close() override {
    check_open();
    try {
      if (upload_id_.empty()) {
        client_->put(where_, {reinterpret_cast<const uint8_t*>(current_.data()), current_.size()});
      } else {
        if (!current_.empty()) submit_current();
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return (queue_.empty() && sending_ == 0) || failure_; });
        if (failure_) std::rethrow_exception(failure_);
        lock.unlock();
        stop_uploader();
        std::sort(etags_.begin(), etags_.end());
        client_->complete_upload(where_, upload_id_, etags_);
        upload_id_.clear();
      }
      closed_ = true;
      current_ = std::string();
    } catch (...) {
      abort();
      throw;
    }
  }

  void abort() noexcept override {
    if (closed_) return;
    closed_ = true;
    stop_uploader();
    if (!upload_id_.empty()) client_->abort_upload(where_, upload_id_);
    upload_id_.clear();
    current_ = std::string();
  }

  std::string name() const override { return name_; }

 private:
  struct Part {
    int number;
    std::string bytes;
  };

  void append(const char* bytes, size_t size) {
    while (size > 0) {
      const int64_t target = s3_part_size(base_part_size_, next_part_);
      const size_t take = std::min(size, static_cast<size_t>(target) - current_.size());
      current_.append(bytes, take);
      bytes += take;
      size -= take;
      if (static_cast<int64_t>(current_.size()) == target) submit_current();
    }
  }

  void check_open() {
    if (closed_) throw Error(ErrorKind::InvalidArgument, "the file is closed or was aborted", ErrorContext{name_, {}, {}, {}});
    std::exception_ptr failure;
    {
      std::lock_guard lock(mutex_);
      failure = failure_;
    }
    if (failure) {
      abort();
      std::rethrow_exception(failure);
    }
  }

  // Queues the collected bytes as the next part, waiting while the parts in flight are at
  // the limit. The first part starts the upload and its thread.
  void submit_current() {
    if (next_part_ > kMaxParts) {
      throw Error(ErrorKind::ResourceLimit, "the object needs more than S3's 10,000 parts", ErrorContext{name_, {}, {}, {}});
    }
    if (upload_id_.empty()) {
      upload_id_ = client_->start_upload(where_);
      uploader_ = std::thread([this] {
        try {
          upload_loop();
        } catch (...) {  // out of memory taking the queue: the write fails, the process goes on
          std::lock_guard lock(mutex_);
          failure_ = std::current_exception();
          changed_.notify_all();
        }
      });
    }
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return static_cast<int>(queue_.size()) + sending_ < max_in_flight_ || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    queue_.push_back({next_part_++, std::move(current_)});
    current_ = std::string();
    changed_.notify_all();
  }

  // The background thread: sends what is queued, all of it at once (concurrently), until
  // stopped or failed.
  void upload_loop() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty() || failure_) return;
      std::vector<Part> batch(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
      sending_ = static_cast<int>(batch.size());
      lock.unlock();
      std::exception_ptr failed;
      std::vector<std::pair<int, std::string>> done;
      try {
        std::vector<S3Client::Part> parts;
        for (const Part& p : batch) parts.push_back({p.number, {reinterpret_cast<const uint8_t*>(p.bytes.data()), p.bytes.size()}});
        const std::vector<std::string> etags = client_->upload_parts(where_, upload_id_, parts, &cancel_);
        for (size_t i = 0; i < batch.size(); ++i) done.emplace_back(batch[i].number, etags[i]);
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      sending_ = 0;
      if (failed) {
        failure_ = failed;
      } else {
        etags_.insert(etags_.end(), done.begin(), done.end());
      }
      changed_.notify_all();
      if (failure_) return;
    }
  }

  // Stops the thread, cutting off parts being sent (an abort needs none of them).
  void stop_uploader() noexcept {
    cancel_ = true;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      queue_.clear();
      changed_.notify_all();
    }
    if (uploader_.joinable()) uploader_.join();
  }

  std::shared_ptr<const S3Client> client_;
  S3Location where_;
  std::string name_;
  const int64_t base_part_size_;
  const int max_in_flight_;
  int64_t position_ = 0;
  std::string current_;  // the part being filled
  int next_part_ = 1;
  std::string upload_id_;  // empty until the first part is full
  bool closed_ = false;

  std::thread uploader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Part> queue_;
  int sending_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::atomic<bool> cancel_{false};
  std::vector<std::pair<int, std::string>> etags_;
};

}  // namespace

int64_t s3_part_size(int64_t base, int number) {
  const int doublings = std::min((number - 1) / 1000, 20);
  return std::min(kMaxPartSize, base << doublings);
}

std::unique_ptr<OutputFile> open_s3_output(std::shared_ptr<const S3Client> client, S3Location where) {
  if (where.key.empty() || where.key.back() == '/') {
    throw Error(ErrorKind::InvalidArgument, "names a prefix, not an object", ErrorContext{where.url(), {}, {}, {}});
  }
  return std::make_unique<S3OutputFile>(std::move(client), std::move(where));
}

}  // namespace parkett::io

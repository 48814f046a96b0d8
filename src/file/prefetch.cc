#include "file/prefetch.h"

#include <condition_variable>
#include <exception>
#include <mutex>

#include "file/field_reader.h"
#include "file/reader_access.h"
#include "parkett/error.h"

namespace parkett::file {

namespace {
constexpr int64_t kReadAheadBytes = int64_t{64} << 20;
constexpr size_t kReadAheadGroups = 4;

int64_t total(const std::vector<ByteRequest>& chunks) {
  int64_t sum = 0;
  for (const ByteRequest& r : chunks) sum += r.size;
  return sum;
}
}  // namespace

// (A std::future of the bytes would do, but would export its instantiation's type
// information from the shared library.)
struct Prefetch::Arrival {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<FetchedBytes> bytes;
  std::exception_ptr failure;
};

std::vector<ByteRequest> chunk_requests(const FileReader& reader, const std::vector<ReadField>& fields,
                                        int32_t row_group) {
  std::vector<ByteRequest> out;
  const RowGroupMetadata rg = reader.metadata().row_group(row_group);
  for (const ReadField& field : fields) {
    for (int32_t c : field.plan.leaves) {
      try {
        FileReaderAccess::cipher(reader, row_group, c);  // no bytes for a column that cannot be read
        const ByteRange span = chunk_range(reader, rg, c);
        ByteRequest r;
        r.offset = span.begin;
        r.size = span.end - span.begin;
        r.parts = {span};
        out.push_back(std::move(r));
      } catch (const Error&) {
        // Its decoder reports what is wrong, with the row group and column.
      }
    }
  }
  return out;
}

Prefetch::Prefetch(const FileReader& reader, std::vector<ByteRequest> chunks, const CoalesceOptions& coalesce)
    : bytes_(total(chunks)), chunks_(std::move(chunks)), arrival_(std::make_shared<Arrival>()) {
  std::shared_ptr<const io::RandomAccessFile> file = FileReaderAccess::state(reader).file;
  thread_ = std::thread([file = std::move(file), chunks = chunks_, coalesce, arrival = arrival_] {
    std::vector<FetchedBytes> bytes;
    std::exception_ptr failure;
    try {
      int64_t ignored = 0;
      bytes = fetch(*file, chunks, coalesce, ignored);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(arrival->mutex);
    arrival->bytes = std::move(bytes);
    arrival->failure = failure;
    arrival->done = true;
    arrival->done_cv.notify_all();
  });
}

Prefetch::~Prefetch() {
  bool done;
  {
    std::lock_guard lock(arrival_->mutex);
    done = arrival_->done;
  }
  if (done) {
    thread_.join();
  } else {
    thread_.detach();  // it holds the file and the arrival it fills
  }
}

std::optional<FetchedBytes> Prefetch::find(int64_t offset, int64_t size) const {
  for (size_t i = 0; i < chunks_.size(); ++i) {
    const ByteRequest& chunk = chunks_[i];
    if (offset < chunk.offset || offset + size > chunk.offset + chunk.size) continue;
    std::unique_lock lock(arrival_->mutex);
    arrival_->done_cv.wait(lock, [&] { return arrival_->done; });
    if (arrival_->failure) {
      // A copy for each caller: callers add their context to the error they catch.
      try {
        std::rethrow_exception(arrival_->failure);
      } catch (const Error& e) {
        throw Error(e);
      }
    }
    const FetchedBytes& whole = arrival_->bytes[i];
    return FetchedBytes{whole.bytes.subspan(static_cast<size_t>(offset - chunk.offset), static_cast<size_t>(size)),
                        whole.owner};
  }
  return std::nullopt;
}

ReadAhead::ReadAhead(const FileReader& reader, const std::vector<ReadField>& fields, std::vector<int32_t> groups,
                     const CoalesceOptions& coalesce)
    : reader_(reader), fields_(fields), groups_(std::move(groups)), coalesce_(coalesce) {}

std::unique_ptr<Prefetch> ReadAhead::take(size_t i) {
  while (!started_.empty() && started_.front().first < i) started_.pop_front();  // skipped
  auto start = [&](std::vector<ByteRequest> chunks) {
    started_.emplace_back(next_++, std::make_unique<Prefetch>(reader_, std::move(chunks), coalesce_));
  };
  if (next_ <= i) {
    next_ = i;
    start(chunk_requests(reader_, fields_, groups_[i]));
  }
  size_t ahead_groups = started_.size() - 1;
  int64_t ahead_bytes = 0;
  for (size_t k = 1; k < started_.size(); ++k) ahead_bytes += started_[k].second->bytes();
  // The next row group always; more while they fit.
  while (next_ < groups_.size() && ahead_groups < kReadAheadGroups) {
    std::vector<ByteRequest> chunks = chunk_requests(reader_, fields_, groups_[next_]);
    const int64_t size = total(chunks);
    if (ahead_groups > 0 && ahead_bytes + size > kReadAheadBytes) break;
    start(std::move(chunks));
    ahead_bytes += size;
    ++ahead_groups;
  }
  std::unique_ptr<Prefetch> out = std::move(started_.front().second);
  started_.pop_front();
  return out;
}

}  // namespace parkett::file

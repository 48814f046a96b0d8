// Column chunks read ahead of their decoders on high-latency storage (S3, HTTP): while one
// row group decodes, the chunks of the next ones come in, each row group's in one round of
// concurrent requests, so that a scan waits for the store about once rather than once per
// row group.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "file/byte_requests.h"
#include "file/read_plan.h"
#include "parkett/reader.h"

namespace parkett::file {

/// The column chunks of `fields` in `row_group`, whole: what a Prefetch reads. Chunks whose
/// metadata is broken, or that are encrypted, are left out for their decoders to report.
std::vector<ByteRequest> chunk_requests(const FileReader& reader, const std::vector<ReadField>& fields,
                                        int32_t row_group);

class Prefetch {
 public:
  /// Starts reading `chunks` of the reader's file (coalesced as `coalesce` says) on a
  /// thread of its own, which holds the file while it reads.
  Prefetch(const FileReader& reader, std::vector<ByteRequest> chunks, const CoalesceOptions& coalesce);
  /// Does not wait: reads still under way finish (or fail) on their own thread, which then
  /// frees what they fetched; nobody needed them (a scan stopped early, or failed).
  ~Prefetch();
  Prefetch(const Prefetch&) = delete;
  Prefetch& operator=(const Prefetch&) = delete;

  /// Bytes of the chunks asked for.
  int64_t bytes() const { return bytes_; }
  /// The bytes [offset, offset + size), waiting for them, when a prefetched chunk holds them
  /// all; nullopt otherwise. Rethrows the failure of the reads.
  std::optional<FetchedBytes> find(int64_t offset, int64_t size) const;

 private:
  struct Arrival;  // the fetched bytes or the failure, once the thread is done

  int64_t bytes_ = 0;
  std::vector<ByteRequest> chunks_;
  std::shared_ptr<Arrival> arrival_;
  std::thread thread_;
};

/// The row groups of a scan, read ahead in order: while one decodes, the chunks of the next
/// ones come in, as many row groups as fit in 64 MiB (at least one, at most four; each
/// round is bounded by S3Options::max_concurrent_requests). Memory holds those and the row
/// group decoding.
class ReadAhead {
 public:
  /// `reader` and `fields` must outlive it.
  ReadAhead(const FileReader& reader, const std::vector<ReadField>& fields, std::vector<int32_t> groups,
            const CoalesceOptions& coalesce);
  /// The chunks of groups[i], for i in increasing order (row groups skipped are dropped),
  /// with the reads of the next ones started.
  std::unique_ptr<Prefetch> take(size_t i);

 private:
  const FileReader& reader_;
  const std::vector<ReadField>& fields_;
  std::vector<int32_t> groups_;
  CoalesceOptions coalesce_;
  size_t next_ = 0;  // the first of groups_ not started
  std::deque<std::pair<size_t, std::unique_ptr<Prefetch>>> started_;
};

}  // namespace parkett::file

// The bytes a scan's decoders wait for, and the one place that fetches them from storage:
// decoders below file/ only name ranges (sans-IO); a driver gathers what every column of a
// window needs, fetches it here (coalesced), and hands each decoder its bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "io/random_access_file.h"

namespace parkett::file {

struct ByteRange {
  int64_t begin = 0, end = 0;  // file offsets, [begin, end)
};

/// Bytes one column decoder waits for: the span [offset, offset + size) of the file, of
/// which only `parts` (sorted, inside the span) are needed; bytes between them are never
/// looked at.
struct ByteRequest {
  size_t stream = 0;  // the caller's tag: which field stream asked
  size_t leaf = 0;    // which of its leaves
  int64_t offset = 0, size = 0;
  std::vector<ByteRange> parts;
};

/// The bytes of a request: a span valid while `owner` lives.
struct FetchedBytes {
  std::span<const uint8_t> bytes;
  std::shared_ptr<const void> owner;
};

struct CoalesceOptions {
  int64_t gap = 64 * 1024;             // parts closer than this are read as one
  int64_t max_read = int64_t{64} << 20;  // no read grows past this by merging
};

class Prefetch;

/// Fetches every request's parts: lent in place where the storage holds the file in memory
/// or `ahead` (file/prefetch.h) read them already; otherwise requests for their whole span
/// are read with those closer than `gap` merged into one read (each given a span of it),
/// and requests for parts of their span into a buffer of that span. Adds the bytes read
/// from storage to `bytes_read`. Throws Error(Io) from the storage.
std::vector<FetchedBytes> fetch(const io::RandomAccessFile& file, const std::vector<ByteRequest>& requests,
                                const CoalesceOptions& options, int64_t& bytes_read, const Prefetch* ahead = nullptr);

}  // namespace parkett::file

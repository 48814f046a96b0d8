#include "file/byte_requests.h"

#include <algorithm>

#include "file/prefetch.h"
#include "parkett/array.h"

namespace parkett::file {

std::vector<FetchedBytes> fetch(const io::RandomAccessFile& file, const std::vector<ByteRequest>& requests,
                                const CoalesceOptions& options, int64_t& bytes_read, const Prefetch* ahead) {
  if (ahead) {
    // What was read ahead is lent; the rest is fetched as below.
    std::vector<FetchedBytes> out(requests.size());
    std::vector<ByteRequest> rest;
    std::vector<size_t> rest_of;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (std::optional<FetchedBytes> found = ahead->find(requests[i].offset, requests[i].size)) {
        out[i] = std::move(*found);
      } else {
        rest.push_back(requests[i]);
        rest_of.push_back(i);
      }
    }
    if (!rest.empty()) {
      std::vector<FetchedBytes> fetched = fetch(file, rest, options, bytes_read);
      for (size_t k = 0; k < rest.size(); ++k) out[rest_of[k]] = std::move(fetched[k]);
    }
    return out;
  }
  std::vector<FetchedBytes> out(requests.size());
  // Storage in memory: nothing to read.
  bool in_memory = !requests.empty();
  for (size_t i = 0; i < requests.size() && in_memory; ++i) {
    out[i].bytes = file.view(requests[i].offset, requests[i].size);
    in_memory = out[i].bytes.data() != nullptr || requests[i].size == 0;
  }
  if (in_memory) {
    for (const ByteRequest& r : requests) {
      for (const ByteRange& p : r.parts) bytes_read += p.end - p.begin;
    }
    return out;
  }
  // A request for parts of its span (pages of a chunk that a selection needs) is read into
  // its own buffer, its parts closer than `gap` merged; the others (the whole span: a window
  // of a chunk, or a whole chunk) are merged across requests into shared reads.
  struct Part {
    ByteRange range;
    size_t request;
  };
  std::vector<Part> parts;
  std::vector<io::RandomAccessFile::Read> to_read;  // all read at once: concurrently where storage can
  for (size_t i = 0; i < requests.size(); ++i) {
    const ByteRequest& q = requests[i];
    if (q.parts.size() == 1 && q.parts[0].begin == q.offset && q.parts[0].end == q.offset + q.size) {
      parts.push_back({q.parts[0], i});
      continue;
    }
    auto own = Buffer::allocate(static_cast<size_t>(q.size));
    ByteRange run{0, -1};
    auto flush = [&] {
      if (run.end <= run.begin) return;
      to_read.push_back({run.begin, run.end - run.begin, own->data() + (run.begin - q.offset)});
      bytes_read += run.end - run.begin;
    };
    for (const ByteRange& p : q.parts) {
      if (run.end >= run.begin && p.begin - run.end <= options.gap && p.end - run.begin <= options.max_read) {
        run.end = std::max(run.end, p.end);
      } else {
        flush();
        run = p;
      }
    }
    flush();
    out[i].bytes = std::span<const uint8_t>(own->data(), own->size());
    out[i].owner = std::move(own);
  }
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.range.begin < b.range.begin; });
  struct Merged {
    ByteRange range;
    std::shared_ptr<Buffer> bytes;
  };
  std::vector<Merged> reads;
  std::vector<size_t> read_of(parts.size());
  for (size_t k = 0; k < parts.size(); ++k) {
    const ByteRange& p = parts[k].range;
    if (!reads.empty() && p.begin - reads.back().range.end <= options.gap &&
        std::max(p.end, reads.back().range.end) - reads.back().range.begin <= options.max_read) {
      reads.back().range.end = std::max(reads.back().range.end, p.end);
    } else {
      reads.push_back({p, nullptr});
    }
    read_of[k] = reads.size() - 1;
  }
  for (Merged& r : reads) {
    const int64_t length = r.range.end - r.range.begin;
    r.bytes = Buffer::allocate(static_cast<size_t>(length));
    to_read.push_back({r.range.begin, length, r.bytes->data()});
    bytes_read += length;
  }
  file.read_many(to_read);
  // Each single-part request: a span of the read holding its part.
  for (size_t k = 0; k < parts.size(); ++k) {
    const Merged& r = reads[read_of[k]];
    const ByteRange& p = parts[k].range;
    FetchedBytes& f = out[parts[k].request];
    f.bytes = std::span<const uint8_t>(r.bytes->data() + (p.begin - r.range.begin), static_cast<size_t>(p.end - p.begin));
    f.owner = r.bytes;
  }
  return out;
}

}  // namespace parkett::file

// Where a FileReader reads from, when it is not a local path or a buffer: implement
// InputFile to read Parquet from any storage (a network store, a database blob, a custom
// cache). parkett asks only for the size and for byte ranges.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "parkett/export.h"

namespace parkett {

class PARKETT_EXPORT InputFile {
 public:
  virtual ~InputFile() = default;
  /// The size in bytes.
  virtual int64_t size() const = 0;
  /// Reads exactly `length` bytes at `offset` (within the size: parkett checks) into `out`.
  /// May be called from several threads at once. Throw to fail: a parkett::Error keeps its
  /// kind; anything else becomes Error(Io) with its message.
  virtual void read_at(int64_t offset, int64_t length, uint8_t* out) const = 0;
  /// Several ranges a scan needs together (within the size: parkett checks). Storage with
  /// latency (object stores) should fetch them concurrently; by default they are read one
  /// by one with read_at.
  struct Range {
    int64_t offset = 0, length = 0;
    uint8_t* out = nullptr;  // room for `length` bytes
  };
  virtual void read_many(std::span<const Range> ranges) const {
    for (const Range& r : ranges) read_at(r.offset, r.length, r.out);
  }
  /// True for storage where a request costs more than the bytes it moves (object stores):
  /// scans then fetch a row group's column chunks (the pages a filter needs) in one round
  /// of read_many, with ranges up to a megabyte apart merged, instead of streaming them.
  virtual bool high_latency() const { return false; }
  /// The name errors give for the file.
  virtual std::string name() const { return "<input>"; }
};

}  // namespace parkett

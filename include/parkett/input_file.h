// Where a FileReader reads from, when it is not a local path or a buffer: implement
// InputFile to read Parquet from any storage (a network store, a database blob, a custom
// cache). parkett asks only for the size and for byte ranges.
#pragma once

#include <cstdint>
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
  /// The name errors give for the file.
  virtual std::string name() const { return "<input>"; }
};

}  // namespace parkett

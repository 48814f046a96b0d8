// Encoding scratch shared by every writer of the process: a task borrows a ChunkScratch for
// one column chunk and gives it back, so the memory it grew (dictionary tables, value and
// level buffers) serves the next chunk of any file. A dataset write with many files open
// then warms up one scratch per thread, not one per file.
#pragma once

#include <memory>

#include "column/chunk_writer.h"

namespace parkett::column {

/// A scratch given back when the lease ends.
class ScratchLease {
 public:
  ScratchLease();
  ~ScratchLease();
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  ChunkScratch& get() { return *scratch_; }

 private:
  std::unique_ptr<ChunkScratch> scratch_;
};

}  // namespace parkett::column

// Positional reads from local files or memory.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "parkett/input_file.h"

namespace parkett::io {

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual int64_t size() const = 0;
  /// Reads exactly `length` bytes at `offset` into `out` (resized). Throws Error(Io) on
  /// failure or when the range is outside the file.
  virtual void read_at(int64_t offset, int64_t length, std::string& out) const;
  /// Reads exactly `length` bytes at `offset` into `out` (which has room for them).
  virtual void read_into(int64_t offset, int64_t length, uint8_t* out) const = 0;
  /// Several reads at once: storage with latency (S3) runs them concurrently; others one by
  /// one (the default).
  using Read = InputFile::Range;
  virtual void read_many(std::span<const Read> reads) const;
  /// See InputFile::high_latency.
  virtual bool high_latency() const { return false; }
  virtual const std::string& name() const = 0;
  /// The bytes at [offset, offset + length) without copying, valid as long as this file,
  /// for storage that has them in memory (memory buffers, mapped files); empty otherwise.
  /// Throws Error(Io) when the range is outside the file.
  virtual std::span<const uint8_t> view(int64_t offset, int64_t length) const;
};

/// Maps a local file into memory (read-only). Throws Error(NotFound) or Error(Io).
std::shared_ptr<RandomAccessFile> open_mapped_file(const std::string& path);

/// Opens a local file for reading. Throws Error(NotFound) or Error(Io).
std::shared_ptr<RandomAccessFile> open_local_file(const std::string& path);
/// Reads through a user's InputFile (parkett/input_file.h).
std::shared_ptr<RandomAccessFile> open_input(std::shared_ptr<const InputFile> input);

/// Wraps bytes held in memory.
std::shared_ptr<RandomAccessFile> open_memory(std::shared_ptr<const std::string> bytes,
                                              std::string name);

}  // namespace parkett::io

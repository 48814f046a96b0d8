// A local file written under a temporary name in its final directory and renamed into
// place by commit(): readers never see a partial file, and a failed or abandoned write
// leaves the previous file of that name (if any) untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "parkett/filesystem.h"

namespace parkett::io {

class AtomicFile final : public OutputFile {
 public:
  /// Creates the temporary file beside `path`. Throws Error(Io) naming the directory.
  explicit AtomicFile(std::string path);
  ~AtomicFile() override;  // removes the temporary file unless closed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes (buffered). Throws Error(Io) naming the file on a failed write.
  void write(const void* data, size_t size) override;
  int64_t position() const override { return position_; }
  /// Flushes, closes and renames the file to its final name. Throws Error(Io).
  void close() override;
  /// Closes and removes the temporary file (also done by the destructor).
  void abort() noexcept override;
  std::string name() const override { return path_; }

 private:
  void flush();
  void write_through(const char* data, size_t size);
  [[noreturn]] void fail(const std::string& what, int err);

  std::string path_, temp_path_;
  int slot_ = -1;  // this file's entry in the registry remove_temporary_files_on_signal reads
  int fd_ = -1;
  int64_t position_ = 0;
  std::string buffer_;
};

/// Removes the temporary file of every AtomicFile still open. Async-signal-safe (unlink
/// only, no allocation or locks), for a signal handler that is about to end the process;
/// a program that does not call it leaves its temporary files on a fatal signal.
void remove_temporary_files_on_signal() noexcept;

}  // namespace parkett::io

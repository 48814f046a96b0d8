// A local file written under a temporary name in its final directory and renamed into
// place by commit(): readers never see a partial file, and a failed or abandoned write
// leaves the previous file of that name (if any) untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace parkett::io {

class AtomicFile {
 public:
  /// Creates the temporary file beside `path`. Throws Error(Io) naming the directory.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes (buffered). Throws Error(Io) naming the file on a failed write.
  void write(const void* data, size_t size);
  int64_t position() const { return position_; }
  /// Flushes, closes and renames the file to its final name. Throws Error(Io).
  void commit();
  /// Closes and removes the temporary file (also done by the destructor).
  void abandon() noexcept;
  const std::string& path() const { return path_; }

 private:
  void flush();
  void write_through(const char* data, size_t size);
  [[noreturn]] void fail(const std::string& what, int err);

  std::string path_, temp_path_;
  int fd_ = -1;
  int64_t position_ = 0;
  std::string buffer_;
};

}  // namespace parkett::io

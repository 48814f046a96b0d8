// Where files live: a filesystem opens files for reading and writing, lists and deletes
// them. parkett has local disk, S3 (parkett/s3.h) and read-only HTTP(S); implement
// FileSystem to read and write datasets on another store. Paths are the store's own: local
// paths, "s3://bucket/key" or "https://host/path" URLs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parkett/export.h"
#include "parkett/input_file.h"
#include "parkett/s3.h"

namespace parkett {

/// A file being written. Nothing is visible under its name until close() returns; a failed
/// write, abort() or destruction before close() leaves any earlier file of that name as it
/// was (local files: a temporary file renamed at close; S3: a multipart upload completed at
/// close, aborted otherwise).
class PARKETT_EXPORT OutputFile {
 public:
  virtual ~OutputFile() = default;
  /// Appends bytes. Throw to fail: a parkett::Error keeps its kind.
  virtual void write(const void* data, size_t size) = 0;
  /// Bytes written so far.
  virtual int64_t position() const = 0;
  /// Makes the file visible, whole.
  virtual void close() = 0;
  /// Discards what was written. Never throws.
  virtual void abort() noexcept = 0;
  /// The name errors give for the file.
  virtual std::string name() const = 0;
};

struct PARKETT_EXPORT FileInfo {
  std::string path;
  int64_t size = 0;
};

class PARKETT_EXPORT FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// Opens a file for reading; `tail_bytes` are the last bytes the caller reads first (a
  /// Parquet footer), which a store with latency may fetch with the size in one request.
  /// Throws Error(NotFound) when there is no such file.
  virtual std::shared_ptr<const InputFile> open_input(const std::string& path, int64_t tail_bytes = 64 * 1024) const = 0;
  /// Opens a file for writing. On local disk its directory must exist (create_directories).
  virtual std::unique_ptr<OutputFile> open_output(const std::string& path) const = 0;
  /// Creates a directory and its parents (nothing to do where directories do not exist, as
  /// on S3).
  virtual void create_directories(const std::string& dir) const = 0;
  /// Every file under the directory or prefix `dir`, at any depth, sorted by path. A
  /// directory that does not exist has none.
  virtual std::vector<FileInfo> list(const std::string& dir) const = 0;
  /// Whether `path` is a file, a directory (on S3: a prefix with objects under it), or
  /// neither.
  enum class Kind { None, File, Directory };
  virtual Kind kind(const std::string& path) const = 0;
  /// Deletes the files. Files already gone are no error.
  virtual void remove(const std::vector<std::string>& paths) const = 0;
  /// Deletes everything below the directory `dir`, keeping `dir` (pyarrow's
  /// delete_dir_contents). Nothing to do when it does not exist.
  virtual void remove_below(const std::string& dir) const = 0;
};

/// What this process has exchanged with remote stores (S3, HTTP) so far, over every
/// filesystem: requests sent (each retry counts) and the bytes of their bodies.
struct PARKETT_EXPORT TransferCounts {
  int64_t requests = 0;
  int64_t bytes_received = 0;
  int64_t bytes_sent = 0;
};
PARKETT_EXPORT TransferCounts remote_transfer_counts();

/// Local disk.
PARKETT_EXPORT std::shared_ptr<FileSystem> local_filesystem();
/// Amazon S3 or an S3-compatible store: paths are "s3://bucket/key". Connections, TLS
/// sessions and the retry budget are shared by everything using the returned object, and
/// calls with the same settings (as resolved from the environment) return the same object
/// while one is in use.
PARKETT_EXPORT std::shared_ptr<FileSystem> s3_filesystem(const S3Options& options = {});
/// Files on web servers by "http://" or "https://" URL (a presigned URL too), read with
/// unsigned range GETs; nothing is listed, written or deleted (Error(Unsupported)). The
/// connection settings of `transport` apply (TLS, timeouts, concurrency, retries, cache).
PARKETT_EXPORT std::shared_ptr<FileSystem> http_filesystem(const S3Options& transport = {});
/// The filesystem a path names: S3 for "s3://" (made from `s3`), HTTP for "http(s)://"
/// (with the connection settings of `s3`), else local disk.
PARKETT_EXPORT std::shared_ptr<FileSystem> filesystem_for(const std::string& path, const S3Options& s3 = {});

}  // namespace parkett

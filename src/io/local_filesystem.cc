// FileSystem on local disk: reads through pread, writes through AtomicFile (temporary file
// renamed at close), listing by walking directories. Failures are Error(Io) naming the path
// and the operating system's reason.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "io/atomic_file.h"
#include "io/random_access_file.h"
#include "io/remote_file.h"
#include "io/s3_client.h"
#include "parkett/error.h"
#include "parkett/filesystem.h"

namespace parkett {

namespace {
namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const std::string& path, const std::error_code& ec) {
  throw Error(ErrorKind::Io, what + " '" + path + "': " + ec.message(), {path, std::nullopt, {}, std::nullopt});
}

// A local file as the public InputFile.
class LocalInput final : public InputFile {
 public:
  explicit LocalInput(std::shared_ptr<io::RandomAccessFile> file) : file_(std::move(file)) {}
  int64_t size() const override { return file_->size(); }
  void read_at(int64_t offset, int64_t length, uint8_t* out) const override { file_->read_into(offset, length, out); }
  std::string name() const override { return file_->name(); }

 private:
  std::shared_ptr<io::RandomAccessFile> file_;
};

class LocalFileSystem final : public FileSystem {
 public:
  std::shared_ptr<const InputFile> open_input(const std::string& path, int64_t) const override {
    return std::make_shared<LocalInput>(io::open_local_file(path));
  }
  std::unique_ptr<OutputFile> open_output(const std::string& path) const override {
    return std::make_unique<io::AtomicFile>(path);
  }
  void create_directories(const std::string& dir) const override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create the directory", dir, ec);
    if (!fs::is_directory(dir, ec)) fail("not a directory:", dir, ec ? ec : std::make_error_code(std::errc::not_a_directory));
  }
  std::vector<FileInfo> list(const std::string& dir) const override {
    std::vector<FileInfo> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    // Symbolic links to files count; links to directories are not followed (no cycles), and
    // an entry that cannot be examined (a dangling link) is left out. A directory that
    // cannot be read fails the listing (its files would be missed silently).
    fs::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code entry;
      if (!it->is_regular_file(entry) || entry) continue;
      const auto size = it->file_size(entry);
      if (!entry) out.push_back({it->path().string(), static_cast<int64_t>(size)});
    }
    if (ec) throw Error(ErrorKind::Io, "cannot list: " + ec.message(), ErrorContext{dir, {}, {}, {}});
    std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
    return out;
  }
  Kind kind(const std::string& path) const override {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return Kind::None;
    return fs::is_directory(status) ? Kind::Directory : Kind::File;
  }
  void remove(const std::vector<std::string>& paths) const override {
    for (const std::string& p : paths) {
      std::error_code ec;
      fs::remove(p, ec);
      if (ec) fail("cannot remove", p, ec);
    }
  }
  void remove_below(const std::string& dir) const override {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    fs::directory_iterator it(dir, ec), end;
    if (ec) fail("cannot list", dir, ec);
    for (; it != end; it.increment(ec)) {
      if (ec) fail("cannot list", dir, ec);
      const std::string path = it->path().string();
      fs::remove_all(it->path(), ec);
      if (ec) fail("cannot remove", path, ec);
    }
    if (ec) fail("cannot list", dir, ec);
  }
};

}  // namespace

std::shared_ptr<FileSystem> local_filesystem() {
  static const std::shared_ptr<FileSystem> local = std::make_shared<LocalFileSystem>();
  return local;
}

std::shared_ptr<FileSystem> filesystem_for(const std::string& path, const S3Options& s3) {
  if (io::is_s3_url(path)) return s3_filesystem(s3);
  if (io::is_http_url(path)) return http_filesystem(s3);
  return local_filesystem();
}

}  // namespace parkett

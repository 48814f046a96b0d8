// FileSystem on local disk: reads through pread, writes through AtomicFile (temporary file
// renamed at close), listing by walking directories.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "io/atomic_file.h"
#include "io/directories.h"
#include "io/random_access_file.h"
#include "io/s3_client.h"
#include "parkett/error.h"
#include "parkett/filesystem.h"

namespace parkett {

namespace {
namespace fs = std::filesystem;

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
  void create_directories(const std::string& dir) const override { io::create_directories(dir); }
  std::vector<FileInfo> list(const std::string& dir) const override {
    std::vector<FileInfo> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) out.push_back({it->path().string(), static_cast<int64_t>(it->file_size(ec))});
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
    for (const std::string& p : paths) io::remove_file(p);
  }
};

}  // namespace

std::shared_ptr<FileSystem> local_filesystem() {
  static const std::shared_ptr<FileSystem> local = std::make_shared<LocalFileSystem>();
  return local;
}

std::shared_ptr<FileSystem> filesystem_for(const std::string& path, const S3Options& s3) {
  return io::is_s3_url(path) ? s3_filesystem(s3) : local_filesystem();
}

}  // namespace parkett

#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "parkett/error.h"

namespace parkett::io {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const size_t slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (base.empty()) throw Error(ErrorKind::InvalidArgument, "'" + path_ + "' names a directory, not a file");
  // Hidden, in the same directory (rename must not cross file systems), unique.
  std::string templ = dir + "." + base + ".parkett-tmp-XXXXXX";
  fd_ = ::mkstemp(templ.data());
  if (fd_ < 0) {
    const int err = errno;
    throw Error(ErrorKind::Io, "cannot create a temporary file in '" + (dir.empty() ? std::string(".") : dir) +
                                   "': " + std::strerror(err),
                {path_, std::nullopt, {}, std::nullopt});
  }
  temp_path_ = templ;
  ::fchmod(fd_, 0644 & ~[] {
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }());
  buffer_.reserve(kBufferSize);
}

AtomicFile::~AtomicFile() { abandon(); }

void AtomicFile::fail(const std::string& what, int err) {
  const std::string message = what + " '" + temp_path_ + "': " + std::strerror(err);
  abandon();
  throw Error(ErrorKind::Io, message, {path_, std::nullopt, {}, std::nullopt});
}

void AtomicFile::write_through(const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", errno);
    }
    done += static_cast<size_t>(n);
  }
}

void AtomicFile::flush() {
  write_through(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void AtomicFile::write(const void* data, size_t size) {
  if (fd_ < 0) throw Error(ErrorKind::Internal, "write after the file was closed", {path_, std::nullopt, {}, std::nullopt});
  position_ += static_cast<int64_t>(size);
  if (buffer_.size() + size > kBufferSize) {
    flush();
    if (size >= kBufferSize) {  // large blocks (pages) go straight to the file
      write_through(static_cast<const char*>(data), size);
      return;
    }
  }
  buffer_.append(static_cast<const char*>(data), size);
}

void AtomicFile::commit() {
  flush();
  if (::close(fd_) != 0) {
    const int err = errno;
    fd_ = -1;
    fail("cannot close", err);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("cannot rename into place", errno);
  temp_path_.clear();
}

void AtomicFile::abandon() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

}  // namespace parkett::io

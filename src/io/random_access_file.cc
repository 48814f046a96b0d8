#include "io/random_access_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "parkett/error.h"

namespace parkett::io {
namespace {

[[noreturn]] void io_error(const std::string& path, const std::string& what, int err) {
  throw Error(err == ENOENT ? ErrorKind::NotFound : ErrorKind::Io,
              what + ": " + std::strerror(err), ErrorContext{path, {}, {}, {}});
}

void check_range(const RandomAccessFile& f, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0 || offset > f.size() || length > f.size() - offset) {
    throw Error(ErrorKind::Io,
                "read of " + std::to_string(length) + " bytes at offset " +
                    std::to_string(offset) + " is outside the file of " +
                    std::to_string(f.size()) + " bytes",
                ErrorContext{f.name(), {}, {}, {}});
  }
}

class LocalFile final : public RandomAccessFile {
 public:
  explicit LocalFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) io_error(path_, "cannot open", errno);
    struct stat st;
    if (::fstat(fd_, &st) != 0) {
      int err = errno;
      ::close(fd_);
      io_error(path_, "cannot stat", err);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      throw Error(ErrorKind::InvalidArgument, "is a directory, not a file",
                  ErrorContext{path_, {}, {}, {}});
    }
    size_ = st.st_size;
  }
  ~LocalFile() override { ::close(fd_); }

  int64_t size() const override { return size_; }
  const std::string& name() const override { return path_; }


  void read_into(int64_t offset, int64_t length, uint8_t* out) const override {
    check_range(*this, offset, length);
    int64_t done = 0;
    while (done < length) {
      ssize_t n = ::pread(fd_, out + done, static_cast<size_t>(length - done),
                          static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        io_error(path_, "read failed at offset " + std::to_string(offset + done), errno);
      }
      if (n == 0) {
        throw Error(ErrorKind::Io, "file shrank while reading at offset " +
                                       std::to_string(offset + done),
                    ErrorContext{path_, {}, {}, {}});
      }
      done += n;
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
};

// A local file mapped read-only: reads are copies from the mapping, views are free.
class MappedFile final : public RandomAccessFile {
 public:
  explicit MappedFile(std::string path) : path_(std::move(path)) {
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) io_error(path_, "cannot open", errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      io_error(path_, "cannot stat", err);
    }
    size_ = st.st_size;
    if (size_ > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(size_), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        int err = errno;
        ::close(fd);
        io_error(path_, "cannot map", err);
      }
      data_ = static_cast<const uint8_t*>(p);
    }
    ::close(fd);  // the mapping stays valid without the descriptor
  }
  ~MappedFile() override {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), static_cast<size_t>(size_));
  }
  int64_t size() const override { return size_; }
  const std::string& name() const override { return path_; }
  void read_at(int64_t offset, int64_t length, std::string& out) const override {
    check_range(*this, offset, length);
    out.assign(reinterpret_cast<const char*>(data_) + offset, static_cast<size_t>(length));
  }
  void read_into(int64_t offset, int64_t length, uint8_t* out) const override {
    check_range(*this, offset, length);
    if (length) std::memcpy(out, data_ + offset, static_cast<size_t>(length));
  }
  std::span<const uint8_t> view(int64_t offset, int64_t length) const override {
    check_range(*this, offset, length);
    return {data_ + offset, static_cast<size_t>(length)};
  }

 private:
  std::string path_;
  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
};

class MemoryFile final : public RandomAccessFile {
 public:
  MemoryFile(std::shared_ptr<const std::string> bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  std::span<const uint8_t> view(int64_t offset, int64_t length) const override {
    check_range(*this, offset, length);
    return {reinterpret_cast<const uint8_t*>(bytes_->data()) + offset, static_cast<size_t>(length)};
  }
  int64_t size() const override { return static_cast<int64_t>(bytes_->size()); }
  const std::string& name() const override { return name_; }
  void read_at(int64_t offset, int64_t length, std::string& out) const override {
    check_range(*this, offset, length);
    out.assign(bytes_->data() + offset, static_cast<size_t>(length));
  }
  void read_into(int64_t offset, int64_t length, uint8_t* out) const override {
    check_range(*this, offset, length);
    if (length) std::memcpy(out, bytes_->data() + offset, static_cast<size_t>(length));
  }

 private:
  std::shared_ptr<const std::string> bytes_;
  std::string name_;
};

}  // namespace

std::span<const uint8_t> RandomAccessFile::view(int64_t offset, int64_t length) const {
  check_range(*this, offset, length);
  return {};
}

std::shared_ptr<RandomAccessFile> open_local_file(const std::string& path) {
  return std::make_shared<LocalFile>(path);
}

std::shared_ptr<RandomAccessFile> open_mapped_file(const std::string& path) {
  return std::make_shared<MappedFile>(path);
}

namespace {

// A user's InputFile: reads range-checked, foreign exceptions turned into Error(Io).
class UserFile final : public RandomAccessFile {
 public:
  explicit UserFile(std::shared_ptr<const InputFile> input) : input_(std::move(input)), name_(input_->name()) {
    size_ = input_->size();
    if (size_ < 0) throw Error(ErrorKind::Io, "the input reports a negative size", ErrorContext{name_, {}, {}, {}});
  }
  int64_t size() const override { return size_; }
  const std::string& name() const override { return name_; }
  void read_into(int64_t offset, int64_t length, uint8_t* out) const override {
    check_range(*this, offset, length);
    if (length == 0) return;
    try {
      input_->read_at(offset, length, out);
    } catch (Error& e) {
      e.set_file(name_);
      throw;
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Io,
                  "read of " + std::to_string(length) + " bytes at offset " + std::to_string(offset) + " failed: " + e.what(),
                  ErrorContext{name_, {}, {}, {}});
    }
  }
  bool high_latency() const override { return input_->high_latency(); }
  void read_many(std::span<const Read> reads) const override {
    for (const Read& r : reads) check_range(*this, r.offset, r.length);
    try {
      input_->read_many(reads);
    } catch (Error& e) {
      e.set_file(name_);
      throw;
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Io, "read of " + std::to_string(reads.size()) + " ranges failed: " + e.what(),
                  ErrorContext{name_, {}, {}, {}});
    }
  }

 private:
  std::shared_ptr<const InputFile> input_;
  std::string name_;
  int64_t size_ = 0;
};

}  // namespace

void RandomAccessFile::read_many(std::span<const Read> reads) const {
  for (const Read& r : reads) read_into(r.offset, r.length, r.out);
}

// By default a sized read into the string (storage that holds the bytes may do better).
void RandomAccessFile::read_at(int64_t offset, int64_t length, std::string& out) const {
  check_range(*this, offset, length);
  out.resize(static_cast<size_t>(length));
  read_into(offset, length, reinterpret_cast<uint8_t*>(out.data()));
}

std::shared_ptr<RandomAccessFile> open_input(std::shared_ptr<const InputFile> input) {
  if (!input) throw Error(ErrorKind::InvalidArgument, "no input file");
  return std::make_shared<UserFile>(std::move(input));
}

std::shared_ptr<RandomAccessFile> open_memory(std::shared_ptr<const std::string> bytes,
                                              std::string name) {
  return std::make_shared<MemoryFile>(std::move(bytes), std::move(name));
}

}  // namespace parkett::io

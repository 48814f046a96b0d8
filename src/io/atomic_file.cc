#include "io/atomic_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "parkett/error.h"

namespace parkett::io {
namespace {

// Small: a dataset write keeps hundreds of files open. Pages larger than this (most) go to
// the file directly; headers and small pages gather here.
constexpr size_t kBufferSize = size_t{64} << 10;

// The temporary files open now, for a signal handler to remove. Paths are copied into
// fixed slots so that the handler reads no memory another thread may free; a slot is
// claimed (kWriting), filled, then published (kReady). Files beyond the slots still work,
// but a signal leaves them behind.
constexpr int kSlots = 64;
enum SlotState : int { kFree, kWriting, kReady };
struct TempSlot {
  std::atomic<int> state{kFree};
  char path[4096];
};
TempSlot g_slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free, "signal handlers need lock-free atomics");

int register_temporary(const std::string& path) {
  if (path.size() >= sizeof(TempSlot::path)) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kWriting)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(kReady);
      return i;
    }
  }
  return -1;
}

void unregister_temporary(int& slot) {
  if (slot >= 0) g_slots[slot].state.store(kFree);
  slot = -1;
}

}  // namespace

void remove_temporary_files_on_signal() noexcept {
  for (auto& slot : g_slots) {
    if (slot.state.load() == kReady) ::unlink(slot.path);
  }
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const size_t slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (base.empty()) throw Error(ErrorKind::InvalidArgument, "'" + path_ + "' names a directory, not a file");
  // Hidden, in the same directory (rename must not cross file systems), unique.
  std::string templ = dir + "." + base + ".parkett-tmp-XXXXXX";
  // A signal between creating the file and registering it would leave the file behind:
  // the signals that end a program wait until it is registered.
  sigset_t fatal, previous;
  sigemptyset(&fatal);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&fatal, sig);
  pthread_sigmask(SIG_BLOCK, &fatal, &previous);
  fd_ = ::mkstemp(templ.data());
  if (fd_ >= 0) slot_ = register_temporary(templ);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
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

AtomicFile::~AtomicFile() { abort(); }

void AtomicFile::fail(const std::string& what, int err) {
  const std::string message = what + " '" + temp_path_ + "': " + std::strerror(err);
  abort();
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

void AtomicFile::close() {
  flush();
  if (::close(fd_) != 0) {
    const int err = errno;
    fd_ = -1;
    fail("cannot close", err);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("cannot rename into place", errno);
  unregister_temporary(slot_);
  temp_path_.clear();
}

void AtomicFile::abort() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    unregister_temporary(slot_);
    temp_path_.clear();
  }
}

}  // namespace parkett::io

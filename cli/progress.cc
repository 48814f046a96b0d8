#include "cli/progress.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <set>

namespace parkett::cli {

namespace {

using Clock = std::chrono::steady_clock;

// The sizes of the files opened through sized() stores (each path once: a dataset opens
// its files' footers, then their data), and when the first one opened.
struct Opened {
  std::mutex mutex;
  std::set<std::string> paths;
  std::atomic<int64_t> bytes{0};
  std::atomic<int64_t> first_ns{0};  // since the clock's epoch
};

Opened& opened() {
  static Opened o;
  return o;
}

// A store that adds the size of each file opened for reading to opened().
class SizedFileSystem final : public FileSystem {
 public:
  explicit SizedFileSystem(std::shared_ptr<FileSystem> store) : store_(std::move(store)) {}
  std::shared_ptr<const InputFile> open_input(const std::string& path, int64_t tail_bytes) const override {
    started();
    std::shared_ptr<const InputFile> in = store_->open_input(path, tail_bytes);
    Opened& o = opened();
    std::lock_guard lock(o.mutex);
    if (o.paths.insert(path).second) o.bytes += in->size();
    return in;
  }
  std::unique_ptr<OutputFile> open_output(const std::string& path) const override {
    started();
    return store_->open_output(path);
  }
  void create_directories(const std::string& dir) const override { store_->create_directories(dir); }
  std::vector<FileInfo> list(const std::string& dir) const override { return store_->list(dir); }
  Kind kind(const std::string& path) const override { return store_->kind(path); }
  void remove(const std::vector<std::string>& paths) const override { store_->remove(paths); }
  void remove_below(const std::string& dir) const override { store_->remove_below(dir); }

 private:
  static void started() {
    int64_t none = 0;
    opened().first_ns.compare_exchange_strong(none, Clock::now().time_since_epoch().count());
  }
  std::shared_ptr<FileSystem> store_;
};

// "512 B", "1.8 KiB", "12.3 MiB", "2.0 GiB"
std::string bytes_text(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

// Whether standard output prints to the terminal stderr shows.
bool stdout_on_stderr_terminal() {
  struct stat out {}, err {};
  return ::isatty(STDOUT_FILENO) == 1 && ::fstat(STDOUT_FILENO, &out) == 0 && ::fstat(STDERR_FILENO, &err) == 0 &&
         out.st_rdev == err.st_rdev;
}

}  // namespace

std::shared_ptr<FileSystem> sized(std::shared_ptr<FileSystem> store) {
  return std::make_shared<SizedFileSystem>(std::move(store));
}

std::string transfer_text() {
  const TransferCounts moved = remote_transfer_counts();
  const int64_t read = moved.bytes_received, written = moved.bytes_sent, first = opened().first_ns;
  if (read == 0 && written == 0) return {};
  const int64_t read_of = opened().bytes;
  std::string out;
  if (read > 0) out += bytes_text(read) + (read_of > 0 ? " of " + bytes_text(read_of) : "") + " read";
  if (written > 0) out += (out.empty() ? "" : ", ") + bytes_text(written) + " written";
  const double seconds = std::chrono::duration<double>(Clock::now().time_since_epoch() - Clock::duration(first)).count();
  if (first != 0 && seconds > 0.05) out += ", " + bytes_text(static_cast<int64_t>(static_cast<double>(read + written) / seconds)) + "/s";
  return out;
}

Progress::Progress(bool enabled) : on_(enabled && stderr_is_terminal()) {}

Progress::~Progress() {
  if (!drawn_) return;
  draw();
  std::cerr << "\n";
}

void Progress::update(double fraction, const std::string& detail) {
  if (!on_) return;
  fraction_ = std::clamp(fraction, 0.0, 1.0);
  detail_ = detail;
  draw();
  drawn_ = true;
}

void Progress::draw() {
  const int width = 30, done = static_cast<int>(fraction_ * width);
  const std::string moved = transfer_text();
  std::cerr << "\r\033[K[" << std::string(static_cast<size_t>(done), '=') << (done < width ? ">" : "")
            << std::string(static_cast<size_t>(std::max(0, width - done - 1)), ' ') << "] "
            << static_cast<int>(fraction_ * 100) << "% " << detail_ << (moved.empty() ? "" : "; " + moved) << std::flush;
}

TransferProgress::TransferProgress() {
  if (!stderr_is_terminal() || stdout_on_stderr_terminal()) return;
  thread_ = std::thread([this] {
    std::string shown;
    auto draw = [&] {
      const std::string text = transfer_text();
      if (text.empty() || text == shown) return;
      std::cerr << "\r\033[K" << text << std::flush;
      shown = text;
    };
    while (!stop_.load()) {
      for (int i = 0; i < 5 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      draw();
    }
    draw();
    if (!shown.empty()) std::cerr << "\n";
  });
}

TransferProgress::~TransferProgress() { stop(); }

void TransferProgress::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace parkett::cli

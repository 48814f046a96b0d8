// Progress on stderr, when it is a terminal: a bar for conversions (rows done), and the
// bytes moved to and from remote stores (S3, HTTP) by any command. The line is redrawn in
// place and left showing the final state, as curl and wget leave theirs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "parkett/filesystem.h"

namespace parkett::cli {

/// `store`, with the sizes of the files it opens for reading kept for the progress line.
std::shared_ptr<FileSystem> sized(std::shared_ptr<FileSystem> store);

/// "12.0 MiB of 200.0 MiB read, 4.0 MiB written, 3.1 MiB/s": what the process has moved to
/// and from remote stores (parkett::remote_transfer_counts), of the files sized() stores
/// opened; empty when nothing moved.
std::string transfer_text();

/// A conversion's bar: fraction done, rows, and transfers. Drawn only when stderr is a
/// terminal and `enabled`; drawn once more when it ends, for what moved after the last
/// update (a file is uploaded as it closes).
class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(double fraction, const std::string& detail);

 private:
  void draw();

  bool on_;
  bool drawn_ = false;
  double fraction_ = 0;
  std::string detail_;
};

/// For commands without a bar (cat, head, meta, schema): while it lives, a line showing the
/// transfers, redrawn a few times a second. Drawn only when stderr is a terminal that
/// standard output is not printing to (rows on the screen would be torn by it).
class TransferProgress {
 public:
  TransferProgress();
  ~TransferProgress();
  TransferProgress(const TransferProgress&) = delete;
  TransferProgress& operator=(const TransferProgress&) = delete;
  /// Draws the last state and ends the line, before other output goes to stderr.
  void stop();

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace parkett::cli

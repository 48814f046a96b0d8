#include "file/row_set_codec.h"

#include <limits>

#include "parkett/error.h"

namespace parkett::file {
namespace {

// Command kinds (bits 3..5) and value widths (bits 0..2).
constexpr uint8_t kWidthInt16 = 1, kWidthInt32 = 2, kWidthInt64 = 3, kWidthInt8 = 4;
constexpr uint8_t kWidthMask = 0x07;
constexpr uint8_t kOffset = 0x08, kShortArray = 0x10, kByteArray = 0x18, kEnd = 0x20;
constexpr uint8_t kKindMask = 0x38;

void put_big_endian(std::string& out, uint64_t v, int bytes) {
  for (int b = bytes - 1; b >= 0; --b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
}

bool fits(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

// One command with a value in the narrowest width that holds it.
void put_command(std::string& out, uint8_t kind, int64_t value) {
  if (fits(value, INT8_MIN, INT8_MAX)) {
    out.push_back(static_cast<char>(kind | kWidthInt8));
    put_big_endian(out, static_cast<uint64_t>(value), 1);
  } else if (fits(value, INT16_MIN, INT16_MAX)) {
    out.push_back(static_cast<char>(kind | kWidthInt16));
    put_big_endian(out, static_cast<uint64_t>(value), 2);
  } else if (fits(value, INT32_MIN, INT32_MAX)) {
    out.push_back(static_cast<char>(kind | kWidthInt32));
    put_big_endian(out, static_cast<uint64_t>(value), 4);
  } else {
    out.push_back(static_cast<char>(kind | kWidthInt64));
    put_big_endian(out, static_cast<uint64_t>(value), 8);
  }
}

// Deltas below int16's maximum wait in `small` and are written in runs: a run of int8
// deltas becomes a byte array once at least 4 long (shorter ones ride with the int16
// deltas around them), at the end of the run always.
class Writer {
 public:
  void add(int64_t delta, bool range_end) {
    if (delta >= INT16_MAX) {
      flush();
      put_command(out_, kOffset, range_end ? -delta : delta);
      return;
    }
    small_.push_back(static_cast<int16_t>(range_end ? -delta : delta));
  }

  std::string finish() {
    flush();
    out_.push_back(static_cast<char>(kEnd));
    return std::move(out_);
  }

 private:
  void flush() {
    size_t written = 0, bytes_run = 0;
    for (size_t i = 0; i < small_.size(); ++i) {
      if (fits(small_[i], INT8_MIN, INT8_MAX)) {
        ++bytes_run;
        continue;
      }
      if (bytes_run >= 4) {
        put_run(written, i - written - bytes_run, bytes_run);
        written = i;
      }
      bytes_run = 0;
    }
    put_run(written, small_.size() - written - bytes_run, bytes_run);
    small_.clear();
  }

  // `shorts` int16 deltas from `at`, then `bytes` int8 ones.
  void put_run(size_t at, size_t shorts, size_t bytes) {
    if (shorts == 1) {
      put_command(out_, kOffset, small_[at++]);
    } else if (shorts > 1) {
      put_command(out_, kShortArray, static_cast<int64_t>(shorts));
      for (size_t k = 0; k < shorts; ++k) put_big_endian(out_, static_cast<uint16_t>(small_[at++]), 2);
    }
    if (bytes == 1) {
      put_command(out_, kOffset, small_[at]);
    } else if (bytes > 1) {
      put_command(out_, kByteArray, static_cast<int64_t>(bytes));
      for (size_t k = 0; k < bytes; ++k) put_big_endian(out_, static_cast<uint8_t>(small_[at++]), 1);
    }
  }

  std::string out_;
  std::vector<int16_t> small_;
};

class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, int64_t limit) : bytes_(bytes), limit_(limit) {}

  std::vector<column::RowRange> read() {
    for (;;) {
      const uint8_t command = take(1, "a command");
      switch (command & kKindMask) {
        case kOffset:
          entry(value(command & kWidthMask));
          break;
        case kShortArray:
        case kByteArray: {
          const int64_t count = value(command & kWidthMask);
          if (count < 0 || static_cast<uint64_t>(count) > bytes_.size() - at_) corrupt("an array count of " + std::to_string(count) + " that the bytes left cannot hold");
          const bool shorts = (command & kKindMask) == kShortArray;
          for (int64_t k = 0; k < count; ++k) {
            entry(shorts ? static_cast<int16_t>(take(2, "an int16 delta")) : static_cast<int8_t>(take(1, "an int8 delta")));
          }
          break;
        }
        case kEnd:
          if (pending_ >= 0) out_.push_back({pending_, pending_ + 1});
          if (at_ != bytes_.size()) corrupt(std::to_string(bytes_.size() - at_) + " bytes after the end command");
          return std::move(out_);
        default:
          corrupt("the unknown command byte " + std::to_string(command));
      }
    }
  }

 private:
  [[noreturn]] void corrupt(const std::string& what) const {
    throw Error(ErrorKind::Corrupt, "row set (dh_row_set) at byte " + std::to_string(at_) + ": " + what);
  }

  uint64_t take(int n, const char* what) {
    if (bytes_.size() - at_ < static_cast<size_t>(n)) corrupt(std::string("ends inside ") + what);
    uint64_t v = 0;
    for (int b = 0; b < n; ++b) v = (v << 8) | bytes_[at_++];
    return v;
  }

  int64_t value(uint8_t width) {
    switch (width) {
      case kWidthInt8: return static_cast<int8_t>(take(1, "a value"));
      case kWidthInt16: return static_cast<int16_t>(take(2, "a value"));
      case kWidthInt32: return static_cast<int32_t>(take(4, "a value"));
      case kWidthInt64: return static_cast<int64_t>(take(8, "a value"));
      default: corrupt("the unknown value width " + std::to_string(width));
    }
  }

  // A delta: the next position (a range's end when negative).
  void entry(int64_t delta) {
    const bool range_end = delta < 0;
    if (delta == std::numeric_limits<int64_t>::min()) corrupt("a delta out of range");
    const int64_t magnitude = range_end ? -delta : delta;
    if (magnitude > std::numeric_limits<int64_t>::max() - offset_) corrupt("a position past the 64-bit range");
    const int64_t position = offset_ + magnitude;
    if (position >= limit_) corrupt("row " + std::to_string(position) + " is past the file's " + std::to_string(limit_) + " rows");
    const bool first = !started_;
    started_ = true;
    if (!first && magnitude == 0) corrupt("a position that does not increase");
    offset_ = position;
    if (range_end) {
      if (pending_ < 0) corrupt("a range end without its start");
      out_.push_back({pending_, position + 1});
      pending_ = -1;
      return;
    }
    if (pending_ >= 0) out_.push_back({pending_, pending_ + 1});
    pending_ = position;
  }

  std::span<const uint8_t> bytes_;
  int64_t limit_;
  size_t at_ = 0;
  int64_t offset_ = 0;
  int64_t pending_ = -1;
  bool started_ = false;
  std::vector<column::RowRange> out_;
};

}  // namespace

std::string encode_row_set(std::span<const column::RowRange> ranges) {
  Writer w;
  int64_t offset = 0;
  for (const column::RowRange& r : ranges) {
    w.add(r.begin - offset, false);
    offset = r.begin;
    if (r.end - 1 != r.begin) {
      w.add(r.end - 1 - offset, true);
      offset = r.end - 1;
    }
  }
  return w.finish();
}

std::vector<column::RowRange> decode_row_set(std::span<const uint8_t> bytes, int64_t limit) {
  return Reader(bytes, limit).read();
}

}  // namespace parkett::file

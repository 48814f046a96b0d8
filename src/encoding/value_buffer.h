// Dense values of one physical type, the one buffer both directions use: decoders append
// what a column chunk's pages hold, and the writer gathers a leaf's Arrow values into one
// before the encoders take them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "table/growable_buffer.h"
#include "table/pod_vector.h"

namespace parkett::encoding {

/// Byte arrays [begin, end) of a ValueBuffer, or fixed-width values seen as byte arrays
/// (FIXED_LEN_BYTE_ARRAY for the encoders that take byte arrays).
class ByteArrays {
 public:
  ByteArrays(const uint8_t* data, const int64_t* offsets, size_t width, size_t n)
      : data_(data), offsets_(offsets), width_(width), n_(n) {}
  size_t size() const { return n_; }
  std::string_view operator[](size_t i) const {
    const char* d = reinterpret_cast<const char*>(data_);
    if (offsets_ == nullptr) return {d + i * width_, width_};
    return {d + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }
  /// Bytes of all values together.
  size_t total_bytes() const { return offsets_ ? static_cast<size_t>(offsets_[n_] - offsets_[0]) : n_ * width_; }

 private:
  const uint8_t* data_;
  const int64_t* offsets_;  // n + 1 entries into data_; null for fixed-width values
  size_t width_;
  size_t n_;
};

/// Fixed-width values (little-endian; booleans one byte each, 0 or 1) in `fixed`, or byte
/// arrays as `offsets` (count + 1 entries) into their bytes: `data`, or memory the buffer
/// borrows (`borrowed`).
struct ValueBuffer {
  size_t width = 0;  // bytes per fixed-width value; 0 for byte arrays
  size_t count = 0;
  table::GrowableBuffer fixed;
  table::PodVector<int64_t> offsets{0};
  table::GrowableBuffer data;
  // Not null: the byte arrays' bytes, owned elsewhere and outliving this buffer's use
  // (`data` is unused until own()). The writer borrows a leaf's Arrow string data.
  const uint8_t* borrowed = nullptr;
  // Byte arrays used as a dictionary: the longest entry (SIZE_MAX until measured).
  size_t max_length = SIZE_MAX;

  bool is_binary() const { return width == 0; }
  void clear() {
    count = 0;
    fixed.clear();
    offsets.assign(1, 0);
    data.clear();
    borrowed = nullptr;
  }

  /// The byte arrays' bytes.
  const uint8_t* bytes() const { return borrowed ? borrowed : data.data(); }

  const uint8_t* value(size_t i) const { return fixed.data() + i * width; }
  std::string_view binary(size_t i) const {
    return {reinterpret_cast<const char*>(bytes()) + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }
  /// Values [begin, end) as byte arrays, whether fixed-width or not.
  ByteArrays byte_arrays(size_t begin, size_t end) const {
    if (width != 0) return {fixed.data() + begin * width, nullptr, width, end - begin};
    return {bytes(), offsets.data() + begin, 0, end - begin};
  }

  /// Copies borrowed bytes into `data` (which must be empty then), so that more can be
  /// appended.
  void own() {
    if (!borrowed) return;
    data.append(borrowed, static_cast<size_t>(offsets.back()));
    borrowed = nullptr;
  }

  void append_binary(const uint8_t* bytes, size_t length) {
    own();
    data.append(bytes, length);
    offsets.push_back(static_cast<int64_t>(data.size()));
    ++count;
  }
  void append_fixed(const uint8_t* bytes) {
    fixed.append(bytes, width);
    ++count;
  }
};

}  // namespace parkett::encoding

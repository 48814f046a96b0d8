// The RLE / bit-packed hybrid encoding (Encodings.md, "Run Length Encoding / Bit-Packing
// Hybrid"): runs of one repeated value, and groups of 8 bit-packed values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parkett::encoding {

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  /// `bit_width` 0..32. The data holds runs only (no length prefix).
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);

  /// Decodes up to `n` values; returns how many were decoded (fewer only at the end of data).
  size_t get_batch(uint32_t* out, size_t n);
  /// Like get_batch, but every value must be < `limit` (dictionary indices): throws
  /// Error(Corrupt) otherwise.
  size_t get_batch_checked(uint32_t* out, size_t n, uint32_t limit);
  /// Skips up to `n` values; returns how many were skipped.
  size_t skip(size_t n);
  /// If the next values are a repeated (RLE) run, consumes up to `n` of them, sets `value`
  /// and returns how many; returns 0 at a bit-packed run or at the end of the data.
  size_t take_repeated(size_t n, uint32_t& value);
  /// Values left in the current run after take_repeated returned 0 (0: end of data).
  size_t run_left() const { return left_; }

 private:
  bool next_run();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  int bit_width_ = 0;
  // The current run: `left` values remain; RLE runs repeat `value`, bit-packed runs read
  // from `packed` at value index `packed_index`.
  bool rle_ = true;
  size_t left_ = 0;
  uint32_t value_ = 0;
  const uint8_t* packed_ = nullptr;
  size_t packed_bytes_ = 0;
  size_t packed_index_ = 0;
};

/// Decodes `n` levels of the deprecated BIT_PACKED encoding (values packed from the most
/// significant bit of each byte). Throws Error(Corrupt) if `size` bytes hold fewer.
void decode_bit_packed_levels(const uint8_t* data, size_t size, int bit_width, uint32_t* out,
                              size_t n);

}  // namespace parkett::encoding

// The values section of one data page, read in order: `read` appends the next values,
// `skip` passes over values nobody asked for without converting them (dictionary indices
// and PLAIN values are skipped where they lie; the other encodings are decoded once into
// scratch, since their values depend on the ones before).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "encoding/rle_bit_packed.h"
#include "encoding/value_buffer.h"
#include "parkett/types.h"

namespace parkett::column {

class PageValues {
 public:
  /// `n` non-null values encoded with `encoding` in `in`; `dictionary`: the chunk's
  /// dictionary, if it has one; `width`: the column's value width (0: byte arrays).
  PageValues(Encoding encoding, std::span<const uint8_t> in, size_t n, PhysicalType physical, size_t width,
             const encoding::ValueBuffer* dictionary);

  /// Appends the next `k` values to `out`.
  void read(size_t k, encoding::ValueBuffer& out);
  /// Passes over the next `k` values.
  void skip(size_t k);
  /// Dictionary-encoded pages: appends the next `k` indices (int32) to `out`.
  void read_indices(size_t k, table::GrowableBuffer& out);
  bool dictionary_encoded() const { return mode_ == Mode::Dictionary; }

 private:
  enum class Mode { Empty, PlainFixed, PlainBinary, Dictionary, Scratch };
  size_t take(size_t k);  // checks that k values are left, counts them
  void decode_all(encoding::ValueBuffer& out);

  Encoding encoding_;
  std::span<const uint8_t> in_;
  size_t n_;
  PhysicalType physical_;
  size_t width_;
  const encoding::ValueBuffer* dictionary_;
  Mode mode_ = Mode::Empty;
  size_t done_ = 0;  // values read or skipped
  size_t pos_ = 0;   // PLAIN: bytes of `in_` consumed
  encoding::RleBitPackedDecoder indices_;
  encoding::ValueBuffer scratch_;  // Scratch: the page's values, decoded on first use
  bool decoded_ = false;
};

}  // namespace parkett::column

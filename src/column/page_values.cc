#include "column/page_values.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "encoding/alp.h"
#include "encoding/byte_stream_split.h"
#include "encoding/delta.h"
#include "encoding/plain.h"
#include "parkett/error.h"

namespace parkett::column {
namespace {

using encoding::ValueBuffer;

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, what); }

// Appends dictionary entries `indices` to `out`.
void gather(const ValueBuffer& dict, const uint32_t* indices, size_t n, ValueBuffer& out) {
  if (!dict.is_binary()) {
    const size_t w = dict.width;
    const size_t start = out.fixed.size();
    out.fixed.resize(start + n * w);
    uint8_t* dst = out.fixed.data() + start;
    const uint8_t* src = dict.fixed.data();
    auto typed = [&](auto tag) {
      using T = decltype(tag);
      T* d = reinterpret_cast<T*>(dst);
      for (size_t i = 0; i < n; ++i) std::memcpy(d + i, src + indices[i] * sizeof(T), sizeof(T));
    };
    if (w == 4) typed(uint32_t{});
    else if (w == 8) typed(uint64_t{});
    else for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * w, src + indices[i] * w, w);
  } else if (dict.max_length <= 32) {
    // Short entries (the usual dictionary of codes and names): copy 32 bytes each, from a
    // dictionary padded by 32 bytes into an output with 32 bytes of slack.
    size_t at = out.data.size();
    out.data.resize(at + n * dict.max_length + 32);
    uint8_t* dst = out.data.data();
    const uint8_t* src = dict.data.data();
    const size_t first_offset = out.offsets.size();
    out.offsets.resize(first_offset + n);
    int64_t* offsets = out.offsets.data() + first_offset;
    for (size_t i = 0; i < n; ++i) {
      const int64_t b = dict.offsets[indices[i]];
      std::memcpy(dst + at, src + b, 32);
      at += static_cast<size_t>(dict.offsets[indices[i] + 1] - b);
      offsets[i] = static_cast<int64_t>(at);
    }
    out.data.resize(at);
  } else {
    // Size the output once, then copy each entry.
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      bytes += static_cast<size_t>(dict.offsets[indices[i] + 1] - dict.offsets[indices[i]]);
    }
    size_t at = out.data.size();
    out.data.resize(at + bytes);
    const size_t first_offset = out.offsets.size();
    out.offsets.resize(first_offset + n);
    for (size_t i = 0; i < n; ++i) {
      const int64_t b = dict.offsets[indices[i]], e = dict.offsets[indices[i] + 1];
      std::memcpy(out.data.data() + at, dict.data.data() + b, static_cast<size_t>(e - b));
      at += static_cast<size_t>(e - b);
      out.offsets[first_offset + i] = static_cast<int64_t>(at);
    }
  }
  out.count += n;
}

// Appends values [begin, begin + k) of `from` to `out` (same width).
void append_range(const ValueBuffer& from, size_t begin, size_t k, ValueBuffer& out) {
  if (!from.is_binary()) {
    out.fixed.append(from.fixed.data() + begin * from.width, k * from.width);
  } else {
    const int64_t base = from.offsets[begin];
    const auto bytes = static_cast<size_t>(from.offsets[begin + k] - base);
    const auto at = static_cast<int64_t>(out.data.size());
    out.data.append(from.data.data() + base, bytes);
    for (size_t i = 1; i <= k; ++i) out.offsets.push_back(at + from.offsets[begin + i] - base);
  }
  out.count += k;
}

}  // namespace

PageValues::PageValues(Encoding encoding, std::span<const uint8_t> in, size_t n, PhysicalType physical, size_t width,
                       const ValueBuffer* dictionary)
    : encoding_(encoding), in_(in), n_(n), physical_(physical), width_(width), dictionary_(dictionary) {
  const bool boolean = physical == PhysicalType::Boolean;
  if (n == 0) return;
  switch (encoding) {
    case Encoding::Plain:
      mode_ = boolean ? Mode::Scratch : width > 0 ? Mode::PlainFixed : Mode::PlainBinary;
      return;
    case Encoding::PlainDictionary:
    case Encoding::RleDictionary: {
      if (!dictionary) corrupt("dictionary-encoded page without a dictionary page");
      if (in.empty()) corrupt("dictionary-encoded page without its bit width");
      const int bw = in[0];
      if (bw > 32) corrupt("dictionary index bit width " + std::to_string(bw));
      indices_ = encoding::RleBitPackedDecoder(in.data() + 1, in.size() - 1, bw);
      mode_ = Mode::Dictionary;
      return;
    }
    default:
      mode_ = Mode::Scratch;
      return;
  }
}

size_t PageValues::take(size_t k) {
  if (k > n_ - done_) corrupt("more values asked of the page than its " + std::to_string(n_));
  done_ += k;
  return k;
}

// Every value of the page into `out`, checked against the column's type.
void PageValues::decode_all(ValueBuffer& out) {
  const bool boolean = physical_ == PhysicalType::Boolean;
  const bool floating = physical_ == PhysicalType::Float || physical_ == PhysicalType::Double;
  switch (encoding_) {
    case Encoding::Plain:
      encoding::decode_plain(in_, n_, boolean, out);
      return;
    case Encoding::Rle: {
      if (!boolean) throw Error(ErrorKind::Unsupported, "RLE encoding of non-boolean values");
      // Booleans: a 4-byte length, then the hybrid with bit width 1 (Encodings.md).
      if (in_.size() < 4) corrupt("RLE boolean data shorter than its 4-byte length");
      uint32_t len;
      std::memcpy(&len, in_.data(), 4);
      if (len > in_.size() - 4) corrupt("RLE boolean data longer than the page");
      std::vector<uint32_t> bits(n_);
      encoding::RleBitPackedDecoder d(in_.data() + 4, len, 1);
      if (d.get_batch(bits.data(), n_) != n_) corrupt("fewer booleans than values in the page");
      for (uint32_t b : bits) out.fixed.push_back(static_cast<uint8_t>(b));
      out.count += n_;
      return;
    }
    case Encoding::DeltaBinaryPacked:
      if (boolean || out.is_binary()) corrupt("DELTA_BINARY_PACKED on a non-integer column");
      encoding::decode_delta_integers(in_, n_, out);
      return;
    case Encoding::DeltaLengthByteArray:
      if (!out.is_binary()) corrupt("DELTA_LENGTH_BYTE_ARRAY on a non-BYTE_ARRAY column");
      encoding::decode_delta_length_byte_array(in_, n_, out);
      return;
    case Encoding::DeltaByteArray:
      if (boolean) corrupt("DELTA_BYTE_ARRAY on a BOOLEAN column");
      encoding::decode_delta_byte_array(in_, n_, out);
      return;
    case Encoding::ByteStreamSplit:
      if (boolean || out.is_binary()) corrupt("BYTE_STREAM_SPLIT on a variable-length column");
      encoding::decode_byte_stream_split(in_, n_, out);
      return;
    case Encoding::Alp:
      if (!floating) corrupt("ALP encoding on a column that is neither FLOAT nor DOUBLE");
      encoding::decode_alp(in_, n_, out);
      return;
    default:
      throw Error(ErrorKind::Unsupported, "encoding " + to_string(encoding_) + " is not supported");
  }
}

void PageValues::read(size_t k, ValueBuffer& out) {
  if (k == 0) return;
  const size_t first = done_;
  take(k);
  switch (mode_) {
    case Mode::Empty:
      return;
    case Mode::PlainFixed:
    case Mode::PlainBinary:
      pos_ += encoding::decode_plain(in_.subspan(pos_), k, false, out);
      return;
    case Mode::Dictionary: {
      // In slices through a buffer on the stack: no index array the size of the page is
      // allocated (and zeroed) for each page.
      uint32_t indices[4096];
      for (size_t done = 0; done < k;) {
        const size_t m = std::min(k - done, std::size(indices));
        if (indices_.get_batch_checked(indices, m, static_cast<uint32_t>(dictionary_->count)) != m) {
          corrupt("fewer dictionary indices than values in the page");
        }
        gather(*dictionary_, indices, m, out);
        done += m;
      }
      return;
    }
    case Mode::Scratch:
      if (!decoded_ && first == 0 && k == n_) {  // the whole page: straight into `out`
        decode_all(out);
        decoded_ = true;
        return;
      }
      if (!decoded_) {
        scratch_.width = width_;
        decode_all(scratch_);
        decoded_ = true;
      }
      append_range(scratch_, first, k, out);
      return;
  }
}

void PageValues::skip(size_t k) {
  if (k == 0) return;
  take(k);
  switch (mode_) {
    case Mode::Empty:
      return;
    case Mode::PlainFixed: {
      const size_t bytes = k * width_;
      if (bytes > in_.size() - pos_) {
        corrupt("PLAIN values: the page holds fewer than " + std::to_string(n_));
      }
      pos_ += bytes;
      return;
    }
    case Mode::PlainBinary:
      for (size_t i = 0; i < k; ++i) {
        uint32_t len;
        if (in_.size() - pos_ < 4) corrupt("PLAIN byte arrays: the page holds fewer than " + std::to_string(n_));
        std::memcpy(&len, in_.data() + pos_, 4);
        pos_ += 4;
        if (len > in_.size() - pos_) {
          corrupt("PLAIN byte array of " + std::to_string(len) + " bytes exceeds the " +
                  std::to_string(in_.size() - pos_) + " bytes left in the page");
        }
        pos_ += len;
      }
      return;
    case Mode::Dictionary:
      if (indices_.skip(k) != k) corrupt("fewer dictionary indices than values in the page");
      return;
    case Mode::Scratch:
      // Skipped values of these encodings still shape the ones after: decode when first
      // asked for a value (a page skipped to its end needs nothing).
      return;
  }
}

void PageValues::read_indices(size_t k, table::GrowableBuffer& out) {
  if (k == 0) return;
  take(k);
  const size_t at = out.size();
  out.resize(at + k * 4);
  if (indices_.get_batch_checked(reinterpret_cast<uint32_t*>(out.data() + at), k,
                                 static_cast<uint32_t>(dictionary_->count)) != k) {
    corrupt("fewer dictionary indices than values in the page");
  }
}

}  // namespace parkett::column

// Logical-type conversion of dense physical values, spread to their rows by the validity
// that the definition levels give.
#include "column/to_arrow.h"

#include <cstring>
#include <type_traits>
#include <string>

#include "parkett/error.h"

namespace parkett::column {
namespace {

using Id = DataType::Id;

// Width in bytes of a fixed-width Arrow type's values (0 for others).
size_t arrow_width(const DataType& t) { return static_cast<size_t>(t.value_width()); }

// Sign-extends a little-endian integer of `n` bytes into `width` bytes.
void sign_extend_le(const uint8_t* src, size_t n, uint8_t* dst, size_t width) {
  std::memcpy(dst, src, n);
  uint8_t fill = (n > 0 && (src[n - 1] & 0x80)) ? 0xff : 0x00;
  std::memset(dst + n, fill, width - n);
}

// A big-endian two's complement integer (Parquet decimals in binary) as `width` bytes LE.
void big_endian_decimal(const uint8_t* src, size_t n, uint8_t* dst, size_t width) {
  if (n > width) {
    // Leading bytes beyond the width must be pure sign extension.
    const uint8_t sign = (src[0] & 0x80) ? 0xff : 0x00;
    for (size_t i = 0; i < n - width; ++i) {
      if (src[i] != sign) throw Error(ErrorKind::Corrupt, "decimal value wider than its precision");
    }
    src += n - width;
    n = width;
  }
  const uint8_t fill = (n > 0 && (src[0] & 0x80)) ? 0xff : 0x00;
  for (size_t i = 0; i < n; ++i) dst[i] = src[n - 1 - i];
  std::memset(dst + n, fill, width - n);
}

// Calls `body` with the conversion of one value for (physical, type), as a concrete lambda so
// that the caller's loop is compiled once per conversion with the call inlined.
template <class Body>
void with_converter(PhysicalType physical, const DataType& type, Body&& body) {
  const size_t w = arrow_width(type);
  switch (physical) {
    case PhysicalType::Int32:
    case PhysicalType::Int64: {
      const size_t src_w = physical == PhysicalType::Int32 ? 4 : 8;
      if (type.id() == Id::Decimal128 && src_w == 8) {
        return body([](const uint8_t* s, size_t, uint8_t* d) {
          int64_t v;
          std::memcpy(&v, s, 8);
          const int64_t high = v >> 63;  // sign extension into the upper half
          std::memcpy(d, &v, 8);
          std::memcpy(d + 8, &high, 8);
        });
      }
      if (type.id() == Id::Decimal128 || type.id() == Id::Decimal256) {
        return body([src_w, w](const uint8_t* s, size_t, uint8_t* d) { sign_extend_le(s, src_w, d, w); });
      }
      // Same width or narrowing (INT(8/16) from INT32): keep the low bytes (little-endian).
      return body([w](const uint8_t* s, size_t, uint8_t* d) { std::memcpy(d, s, w); });
    }
    case PhysicalType::Int96:
      // Nanoseconds of the day (8 bytes) then the Julian day (4 bytes). In nanoseconds,
      // values outside the int64 range wrap around, as Arrow C++ and arrow-rs do; coarser
      // units floor the nanoseconds of the day.
      return body([unit = type.unit()](const uint8_t* s, size_t, uint8_t* d) {
        // The nanoseconds are a signed int64 (writers have stored negative ones), divided
        // toward zero for coarser units as DuckDB does.
        int64_t nanos;
        int32_t julian;
        std::memcpy(&nanos, s, 8);
        std::memcpy(&julian, s + 8, 4);
        const uint64_t days = static_cast<uint64_t>(static_cast<int64_t>(julian) - 2440588);
        uint64_t v;
        switch (unit) {
          case TimeUnit::Nano: v = days * 86400000000000ULL + static_cast<uint64_t>(nanos); break;
          case TimeUnit::Micro: v = days * 86400000000ULL + static_cast<uint64_t>(nanos / 1000); break;
          case TimeUnit::Milli: v = days * 86400000ULL + static_cast<uint64_t>(nanos / 1000000); break;
          default: v = days * 86400ULL + static_cast<uint64_t>(nanos / 1000000000); break;
        }
        std::memcpy(d, &v, 8);
      });
    case PhysicalType::FixedLenByteArray:
    case PhysicalType::ByteArray:
      if (type.id() == Id::Decimal128 || type.id() == Id::Decimal256) {
        return body([w](const uint8_t* s, size_t n, uint8_t* d) { big_endian_decimal(s, n, d, w); });
      }
      if (type.id() == Id::IntervalMonthDayNano) {
        // Parquet INTERVAL: months, days, milliseconds as little-endian uint32.
        return body([](const uint8_t* s, size_t, uint8_t* d) {
          uint32_t months, days, millis;
          std::memcpy(&months, s, 4);
          std::memcpy(&days, s + 4, 4);
          std::memcpy(&millis, s + 8, 4);
          int64_t nanos = static_cast<int64_t>(millis) * 1000000;
          std::memcpy(d, &months, 4);
          std::memcpy(d + 4, &days, 4);
          std::memcpy(d + 8, &nanos, 8);
        });
      }
      return body([w](const uint8_t* s, size_t, uint8_t* d) { std::memcpy(d, s, w); });
    default:
      return body([w](const uint8_t* s, size_t, uint8_t* d) { std::memcpy(d, s, w); });
  }
}

// Copies dense values of `w` bytes to the valid slots of `dst` (null slots stay zero): eight
// at a time where a byte of the bitmap is all valid.
template <size_t W>
void spread_fixed_width(const uint8_t* src, const uint8_t* bits, int64_t n, uint8_t* dst) {
  size_t k = 0;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint8_t byte = bits[i >> 3];
    if (byte == 0xff) {
      std::memcpy(dst + static_cast<size_t>(i) * W, src + k * W, 8 * W);
      k += 8;
      continue;
    }
    for (int b = 0; b < 8; ++b) {
      if ((byte >> b) & 1) std::memcpy(dst + static_cast<size_t>(i + b) * W, src + (k++) * W, W);
    }
  }
  for (; i < n; ++i) {
    if ((bits[i >> 3] >> (i & 7)) & 1) std::memcpy(dst + static_cast<size_t>(i) * W, src + (k++) * W, W);
  }
}

void spread_fixed(const uint8_t* src, size_t w, int64_t n, const uint8_t* bits, uint8_t* dst) {
  switch (w) {
    case 1: return spread_fixed_width<1>(src, bits, n, dst);
    case 2: return spread_fixed_width<2>(src, bits, n, dst);
    case 4: return spread_fixed_width<4>(src, bits, n, dst);
    case 8: return spread_fixed_width<8>(src, bits, n, dst);
    case 16: return spread_fixed_width<16>(src, bits, n, dst);
    default: {
      size_t k = 0;
      for (int64_t i = 0; i < n; ++i) {
        if ((bits[i >> 3] >> (i & 7)) & 1) std::memcpy(dst + static_cast<size_t>(i) * w, src + (k++) * w, w);
      }
    }
  }
}

}  // namespace

DataType int96_type(TimeUnit unit) { return DataType::timestamp(unit); }

ArrayPtr leaf_to_arrow(LeafColumn& leaf, const LeafSlots& slots, const ColumnDescriptor& column, const SchemaNode& node,
                       const DataType& type) {
  const int64_t n = slots.length;
  auto out = std::make_shared<ArrayData>();
  out->type = type;
  out->length = n;
  if (type.id() == Id::Null) {
    out->null_count = n;
    return out;
  }
  const int64_t null_count = slots.validity ? slots.null_count : 0;
  out->null_count = null_count;
  out->buffers.push_back(null_count ? slots.validity : nullptr);
  encoding::ValueBuffer& v = leaf.values;
  const uint8_t* bitmap = null_count ? slots.validity->data() : nullptr;
  auto valid = [bitmap](int64_t i) { return bitmap == nullptr || ((bitmap[i >> 3] >> (i & 7)) & 1) != 0; };
  // Every valid slot takes the next dense value: a count that differs would read past them.
  const size_t dense = leaf.dictionary_encoded ? leaf.indices.size() / 4 : v.count;
  if (dense != static_cast<size_t>(n - null_count)) {
    throw Error(ErrorKind::Corrupt, "column '" + column.dotted_path + "' has " + std::to_string(dense) +
                                        " values for " + std::to_string(n - null_count) + " non-null slots");
  }

  if (type.id() == Id::Dictionary) {
    if (!leaf.dictionary_encoded) throw Error(ErrorKind::Internal, "dictionary requested but not decoded");
    // The dictionary: the chunk's distinct values (plus those of fallback pages).
    encoding::ValueBuffer& d = leaf.dictionary;
    if (d.data.size() > static_cast<size_t>(INT32_MAX)) {
      throw Error(ErrorKind::Unsupported, "dictionary over 2 GiB");
    }
    auto dict = std::make_shared<ArrayData>();
    dict->type = type.value_type();
    dict->length = static_cast<int64_t>(d.count);
    auto offsets = Buffer::allocate((d.count + 1) * 4);
    for (size_t i = 0; i <= d.count; ++i) offsets->as<int32_t>()[i] = static_cast<int32_t>(d.offsets[i]);
    dict->buffers = {nullptr, offsets, d.data.release()};
    out->dictionary = dict;
    if (null_count == 0 && leaf.indices.size() == static_cast<size_t>(n) * 4) {
      out->buffers.push_back(leaf.indices.release());
    } else {
      auto indices = Buffer::allocate(static_cast<size_t>(n) * 4, true);
      spread_fixed(leaf.indices.data(), 4, n, bitmap, indices->data());
      out->buffers.push_back(indices);
    }
    return out;
  }
  if (type.id() == Id::Boolean) {
    auto bits = Buffer::allocate(static_cast<size_t>((n + 7) / 8), true);
    size_t k = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (!valid(i)) continue;
      if (v.fixed[k++]) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    }
    out->buffers.push_back(bits);
    return out;
  }
  if (type.id() == Id::String || type.id() == Id::Binary || type.id() == Id::LargeString ||
      type.id() == Id::LargeBinary) {
    // 64-bit offsets where the plan asks for them, or where the values pass 2 GiB (then the
    // array has the large type whatever the plan said).
    const bool text = type.id() == Id::String || type.id() == Id::LargeString;
    const bool large = type.id() == Id::LargeString || type.id() == Id::LargeBinary ||
                       v.data.size() > static_cast<size_t>(INT32_MAX);
    if (large) out->type = DataType(text ? Id::LargeString : Id::LargeBinary);
    const size_t ow = large ? 8 : 4;
    auto offsets = Buffer::allocate(static_cast<size_t>(n + 1) * ow);
    auto data = v.data.release();  // the decoded bytes are the Arrow data buffer
    size_t k = 0;
    int64_t at = 0;
    for (int64_t i = 0; i <= n; ++i) {
      if (large) offsets->as<int64_t>()[i] = at;
      else offsets->as<int32_t>()[i] = static_cast<int32_t>(at);
      if (i < n && valid(i)) at = v.offsets[++k];
    }
    out->buffers.push_back(offsets);
    out->buffers.push_back(data);
    return out;
  }
  const size_t w = arrow_width(type);
  if (w == 0) {
    throw Error(ErrorKind::Unsupported, "reading " + to_string(*node.physical_type) + " into " +
                                            type.to_string() + " is not supported yet");
  }
  // The common case: physical values already in the Arrow layout (same width, no
  // conversion). Copy them in one go, or spread them past the nulls with a fixed-size copy.
  const bool same_layout =
      !v.is_binary() && v.width == w && type.id() != Id::Decimal128 && type.id() != Id::Decimal256 &&
      type.id() != Id::IntervalMonthDayNano && *node.physical_type != PhysicalType::Int96;
  if (same_layout) {
    if (null_count == 0 && v.fixed.size() == static_cast<size_t>(n) * w) {
      out->buffers.push_back(v.fixed.release());  // the decoded values are the Arrow values
      return out;
    }
    auto values = Buffer::allocate(static_cast<size_t>(n) * w, null_count > 0);
    if (null_count == 0) {
      if (n > 0) std::memcpy(values->data(), v.fixed.data(), static_cast<size_t>(n) * w);
    } else {
      spread_fixed(v.fixed.data(), w, n, bitmap, values->data());
    }
    out->buffers.push_back(values);
    return out;
  }
  // Null slots are zeroed; without nulls every slot is written below.
  auto values = Buffer::allocate(static_cast<size_t>(n) * w, null_count > 0);
  with_converter(*node.physical_type, type, [&](auto convert) {
    size_t k = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (!valid(i)) continue;
      const uint8_t* src;
      size_t len;
      if (v.is_binary()) {
        src = v.data.data() + v.offsets[k];
        len = static_cast<size_t>(v.offsets[k + 1] - v.offsets[k]);
      } else {
        src = v.fixed.data() + k * v.width;
        len = v.width;
      }
      if (type.id() == Id::FixedSizeBinary && len != w) {
        throw Error(ErrorKind::Corrupt, "fixed-size value of " + std::to_string(len) +
                                            " bytes, expected " + std::to_string(w));
      }
      convert(src, len, values->data() + static_cast<size_t>(i) * w);
      ++k;
    }
  });
  out->buffers.push_back(values);
  return out;
}

}  // namespace parkett::column

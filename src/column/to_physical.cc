#include "column/to_physical.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::column {
namespace {

using Id = DataType::Id;
using encoding::ValueBuffer;

template <class F>
void for_each_position(const ShreddedLeaf& leaf, F&& f) {
  if (leaf.dense) {
    for (int64_t i = leaf.first, e = leaf.first + leaf.count; i < e; ++i) f(i);
  } else {
    for (int64_t i : leaf.positions) f(i);
  }
}

[[noreturn]] void inexact(const std::string& path, const std::string& what) {
  throw Error(ErrorKind::InvalidArgument, "column '" + path + "': " + what);
}

// Fixed-width values copied (and converted) one by one: Out = Convert(In).
template <class In, class Out, class Convert>
void convert_fixed(const ShreddedLeaf& leaf, ValueBuffer& out, Convert&& convert) {
  const In* in = leaf.array->buffers.at(1)->as<In>();
  const size_t at = out.fixed.size();
  out.fixed.resize(at + static_cast<size_t>(leaf.num_values()) * sizeof(Out));
  Out* dst = reinterpret_cast<Out*>(out.fixed.data() + at);
  for_each_position(leaf, [&](int64_t i) { *dst++ = convert(in[i]); });
}

template <class T>
void copy_fixed(const ShreddedLeaf& leaf, ValueBuffer& out) {
  const T* in = leaf.array->buffers.at(1)->as<T>();
  const size_t at = out.fixed.size();
  const size_t n = static_cast<size_t>(leaf.num_values());
  out.fixed.resize(at + n * sizeof(T));
  if (leaf.dense) {
    if (n) std::memcpy(out.fixed.data() + at, in + leaf.first, n * sizeof(T));
    return;
  }
  T* dst = reinterpret_cast<T*>(out.fixed.data() + at);
  for (int64_t i : leaf.positions) *dst++ = in[i];
}

void copy_bytes(const ShreddedLeaf& leaf, size_t width, ValueBuffer& out) {
  const uint8_t* in = leaf.array->buffers.at(1)->data();
  const size_t at = out.fixed.size();
  out.fixed.resize(at + static_cast<size_t>(leaf.num_values()) * width);
  uint8_t* dst = out.fixed.data() + at;
  if (leaf.dense) {
    if (leaf.count) std::memcpy(dst, in + static_cast<size_t>(leaf.first) * width, static_cast<size_t>(leaf.count) * width);
    return;
  }
  for (int64_t i : leaf.positions) {
    std::memcpy(dst, in + static_cast<size_t>(i) * width, width);
    dst += width;
  }
}

// Byte arrays. The first dense run borrows the array's bytes (the batches outlive the
// chunk's encoding); anything more is copied after the bytes already held.
template <class Offset>
void append_binary(const ShreddedLeaf& leaf, ValueBuffer& out) {
  const ArrayData& a = *leaf.array;
  const Offset* offsets = a.buffers.at(1)->as<Offset>();
  static const uint8_t nothing = 0;
  const uint8_t* data = a.buffers.size() > 2 && a.buffers[2] ? a.buffers[2]->data() : &nothing;
  const size_t n = static_cast<size_t>(leaf.num_values());
  // Borrow the first dense run; otherwise the bytes held so far must be owned (before the
  // offsets grow: own() reads the last one).
  const bool borrow = leaf.dense && out.count == 0 && out.data.empty();
  if (!borrow) out.own();
  size_t at = out.offsets.size();
  if (at + n > out.offsets.capacity()) out.offsets.reserve(std::max(at + n, 2 * out.offsets.capacity()));  // batch by batch
  out.offsets.resize(at + n);
  int64_t* to = out.offsets.data() + at;
  if (leaf.dense) {
    const int64_t first = offsets[leaf.first];
    int64_t shift = -first;
    if (borrow) {
      out.borrowed = data + first;
    } else {
      shift += static_cast<int64_t>(out.data.size());
      out.data.append(data + first, static_cast<size_t>(offsets[leaf.first + leaf.count] - first));
    }
    const Offset* from = offsets + leaf.first + 1;
    for (size_t i = 0; i < n; ++i) to[i] = static_cast<int64_t>(from[i]) + shift;
    return;
  }
  size_t bytes = 0;
  for (int64_t i : leaf.positions) bytes += static_cast<size_t>(offsets[i + 1] - offsets[i]);
  at = out.data.size();
  out.data.resize(at + bytes);
  uint8_t* dst = out.data.data();
  for (int64_t i : leaf.positions) {
    const auto length = static_cast<size_t>(offsets[i + 1] - offsets[i]);
    if (length) std::memcpy(dst + at, data + offsets[i], length);
    at += length;
    *to++ = static_cast<int64_t>(at);
  }
}

void append_booleans(const ShreddedLeaf& leaf, ValueBuffer& out) {
  const uint8_t* bits = leaf.array->buffers.at(1)->data();
  const size_t at = out.fixed.size();
  out.fixed.resize(at + static_cast<size_t>(leaf.num_values()));
  uint8_t* dst = out.fixed.data() + at;
  for_each_position(leaf, [&](int64_t i) { *dst++ = (bits[i >> 3] >> (i & 7)) & 1; });
}

// Decimals as Arrow holds them (little-endian two's complement of 16 or 32 bytes) into the
// physical layout the schema chose: the low 4 or 8 bytes for INT32 / INT64, else the low
// `width` bytes big-endian. The dropped bytes must be pure sign extension.
void append_decimals(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path,
                     ValueBuffer& out) {
  const size_t source = static_cast<size_t>(leaf.array->type.value_width());
  const uint8_t* in = leaf.array->buffers.at(1)->data();
  const size_t width = static_cast<size_t>(out.width);
  const bool big_endian = *node.physical_type == PhysicalType::FixedLenByteArray;
  const size_t at = out.fixed.size();
  out.fixed.resize(at + static_cast<size_t>(leaf.num_values()) * width);
  uint8_t* dst = out.fixed.data() + at;
  auto too_wide = [&](int64_t i) {
    inexact(path, "a decimal value at index " + std::to_string(i) + " does not fit " + std::to_string(width) + " bytes");
  };
  if (source == 16 && !big_endian && (width == 8 || width == 4)) {
    // The common case, two words per value: the high word (and for INT32 the upper half of
    // the low one) must be the sign extension of what is kept.
    for_each_position(leaf, [&](int64_t i) {
      int64_t lo, hi;
      std::memcpy(&lo, in + static_cast<size_t>(i) * 16, 8);
      std::memcpy(&hi, in + static_cast<size_t>(i) * 16 + 8, 8);
      if (width == 4) {
        const auto low32 = static_cast<int32_t>(lo);
        if (lo != low32 || hi != (lo >> 63)) too_wide(i);
        std::memcpy(dst, &low32, 4);
      } else {
        if (hi != (lo >> 63)) too_wide(i);
        std::memcpy(dst, &lo, 8);
      }
      dst += width;
    });
    return;
  }
  for_each_position(leaf, [&](int64_t i) {
    const uint8_t* v = in + static_cast<size_t>(i) * source;
    const uint8_t sign = (v[width - 1] & 0x80) ? 0xFF : 0x00;
    for (size_t b = width; b < source; ++b) {
      if (v[b] != sign) too_wide(i);
    }
    if (big_endian) {
      for (size_t b = 0; b < width; ++b) dst[b] = v[width - 1 - b];
    } else {
      std::memcpy(dst, v, width);
    }
    dst += width;
  });
}

using util::floor_div;
using util::units_per_second;

const char* unit_name(TimeUnit u) {
  switch (u) {
    case TimeUnit::Second: return "seconds";
    case TimeUnit::Milli: return "milliseconds";
    case TimeUnit::Micro: return "microseconds";
    case TimeUnit::Nano: return "nanoseconds";
  }
  return "";
}

// Timestamps into the unit the column stores (coarser: an inexact value is an error unless
// truncation is allowed; then it is floored), or into INT96: 8 bytes of nanoseconds in the
// day, then the Julian day (the Unix epoch is Julian day 2440588).
void append_timestamps(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path,
                       bool allow_truncation, ValueBuffer& out) {
  const TimeUnit from = leaf.array->type.unit();
  const int64_t from_per_s = units_per_second(from);
  const int64_t* in = leaf.array->buffers.at(1)->as<int64_t>();
  if (*node.physical_type == PhysicalType::Int96) {
    const int64_t per_day = from_per_s * 86400;
    const int64_t nanos_per_unit = 1000000000 / from_per_s;
    const size_t at = out.fixed.size();
    out.fixed.resize(at + static_cast<size_t>(leaf.num_values()) * 12);
    uint8_t* dst = out.fixed.data() + at;
    for_each_position(leaf, [&](int64_t i) {
      const int64_t day = floor_div(in[i], per_day);
      int64_t in_day = in[i] % per_day;
      if (in_day < 0) in_day += per_day;
      const uint64_t nanos = static_cast<uint64_t>(in_day) * static_cast<uint64_t>(nanos_per_unit);
      const uint32_t julian = static_cast<uint32_t>(day + 2440588);
      std::memcpy(dst, &nanos, 8);
      std::memcpy(dst + 8, &julian, 4);
      dst += 12;
    });
    return;
  }
  const TimeUnit to = node.logical_type.kind == LogicalType::Kind::Timestamp ? node.logical_type.unit : from;
  const int64_t to_per_s = units_per_second(to);
  if (to_per_s == from_per_s) {
    copy_fixed<int64_t>(leaf, out);
  } else if (to_per_s > from_per_s) {
    const int64_t factor = to_per_s / from_per_s;
    convert_fixed<int64_t, int64_t>(leaf, out, [&](int64_t v) {
      if (v > INT64_MAX / factor || v < INT64_MIN / factor) {
        inexact(path, "the timestamp " + std::to_string(v) + " " + unit_name(from) + " overflows " + unit_name(to));
      }
      return v * factor;
    });
  } else {
    const int64_t factor = from_per_s / to_per_s;
    convert_fixed<int64_t, int64_t>(leaf, out, [&](int64_t v) {
      if (v % factor != 0 && !allow_truncation) {
        inexact(path, "the timestamp " + std::to_string(v) + " " + unit_name(from) + " would lose precision in " +
                          unit_name(to) + " (allow_truncated_timestamps permits it)");
      }
      return floor_div(v, factor);
    });
  }
}

void append_intervals(const ShreddedLeaf& leaf, const std::string& path, ValueBuffer& out) {
  const uint8_t* in = leaf.array->buffers.at(1)->data();
  const size_t at = out.fixed.size();
  out.fixed.resize(at + static_cast<size_t>(leaf.num_values()) * 12);
  uint8_t* dst = out.fixed.data() + at;
  for_each_position(leaf, [&](int64_t i) {
    int32_t months, days;
    int64_t nanos;
    std::memcpy(&months, in + i * 16, 4);
    std::memcpy(&days, in + i * 16 + 4, 4);
    std::memcpy(&nanos, in + i * 16 + 8, 8);
    // The legacy INTERVAL holds unsigned months, days and milliseconds.
    if (months < 0 || days < 0 || nanos < 0 || nanos % 1000000 != 0 || nanos / 1000000 > UINT32_MAX) {
      inexact(path, "the interval at index " + std::to_string(i) +
                        " is negative or not whole milliseconds, which Parquet's INTERVAL cannot hold");
    }
    const uint32_t parts[3] = {static_cast<uint32_t>(months), static_cast<uint32_t>(days),
                               static_cast<uint32_t>(nanos / 1000000)};
    std::memcpy(dst, parts, 12);
    dst += 12;
  });
}

void append_values(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path, ValueBuffer& out,
                   bool allow_truncated_timestamps) {
  const ArrayData& a = *leaf.array;
  if (a.type.id() == Id::Dictionary) {
    // Resolve indices to positions in the dictionary array and take the values from there.
    if (!a.dictionary) inexact(path, "a dictionary array without its dictionary");
    const int32_t* idx = a.buffers.at(1)->as<int32_t>();
    ShreddedLeaf resolved;
    resolved.array = a.dictionary.get();
    resolved.positions.reserve(static_cast<size_t>(leaf.num_values()));
    for_each_position(leaf, [&](int64_t i) {
      if (idx[i] < 0 || idx[i] >= a.dictionary->length) {
        inexact(path, "dictionary index " + std::to_string(idx[i]) + " at " + std::to_string(i) +
                          " is outside the dictionary of " + std::to_string(a.dictionary->length));
      }
      resolved.positions.push_back(a.dictionary->offset + idx[i]);
    });
    append_values(resolved, node, path, out, allow_truncated_timestamps);
    return;
  }
  switch (a.type.id()) {
    case Id::Boolean: append_booleans(leaf, out); return;
    case Id::Int8: convert_fixed<int8_t, int32_t>(leaf, out, [](int8_t v) { return int32_t{v}; }); return;
    case Id::Int16: convert_fixed<int16_t, int32_t>(leaf, out, [](int16_t v) { return int32_t{v}; }); return;
    case Id::UInt8: convert_fixed<uint8_t, int32_t>(leaf, out, [](uint8_t v) { return int32_t{v}; }); return;
    case Id::UInt16: convert_fixed<uint16_t, int32_t>(leaf, out, [](uint16_t v) { return int32_t{v}; }); return;
    case Id::UInt32:
      if (*node.physical_type == PhysicalType::Int64) {  // format 1.0 has no UINT_32
        convert_fixed<uint32_t, int64_t>(leaf, out, [](uint32_t v) { return int64_t{v}; });
        return;
      }
      copy_fixed<int32_t>(leaf, out);
      return;
    case Id::Int32:
    case Id::Date32:
    case Id::Float32: copy_fixed<int32_t>(leaf, out); return;
    case Id::Int64:
    case Id::UInt64:
    case Id::Time64:
    case Id::Float64: copy_fixed<int64_t>(leaf, out); return;
    case Id::Time32:
      if (a.type.unit() == TimeUnit::Second) {
        convert_fixed<int32_t, int32_t>(leaf, out, [&](int32_t v) {
          if (v > INT32_MAX / 1000 || v < INT32_MIN / 1000) inexact(path, "a time in seconds overflows milliseconds");
          return v * 1000;
        });
      } else {
        copy_fixed<int32_t>(leaf, out);
      }
      return;
    case Id::Timestamp: append_timestamps(leaf, node, path, allow_truncated_timestamps, out); return;
    case Id::Float16: copy_bytes(leaf, 2, out); return;
    case Id::FixedSizeBinary: copy_bytes(leaf, static_cast<size_t>(a.type.byte_width()), out); return;
    case Id::Decimal128:
    case Id::Decimal256: append_decimals(leaf, node, path, out); return;
    case Id::IntervalMonthDayNano: append_intervals(leaf, path, out); return;
    case Id::String:
    case Id::Binary: append_binary<int32_t>(leaf, out); return;
    case Id::LargeString:
    case Id::LargeBinary: append_binary<int64_t>(leaf, out); return;
    default:
      inexact(path, "cannot write values of type " + a.type.to_string());
  }
}

}  // namespace

size_t binary_bytes(const ArrayData& a) {
  switch (a.type.id()) {
    case Id::String:
    case Id::Binary: {
      const int32_t* o = a.buffers.at(1)->as<int32_t>() + a.offset;
      return static_cast<size_t>(o[a.length] - o[0]);
    }
    case Id::LargeString:
    case Id::LargeBinary: {
      const int64_t* o = a.buffers.at(1)->as<int64_t>() + a.offset;
      return static_cast<size_t>(o[a.length] - o[0]);
    }
    default: return 0;
  }
}

void append_physical(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path, ValueBuffer& out,
                     bool allow_truncated_timestamps) {
  if (leaf.num_values() == 0) return;
  append_values(leaf, node, path, out, allow_truncated_timestamps);
  out.count = out.width ? out.fixed.size() / out.width : out.offsets.size() - 1;
}

}  // namespace parkett::column

#include <cstring>

#include "parkett/error.h"
#include "thrift/compact_protocol.h"

namespace parkett::thrift {

CompactReader::CompactReader(const uint8_t* data, size_t size, const ThriftLimits& limits)
    : begin_(data), pos_(data), end_(data + size), max_depth_(limits.max_depth) {
  budget_ = limits.max_decoded_bytes != 0 ? limits.max_decoded_bytes
                                          : size * 64 + (size_t{1} << 20);
}

void CompactReader::fail(const std::string& what) const {
  throw Error(ErrorKind::Corrupt,
              "invalid thrift data at byte " + std::to_string(position()) + ": " + what);
}

void CompactReader::bad_type(uint8_t type) const {
  fail("unknown field type " + std::to_string(type));
}

uint64_t CompactReader::read_varint_slow() {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ == end_) fail("unexpected end of data inside a varint");
    uint8_t b = *pos_++;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return result;
  }
  fail("varint longer than 10 bytes");
}

int16_t CompactReader::read_i16() {
  int64_t v = unzigzag(read_varint());
  if (v < INT16_MIN || v > INT16_MAX) fail("i16 value " + std::to_string(v) + " out of range");
  return static_cast<int16_t>(v);
}

void CompactReader::out_of_range(int64_t v, const char* type) const {
  fail(std::string(type) + " value " + std::to_string(v) + " out of range");
}

void CompactReader::binary_too_long(uint64_t len) const {
  fail("binary length " + std::to_string(len) + " exceeds the " + std::to_string(remaining()) +
       " bytes remaining");
}

void CompactReader::over_budget() const {
  throw Error(ErrorKind::ResourceLimit,
              "thrift data at byte " + std::to_string(position()) +
                  " would need more memory than the decoding limit allows");
}

double CompactReader::read_double() {
  if (remaining() < 8) fail("unexpected end of data inside a double");
  double v;
  std::memcpy(&v, pos_, 8);  // little-endian on the wire; parkett targets little-endian hosts
  pos_ += 8;
  return v;
}

ListHeader CompactReader::read_list_header() {
  uint8_t b = read_byte();
  uint8_t elem_type = b & 0x0f;
  uint64_t size = b >> 4;
  if (size == 15) size = read_varint();
  // Every element takes at least one byte on the wire (bools too), so a list can never hold
  // more elements than bytes remain: this bounds allocation by the input size.
  if (size > remaining()) {
    fail("list of " + std::to_string(size) + " elements exceeds the " +
         std::to_string(remaining()) + " bytes remaining");
  }
  if (size != 0 && (elem_type == kStop || elem_type > kStruct)) {
    fail("unknown list element type " + std::to_string(elem_type));
  }
  return {elem_type, static_cast<uint32_t>(size)};
}

void CompactReader::enter_struct() {
  if (++depth_ > max_depth_) {
    throw Error(ErrorKind::ResourceLimit, "thrift nesting deeper than " +
                                              std::to_string(max_depth_) + " at byte " +
                                              std::to_string(position()));
  }
}

void CompactReader::skip(uint8_t type) { skip_value(type, depth_); }

void CompactReader::skip_struct_body() {
  int16_t last = 0;
  while (true) {
    FieldHeader h = read_field_header(last);
    if (h.type == kStop) return;
    skip_value(h.type, depth_ + 1);
  }
}

// Skips a scalar value in place; false if `type` is a container (the caller recurses).
// Kept apart from skip_value so the common case needs no call and no depth check.
inline bool CompactReader::skip_scalar(uint8_t type) {
  switch (type) {
    case kBoolTrue:
    case kBoolFalse:
      return true;  // a bool field carries its value in the header
    case kByte:
      if (pos_ == end_) fail("unexpected end of data");
      ++pos_;
      return true;
    case kI16:
    case kI32:
    case kI64: {
      const uint8_t* limit = end_ - pos_ > 10 ? pos_ + 10 : end_;
      while (pos_ < limit && (*pos_ & 0x80)) ++pos_;
      if (pos_ == limit) fail("unterminated varint");
      ++pos_;
      return true;
    }
    case kDouble:
      if (remaining() < 8) fail("unexpected end of data inside a double");
      pos_ += 8;
      return true;
    case kBinary: {
      uint64_t len = read_varint();
      if (len > remaining()) fail("binary length " + std::to_string(len) + " exceeds input");
      pos_ += len;
      return true;
    }
    default:
      return false;
  }
}

void CompactReader::skip_value(uint8_t type, int depth) {
  if (depth > max_depth_) {
    throw Error(ErrorKind::ResourceLimit, "thrift nesting deeper than " +
                                              std::to_string(max_depth_) + " at byte " +
                                              std::to_string(position()));
  }
  if (skip_scalar(type)) return;
  switch (type) {
    case kList:
    case kSet: {
      ListHeader h = read_list_header();
      if (h.elem_type == kBoolTrue || h.elem_type == kBoolFalse) {
        pos_ += h.size;  // one byte per bool; size <= remaining() was checked
        return;
      }
      for (uint32_t i = 0; i < h.size; ++i) {
        if (!skip_scalar(h.elem_type)) skip_value(h.elem_type, depth + 1);
      }
      return;
    }
    case kMap: {
      uint64_t size = read_varint();
      if (size == 0) return;
      if (size > remaining()) fail("map of " + std::to_string(size) + " entries exceeds input");
      uint8_t kv = read_byte();
      uint8_t kt = kv >> 4, vt = kv & 0x0f;
      if (kt == kStop || kt > kStruct || vt == kStop || vt > kStruct) fail("bad map types");
      // Bools inside containers are one byte each, not header-encoded.
      auto element = [](uint8_t t) -> uint8_t {
        return t == kBoolTrue || t == kBoolFalse ? uint8_t{kByte} : t;
      };
      for (uint64_t i = 0; i < size; ++i) {
        skip_value(element(kt), depth + 1);
        skip_value(element(vt), depth + 1);
      }
      return;
    }
    case kStruct: {
      int16_t last = 0;
      while (true) {
        FieldHeader h = read_field_header(last);
        if (h.type == kStop) return;
        if (!skip_scalar(h.type)) skip_value(h.type, depth + 1);
      }
    }
    default:
      fail("cannot skip unknown type " + std::to_string(type));
  }
}

}  // namespace parkett::thrift

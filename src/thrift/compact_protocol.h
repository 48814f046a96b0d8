// Thrift compact protocol: wire types and the reader / writer (see README.md).
#pragma once

#include <cstddef>
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

namespace parkett::thrift {

// Compact protocol type nibbles (Thrift's TCompactProtocol specification).
enum WireType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

struct ThriftLimits {
  int max_depth = 64;
  // Bytes the decoded objects may occupy, as charged by the caller per element. Zero means
  // "derive from the input": 64 bytes of objects per input byte plus 1 MiB, which covers
  // every real footer (a column chunk takes >= 20 bytes on the wire and ~1 KiB decoded).
  size_t max_decoded_bytes = 0;
};

struct FieldHeader {
  int16_t id;
  uint8_t type;  // kStop ends the struct
};

struct ListHeader {
  uint8_t elem_type;  // as written; any value (0 included) when the list is empty
  uint32_t size;
  // Whether the list can be read as elements of `type`. Thrift readers ignore the element
  // type of an empty list, and writers such as fastparquet 2024.5 leave it 0.
  bool holds(uint8_t type) const { return size == 0 || elem_type == type; }
};

class CompactReader {
 public:
  CompactReader(const uint8_t* data, size_t size, const ThriftLimits& limits = {});

  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  /// Moves to an absolute position within the data (to decode a struct found earlier).
  void skip_to(size_t offset) {
    if (offset > static_cast<size_t>(end_ - begin_)) fail("position beyond the data");
    pos_ = begin_ + offset;
  }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  const uint8_t* data() const { return begin_; }

  uint8_t read_byte() {
    if (pos_ == end_) fail("unexpected end of data");
    return *pos_++;
  }
  uint64_t read_varint() {
    // Fast path, when a whole varint surely fits in what remains: no bounds check per byte.
    if (end_ - pos_ >= 10) {
      uint64_t result = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        uint8_t b = *pos_++;
        result |= static_cast<uint64_t>(b & 0x7f) << shift;
        if (b < 0x80) return result;
      }
      fail("varint longer than 10 bytes");
    }
    return read_varint_slow();
  }
  int16_t read_i16();
  int32_t read_i32() {
    int64_t v = unzigzag(read_varint());
    if (v < INT32_MIN || v > INT32_MAX) out_of_range(v, "i32");
    return static_cast<int32_t>(v);
  }
  int64_t read_i64() { return unzigzag(read_varint()); }
  double read_double();
  std::string_view read_binary() {
    uint64_t len = read_varint();
    if (len > remaining()) binary_too_long(len);
    std::string_view v(reinterpret_cast<const char*>(pos_), static_cast<size_t>(len));
    pos_ += len;
    charge(len);
    return v;
  }

  /// Reads the next field header of the current struct. `last_id` is the previous field id
  /// of this struct (start with 0); it is updated.
  FieldHeader read_field_header(int16_t& last_id) {
    uint8_t b = read_byte();
    uint8_t type = b & 0x0f;
    if (type == kStop) return {0, kStop};
    if (type > kStruct) bad_type(type);
    if (b >> 4) {
      last_id = static_cast<int16_t>(last_id + (b >> 4));
    } else {
      last_id = read_i16();
    }
    return {last_id, type};
  }
  ListHeader read_list_header();

  /// Skips a value of the given wire type (for bools inside a field: nothing to skip).
  void skip(uint8_t type);
  /// Skips the remaining fields of a struct whose header was already consumed.
  void skip_struct_body();

  void enter_struct();
  void leave_struct() { --depth_; }

  /// Charges `bytes` of decoded objects against the allocation budget.
  void charge(size_t bytes) {
    if (bytes > budget_) over_budget();
    budget_ -= bytes;
  }

  /// Fields skipped because their id (or wire type) was not known.
  int64_t unknown_fields() const { return unknown_fields_; }
  void count_unknown_field() { ++unknown_fields_; }

  [[noreturn]] void fail(const std::string& what) const;

 private:
  static int64_t unzigzag(uint64_t v) {
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  uint64_t read_varint_slow();
  [[noreturn]] void out_of_range(int64_t v, const char* type) const;
  [[noreturn]] void binary_too_long(uint64_t len) const;
  [[noreturn]] void over_budget() const;
  [[noreturn]] void bad_type(uint8_t type) const;
  bool skip_scalar(uint8_t type);
  void skip_value(uint8_t type, int depth);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  int max_depth_;
  int depth_ = 0;
  size_t budget_;
  int64_t unknown_fields_ = 0;
};

class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void write_byte(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void write_varint(uint64_t v);
  void write_i16(int16_t v) { write_varint(zigzag(v)); }
  void write_i32(int32_t v) { write_varint(zigzag(v)); }
  void write_i64(int64_t v) { write_varint(zigzag(v)); }
  void write_double(double v);
  void write_binary(std::string_view v);
  /// Writes a field header; for bool fields pass kBoolTrue / kBoolFalse as the type.
  void write_field_header(int16_t id, uint8_t type, int16_t& last_id);
  void write_list_header(uint8_t elem_type, size_t size);
  void write_stop() { write_byte(kStop); }

 private:
  static uint64_t zigzag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  std::string& out_;
};

}  // namespace parkett::thrift

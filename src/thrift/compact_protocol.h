// Thrift compact protocol: wire types and the reader / writer (see README.md).
#pragma once

#include <cstddef>
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
  uint8_t elem_type;
  uint32_t size;
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
    // Fast path: one- and two-byte varints (field values, lengths and counts mostly are).
    if (end_ - pos_ >= 2) {
      uint8_t b0 = pos_[0];
      if (b0 < 0x80) {
        ++pos_;
        return b0;
      }
      uint8_t b1 = pos_[1];
      if (b1 < 0x80) {
        pos_ += 2;
        return (b0 & 0x7fu) | (uint64_t{b1} << 7);
      }
    }
    return read_varint_slow();
  }
  int16_t read_i16();
  int32_t read_i32();
  int64_t read_i64();
  double read_double();
  std::string_view read_binary();

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
  void charge(size_t bytes);

  /// Fields skipped because their id (or wire type) was not known.
  int64_t unknown_fields() const { return unknown_fields_; }
  void count_unknown_field() { ++unknown_fields_; }

  [[noreturn]] void fail(const std::string& what) const;

 private:
  uint64_t read_varint_slow();
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

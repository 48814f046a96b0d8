// The Variant binary encoding (VariantEncoding.md): reading metadata dictionaries and
// values, and writing values. Every read is bounds-checked; malformed bytes throw
// Error(Corrupt) naming what is wrong.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parkett::variant {

enum class BasicType : uint8_t { Primitive = 0, ShortString = 1, Object = 2, Array = 3 };

enum class Primitive : uint8_t {
  Null = 0, True = 1, False = 2, Int8 = 3, Int16 = 4, Int32 = 5, Int64 = 6, Double = 7,
  Decimal4 = 8, Decimal8 = 9, Decimal16 = 10, Date = 11, TimestampMicros = 12,
  TimestampNtzMicros = 13, Float = 14, Binary = 15, String = 16, TimeNtzMicros = 17,
  TimestampNanos = 18, TimestampNtzNanos = 19, Uuid = 20,
};

using Bytes = std::span<const uint8_t>;

/// The key dictionary of a Variant's metadata.
class Metadata {
 public:
  explicit Metadata(Bytes bytes);
  size_t size() const { return offsets_.size() - 1; }
  std::string_view key(uint32_t id) const;
  /// The id of `name`, or -1 when the dictionary does not hold it.
  int64_t find(std::string_view name) const;
  /// The encoded length: the metadata's bytes end here (they may be followed by a value).
  size_t encoded_size() const { return encoded_size_; }

 private:
  std::string_view bytes_;  // the key strings, concatenated
  std::vector<uint32_t> offsets_;
  bool sorted_ = false;
  size_t encoded_size_ = 0;
};

/// One encoded value (a view into bytes owned elsewhere).
class Value {
 public:
  /// The value at the start of `bytes`; the bytes may run on past it.
  explicit Value(Bytes bytes);
  BasicType basic_type() const { return static_cast<BasicType>(bytes_[0] & 3); }
  /// The primitive type id (basic_type() == Primitive).
  Primitive primitive() const { return static_cast<Primitive>(bytes_[0] >> 2); }
  /// The exact bytes of this value (header included).
  Bytes encoded() const { return bytes_.first(size_); }
  /// The bytes after the header byte.
  Bytes payload() const { return bytes_.subspan(1, size_ - 1); }
  /// Short string, string or binary contents.
  std::string_view text() const;

  /// Objects and arrays: element count, and element i (objects also give the key id).
  size_t count() const { return count_; }
  uint32_t field_id(size_t i) const;
  Value element(size_t i) const;

 private:
  Bytes bytes_;
  size_t size_ = 0;
  // Objects and arrays.
  size_t count_ = 0, id_size_ = 0, offset_size_ = 0;
  size_t ids_at_ = 0, offsets_at_ = 0, values_at_ = 0;
  size_t offset(size_t i) const;
};

/// Appends encoded values to a byte string.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void null() { out_ += '\0'; }
  void boolean(bool v) { header(v ? Primitive::True : Primitive::False); }
  void int8(int8_t v) { fixed(Primitive::Int8, &v, 1); }
  void int16(int16_t v) { fixed(Primitive::Int16, &v, 2); }
  void int32(int32_t v) { fixed(Primitive::Int32, &v, 4); }
  void int64(int64_t v) { fixed(Primitive::Int64, &v, 8); }
  void float32(float v) { fixed(Primitive::Float, &v, 4); }
  void float64(double v) { fixed(Primitive::Double, &v, 8); }
  void date(int32_t days) { fixed(Primitive::Date, &days, 4); }
  /// Timestamps and times: `type` is one of the int64 temporal primitives.
  void temporal(Primitive type, int64_t v) { fixed(type, &v, 8); }
  /// `type` Decimal4/8/16; `unscaled_le` 4, 8 or 16 little-endian bytes.
  void decimal(Primitive type, uint8_t scale, const uint8_t* unscaled_le);
  void uuid(const uint8_t* big_endian16) { fixed(Primitive::Uuid, big_endian16, 16); }
  /// Strings under 64 bytes as short strings, as writers commonly do.
  void string(std::string_view s);
  void binary(std::string_view b);

  /// An object of already-encoded field values; `fields` must be sorted by key name.
  struct Field {
    uint32_t id;
    std::string_view value;
  };
  void object(const std::vector<Field>& fields, size_t dictionary_size);
  void array(const std::vector<std::string_view>& elements);

 private:
  void header(Primitive p) { out_ += static_cast<char>(static_cast<uint8_t>(p) << 2); }
  void fixed(Primitive p, const void* v, size_t n);
  std::string& out_;
};

}  // namespace parkett::variant

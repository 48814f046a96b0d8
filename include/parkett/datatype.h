// Arrow-layout data types: what parkett reads Parquet columns into. They follow the Arrow
// columnar format's types one to one, so that they cross the Arrow C Data Interface as is.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parkett/export.h"
#include "parkett/types.h"

namespace parkett {

struct Field;

class PARKETT_EXPORT DataType {
 public:
  enum class Id : int32_t {
    Null, Boolean, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16, Float32,
    Float64, String, LargeString, Binary, LargeBinary, FixedSizeBinary, Date32, Time32, Time64,
    Timestamp, IntervalMonthDayNano, Decimal128, Decimal256, List, LargeList, Struct, Map,
    Dictionary,  // int32 indices into a dictionary of value_type()
  };

  DataType() = default;
  explicit DataType(Id id) : id_(id) {}

  static DataType fixed_size_binary(int32_t width);
  static DataType decimal(int32_t precision, int32_t scale);  // 128 or 256 by precision
  static DataType time(TimeUnit unit);                        // time32 for s/ms, else time64
  static DataType timestamp(TimeUnit unit, std::string timezone = {});
  static DataType list(Field element, bool large = false);
  static DataType structure(std::vector<Field> fields);
  static DataType map(Field key, Field value, bool keys_sorted = false);
  /// Dictionary-encoded values: int32 indices into a dictionary array of `value`.
  static DataType dictionary(DataType value);

  Id id() const { return id_; }
  int32_t byte_width() const { return byte_width_; }  // FixedSizeBinary
  /// Bytes per value of fixed-width types (int32: 4, decimal128: 16, ...); 0 for bool,
  /// variable-length and nested types.
  int32_t value_width() const;
  int32_t precision() const { return precision_; }
  int32_t scale() const { return scale_; }
  TimeUnit unit() const { return unit_; }
  const std::string& timezone() const { return timezone_; }
  bool keys_sorted() const { return keys_sorted_; }  // Map
  /// List: one child (the element); Map: one child, the entries struct (key, value);
  /// Struct: the fields.
  const std::vector<Field>& children() const;
  /// Dictionary: the type of the dictionary's values.
  const DataType& value_type() const;

  /// pyarrow's spelling: "int64", "string", "timestamp[ms, tz=UTC]", "decimal128(10, 2)",
  /// "list<element: int32>", "struct<a: int32, b: string>", "map<string, int64>".
  std::string to_string() const;
  bool operator==(const DataType& other) const;

 private:
  Id id_ = Id::Null;
  int32_t byte_width_ = 0;
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  TimeUnit unit_ = TimeUnit::Micro;
  std::string timezone_;
  bool keys_sorted_ = false;
  std::shared_ptr<const std::vector<Field>> children_;
  std::shared_ptr<const DataType> value_type_;  // Dictionary
};

struct PARKETT_EXPORT Field {
  std::string name;
  DataType type;
  bool nullable = true;
  /// Key-value metadata carried with the field (e.g. "PARQUET:field_id").
  std::vector<std::pair<std::string, std::string>> metadata;

  std::string to_string() const;  // "name: type" (+ " not null")
  bool operator==(const Field&) const = default;
};

struct PARKETT_EXPORT Schema {
  std::vector<Field> fields;
  std::vector<std::pair<std::string, std::string>> metadata;

  std::string to_string() const;  // one "name: type" line per field
  /// The index of the first field named `name`, or -1.
  int field_index(std::string_view name) const;
  bool operator==(const Schema&) const = default;
};

}  // namespace parkett

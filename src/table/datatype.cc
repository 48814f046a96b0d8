#include "parkett/datatype.h"

namespace parkett {
namespace {

const std::vector<Field>& no_children() {
  static const std::vector<Field> kEmpty;
  return kEmpty;
}

}  // namespace

DataType DataType::fixed_size_binary(int32_t width) {
  DataType t(Id::FixedSizeBinary);
  t.byte_width_ = width;
  return t;
}

DataType DataType::decimal(int32_t precision, int32_t scale) {
  DataType t(precision <= 38 ? Id::Decimal128 : Id::Decimal256);
  t.precision_ = precision;
  t.scale_ = scale;
  return t;
}

DataType DataType::time(TimeUnit unit) {
  DataType t(unit == TimeUnit::Second || unit == TimeUnit::Milli ? Id::Time32 : Id::Time64);
  t.unit_ = unit;
  return t;
}

DataType DataType::timestamp(TimeUnit unit, std::string timezone) {
  DataType t(Id::Timestamp);
  t.unit_ = unit;
  t.timezone_ = std::move(timezone);
  return t;
}

DataType DataType::list(Field element, bool large) {
  DataType t(large ? Id::LargeList : Id::List);
  t.children_ = std::make_shared<const std::vector<Field>>(std::vector<Field>{std::move(element)});
  return t;
}

DataType DataType::structure(std::vector<Field> fields) {
  DataType t(Id::Struct);
  t.children_ = std::make_shared<const std::vector<Field>>(std::move(fields));
  return t;
}

DataType DataType::map(Field key, Field value, bool keys_sorted) {
  DataType t(Id::Map);
  key.nullable = false;
  Field entries{"entries", structure({std::move(key), std::move(value)}), false, {}};
  t.children_ = std::make_shared<const std::vector<Field>>(std::vector<Field>{std::move(entries)});
  t.keys_sorted_ = keys_sorted;
  return t;
}

int32_t DataType::value_width() const {
  switch (id_) {
    case Id::Int8: case Id::UInt8: return 1;
    case Id::Int16: case Id::UInt16: case Id::Float16: return 2;
    case Id::Int32: case Id::UInt32: case Id::Float32: case Id::Date32: case Id::Time32: return 4;
    case Id::Int64: case Id::UInt64: case Id::Float64: case Id::Time64: case Id::Timestamp: return 8;
    case Id::Decimal128: case Id::IntervalMonthDayNano: return 16;
    case Id::Decimal256: return 32;
    case Id::FixedSizeBinary: return byte_width_;
    case Id::Dictionary: return 4;  // the indices
    default: return 0;
  }
}

DataType DataType::dictionary(DataType value) {
  DataType t(Id::Dictionary);
  t.value_type_ = std::make_shared<const DataType>(std::move(value));
  return t;
}

const DataType& DataType::value_type() const {
  static const DataType kNull;
  return value_type_ ? *value_type_ : kNull;
}

const std::vector<Field>& DataType::children() const {
  return children_ ? *children_ : no_children();
}

bool DataType::operator==(const DataType& o) const {
  return id_ == o.id_ && byte_width_ == o.byte_width_ && precision_ == o.precision_ &&
         scale_ == o.scale_ && unit_ == o.unit_ && timezone_ == o.timezone_ &&
         keys_sorted_ == o.keys_sorted_ && children() == o.children() &&
         (id_ != Id::Dictionary || value_type() == o.value_type());
}

std::string DataType::to_string() const {
  switch (id_) {
    case Id::Null: return "null";
    case Id::Boolean: return "bool";
    case Id::Int8: return "int8";
    case Id::Int16: return "int16";
    case Id::Int32: return "int32";
    case Id::Int64: return "int64";
    case Id::UInt8: return "uint8";
    case Id::UInt16: return "uint16";
    case Id::UInt32: return "uint32";
    case Id::UInt64: return "uint64";
    case Id::Float16: return "halffloat";
    case Id::Float32: return "float";
    case Id::Float64: return "double";
    case Id::String: return "string";
    case Id::LargeString: return "large_string";
    case Id::Binary: return "binary";
    case Id::LargeBinary: return "large_binary";
    case Id::FixedSizeBinary: return "fixed_size_binary[" + std::to_string(byte_width_) + "]";
    case Id::Date32: return "date32[day]";
    case Id::Time32: return "time32[" + parkett::to_string(unit_) + "]";
    case Id::Time64: return "time64[" + parkett::to_string(unit_) + "]";
    case Id::Timestamp:
      return "timestamp[" + parkett::to_string(unit_) +
             (timezone_.empty() ? "" : ", tz=" + timezone_) + "]";
    case Id::IntervalMonthDayNano: return "month_day_nano_interval";
    case Id::Decimal128:
    case Id::Decimal256:
      return std::string(id_ == Id::Decimal128 ? "decimal128(" : "decimal256(") +
             std::to_string(precision_) + ", " + std::to_string(scale_) + ")";
    case Id::List:
    case Id::LargeList:
      return std::string(id_ == Id::List ? "list<" : "large_list<") + children()[0].to_string() +
             ">";
    case Id::Struct: {
      std::string out = "struct<";
      for (size_t i = 0; i < children().size(); ++i) {
        if (i) out += ", ";
        out += children()[i].to_string();
      }
      return out + ">";
    }
    case Id::Dictionary:
      return "dictionary<values=" + value_type().to_string() + ", indices=int32, ordered=0>";
    case Id::Map: {
      const auto& kv = children()[0].type.children();
      return "map<" + kv[0].type.to_string() + ", " + kv[1].type.to_string() +
             (kv[1].nullable ? "" : " not null") + (keys_sorted_ ? ", keys_sorted" : "") + ">";
    }
  }
  return "unknown";
}

std::string Field::to_string() const {
  return name + ": " + type.to_string() + (nullable ? "" : " not null");
}

int Schema::field_index(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Schema::to_string() const {
  std::string out;
  for (const auto& f : fields) out += f.to_string() + "\n";
  return out;
}

}  // namespace parkett

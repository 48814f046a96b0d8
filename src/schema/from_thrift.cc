#include "schema/from_thrift.h"

#include <algorithm>
#include <cmath>

#include "parkett/error.h"

namespace parkett::schema {
namespace {

TimeUnit unit_of(const format::TimeUnit& u) {
  if (u.MILLIS) return TimeUnit::Milli;
  if (u.NANOS) return TimeUnit::Nano;
  return TimeUnit::Micro;
}

LogicalType from_logical(const format::LogicalType& t) {
  using K = LogicalType::Kind;
  LogicalType out;
  if (t.STRING) out.kind = K::String;
  else if (t.MAP) out.kind = K::Map;
  else if (t.LIST) out.kind = K::List;
  else if (t.ENUM) out.kind = K::Enum;
  else if (t.DECIMAL) {
    out.kind = K::Decimal;
    out.precision = t.DECIMAL->precision;
    out.scale = t.DECIMAL->scale;
  } else if (t.DATE) out.kind = K::Date;
  else if (t.TIME) {
    out.kind = K::Time;
    out.adjusted_to_utc = t.TIME->isAdjustedToUTC;
    out.unit = unit_of(t.TIME->unit);
  } else if (t.TIMESTAMP) {
    out.kind = K::Timestamp;
    out.adjusted_to_utc = t.TIMESTAMP->isAdjustedToUTC;
    out.unit = unit_of(t.TIMESTAMP->unit);
  } else if (t.INTEGER) {
    out.kind = K::Integer;
    out.bit_width = t.INTEGER->bitWidth;
    out.is_signed = t.INTEGER->isSigned;
  } else if (t.UNKNOWN) out.kind = K::Unknown;
  else if (t.JSON) out.kind = K::Json;
  else if (t.BSON) out.kind = K::Bson;
  else if (t.UUID) out.kind = K::Uuid;
  else if (t.FLOAT16) out.kind = K::Float16;
  else if (t.VARIANT) {
    out.kind = K::Variant;
    if (t.VARIANT->specification_version) out.variant_version = *t.VARIANT->specification_version;
  } else if (t.GEOMETRY) {
    out.kind = K::Geometry;
    out.crs = t.GEOMETRY->crs;
  } else if (t.GEOGRAPHY) {
    out.kind = K::Geography;
    out.crs = t.GEOGRAPHY->crs;
    if (t.GEOGRAPHY->algorithm) out.edge_algorithm = static_cast<int32_t>(*t.GEOGRAPHY->algorithm);
  } else if (t.VECTOR) out.kind = K::Vector;
  else out.kind = K::Unrecognized;  // a union member this version does not know
  return out;
}

LogicalType from_converted(const format::SchemaElement& e) {
  using K = LogicalType::Kind;
  using C = format::ConvertedType;
  LogicalType out;
  auto integer = [&out](int width, bool is_signed) {
    out.kind = K::Integer;
    out.bit_width = width;
    out.is_signed = is_signed;
  };
  auto temporal = [&out](K kind, TimeUnit unit) {
    out.kind = kind;
    out.unit = unit;
    out.adjusted_to_utc = true;  // LogicalTypes.md: legacy TIME_/TIMESTAMP_ are UTC-adjusted
  };
  switch (*e.converted_type) {
    case C::UTF8: out.kind = K::String; break;
    case C::MAP: out.kind = K::Map; break;
    case C::LIST: out.kind = K::List; break;
    case C::ENUM: out.kind = K::Enum; break;
    case C::DECIMAL:
      out.kind = K::Decimal;
      out.precision = e.precision.value_or(0);
      out.scale = e.scale.value_or(0);
      break;
    case C::DATE: out.kind = K::Date; break;
    case C::TIME_MILLIS: temporal(K::Time, TimeUnit::Milli); break;
    case C::TIME_MICROS: temporal(K::Time, TimeUnit::Micro); break;
    case C::TIMESTAMP_MILLIS: temporal(K::Timestamp, TimeUnit::Milli); break;
    case C::TIMESTAMP_MICROS: temporal(K::Timestamp, TimeUnit::Micro); break;
    case C::UINT_8: integer(8, false); break;
    case C::UINT_16: integer(16, false); break;
    case C::UINT_32: integer(32, false); break;
    case C::UINT_64: integer(64, false); break;
    case C::INT_8: integer(8, true); break;
    case C::INT_16: integer(16, true); break;
    case C::INT_32: integer(32, true); break;
    case C::INT_64: integer(64, true); break;
    case C::JSON: out.kind = K::Json; break;
    case C::BSON: out.kind = K::Bson; break;
    default: break;  // MAP_KEY_VALUE, INTERVAL and unknown values have no LogicalType
  }
  return out;
}

// The most decimal digits a FIXED_LEN_BYTE_ARRAY of `bytes` holds: floor(log10(2^(8n-1) - 1)).
int32_t max_decimal_digits(int32_t bytes) {
  if (bytes <= 0) return 0;
  return static_cast<int32_t>(std::floor((8.0 * bytes - 1) * std::log10(2.0)));
}

// Whether the logical type can annotate the leaf's physical type (LogicalTypes.md). An
// annotation that cannot (INTEGER(64) on INT32, DECIMAL on DOUBLE, TIME(MICROS) on INT32, a
// scale above the precision) would make readers convert values of the wrong width: such a
// leaf is read as its physical type, as an unknown annotation is.
bool fits_physical(const LogicalType& lt, PhysicalType p, int32_t type_length) {
  using K = LogicalType::Kind;
  switch (lt.kind) {
    case K::String:
    case K::Enum:
    case K::Json:
    case K::Bson:
    case K::Geometry:
    case K::Geography:
      return p == PhysicalType::ByteArray;
    case K::Uuid: return p == PhysicalType::FixedLenByteArray && type_length == 16;
    case K::Float16: return p == PhysicalType::FixedLenByteArray && type_length == 2;
    case K::Date: return p == PhysicalType::Int32;
    case K::Time:
      return lt.unit == TimeUnit::Milli ? p == PhysicalType::Int32 : p == PhysicalType::Int64;
    case K::Timestamp: return p == PhysicalType::Int64;
    case K::Integer:
      if (lt.bit_width == 64) return p == PhysicalType::Int64;
      return (lt.bit_width == 8 || lt.bit_width == 16 || lt.bit_width == 32) && p == PhysicalType::Int32;
    case K::Decimal: {
      if (lt.precision < 1 || lt.scale < 0 || lt.scale > lt.precision) return false;
      switch (p) {
        case PhysicalType::Int32: return lt.precision <= 9;
        case PhysicalType::Int64: return lt.precision <= 18;
        case PhysicalType::FixedLenByteArray: return lt.precision <= std::min(76, max_decimal_digits(type_length));
        case PhysicalType::ByteArray: return lt.precision <= 76;  // decimal256 at most
        default: return false;
      }
    }
    default: return true;  // group annotations, Unknown, Variant, Vector, unrecognised ones
  }
}

}  // namespace

LogicalType logical_type_of(const format::SchemaElement& e) {
  if (e.logicalType) return from_logical(*e.logicalType);
  if (e.converted_type) return from_converted(e);
  return {};
}

ParquetSchema from_thrift(const std::vector<format::SchemaElement>& elements) {
  std::vector<SchemaNode> nodes;
  std::vector<int32_t> num_children;
  nodes.reserve(elements.size());
  num_children.reserve(elements.size());
  for (const auto& e : elements) {
    SchemaNode node;
    node.name = e.name;
    if (e.repetition_type && (static_cast<int32_t>(*e.repetition_type) < 0 ||
                              static_cast<int32_t>(*e.repetition_type) > static_cast<int32_t>(Repetition::Vector))) {
      throw Error(static_cast<int32_t>(*e.repetition_type) < 0 ? ErrorKind::Corrupt : ErrorKind::Unsupported,
                  "schema element '" + e.name + "' has repetition type " +
                      std::to_string(static_cast<int32_t>(*e.repetition_type)) + ", which is not known");
    }
    node.repetition = e.repetition_type ? static_cast<Repetition>(*e.repetition_type)
                                        : Repetition::Required;
    if (e.type && e.num_children.value_or(0) == 0) node.physical_type = static_cast<PhysicalType>(*e.type);
    node.type_length = e.type_length.value_or(0);
    if (e.converted_type) node.converted_type = static_cast<ConvertedType>(*e.converted_type);
    node.logical_type = logical_type_of(e);
    if (node.physical_type && !fits_physical(node.logical_type, *node.physical_type, node.type_length)) {
      node.logical_type = LogicalType{};
    }
    node.field_id = e.field_id;
    if (node.logical_type.kind == LogicalType::Kind::Decimal) {
      node.precision = node.logical_type.precision;
      node.scale = node.logical_type.scale;
    } else {
      node.precision = e.precision.value_or(0);
      node.scale = e.scale.value_or(0);
    }
    node.vector_length = e.vector_length;
    nodes.push_back(std::move(node));
    num_children.push_back(e.num_children.value_or(0));
  }
  return ParquetSchema::from_flat(std::move(nodes), num_children);
}

}  // namespace parkett::schema

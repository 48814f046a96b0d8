#include "schema/to_parquet.h"

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parkett/error.h"

namespace parkett::schema {
namespace {

using Id = DataType::Id;
using format::ConvertedType;
using format::Type;

const std::string* metadata_value(const Field& f, const std::string& key) {
  for (const auto& [k, v] : f.metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

format::TimeUnit unit_of(TimeUnit u) {
  format::TimeUnit out;
  if (u == TimeUnit::Milli) out.MILLIS.emplace();
  else if (u == TimeUnit::Micro) out.MICROS.emplace();
  else out.NANOS.emplace();
  return out;
}

// The "crs" string of geoarrow extension metadata ({"crs":"...", ...}), if plainly given.
std::optional<std::string> geo_crs(const std::string& json) {
  const std::string key = "\"crs\":\"";
  size_t at = json.find(key);
  if (at == std::string::npos) return std::nullopt;
  at += key.size();
  std::string out;
  for (size_t i = at; i < json.size(); ++i) {
    if (json[i] == '\\') return std::nullopt;  // escaped CRS texts: keep the default
    if (json[i] == '"') return out;
    out += json[i];
  }
  return std::nullopt;
}

// Spark refuses these characters in column names (pyarrow's flavor='spark').
std::string sanitized(std::string name) {
  for (char& c : name) {
    if (std::string_view(" ,;{}()\n\t=").find(c) != std::string_view::npos) c = '_';
  }
  return name;
}

class Builder {
 public:
  explicit Builder(const ParquetSchemaOptions& o) : o_(o) {}

  std::vector<format::SchemaElement> elements;

  void field(const Field& f, const std::string& path) {
    const size_t at = elements.size();
    elements.emplace_back();
    {
      format::SchemaElement& e = elements[at];
      e.name = f.name;

      e.repetition_type = f.nullable ? format::FieldRepetitionType::OPTIONAL
                                     : format::FieldRepetitionType::REQUIRED;
      if (const std::string* id = metadata_value(f, "PARQUET:field_id")) {
        try {
          e.field_id = std::stoi(*id);
        } catch (const std::exception&) {
          throw Error(ErrorKind::InvalidArgument,
                      "field '" + path + "' has PARQUET:field_id '" + *id + "', not an integer");
        }
      }
    }
    const DataType& t = f.type.id() == Id::Dictionary ? f.type.value_type() : f.type;
    switch (t.id()) {
      case Id::Struct: {
        if (is_variant_field(f)) {
          elements[at].logicalType.emplace().VARIANT.emplace();
        }
        // A struct without fields is a group without children (as parquet-go writes): the
        // reader gives it the length of what encloses it, valid wherever that is.
        elements[at].num_children = static_cast<int32_t>(t.children().size());
        for (const Field& c : t.children()) field(c, path + "." + c.name);
        return;
      }
      case Id::List:
      case Id::LargeList: {
        elements[at].logicalType.emplace().LIST.emplace();
        elements[at].converted_type = ConvertedType::LIST;
        elements[at].num_children = 1;
        Field element = t.children().at(0);
        const std::string element_path = path + "." + element.name;
        if (!has_leaf(element.type)) {
          throw Error(ErrorKind::Unsupported,
                      "field '" + path + "' is a list of structs without fields: Parquet stores a list's "
                      "lengths in its leaf columns, and it has none");
        }
        if (o_.legacy_nested_layout && !element.nullable) {
          // The two-level form: the element itself repeated.
          element.name = "array";
          const size_t repeated = elements.size();
          field(element, element_path);
          elements[repeated].repetition_type = format::FieldRepetitionType::REPEATED;
          return;
        }
        group(o_.legacy_nested_layout ? "bag" : "list", 1);
        element.name = o_.legacy_nested_layout ? "array" : "element";
        field(element, element_path);
        return;
      }
      case Id::Map: {
        elements[at].logicalType.emplace().MAP.emplace();
        elements[at].converted_type = ConvertedType::MAP;
        elements[at].num_children = 1;
        const DataType& entries = t.children().at(0).type;
        group(o_.legacy_nested_layout ? "map" : "key_value", 2);
        if (o_.legacy_nested_layout) elements.back().converted_type = ConvertedType::MAP_KEY_VALUE;
        Field key = entries.children().at(0);
        const std::string key_path = path + "." + key.name;
        if (!has_leaf(key.type)) {
          throw Error(ErrorKind::Unsupported,
                      "field '" + path + "' is a map whose keys are structs without fields: Parquet "
                      "stores a map's lengths in its key column, and it has none");
        }
        key.name = "key";
        key.nullable = false;  // LogicalTypes.md, Maps: the key field is required
        field(key, key_path);
        Field value = entries.children().at(1);
        const std::string value_path = path + "." + value.name;
        value.name = "value";
        field(value, value_path);
        return;
      }
      default:
        leaf(elements[at], f, t, path);
    }
  }

 private:
  // Whether a field of type `t` has a leaf column (a struct may have none).
  static bool has_leaf(const DataType& t) {
    const DataType& v = t.id() == Id::Dictionary ? t.value_type() : t;
    if (v.id() != Id::Struct) return true;
    for (const Field& c : v.children()) {
      if (has_leaf(c.type)) return true;
    }
    return false;
  }

  void group(const std::string& name, int32_t children) {
    format::SchemaElement g;
    g.name = name;
    g.repetition_type = format::FieldRepetitionType::REPEATED;
    g.num_children = children;
    elements.push_back(std::move(g));
  }

  static void integer(format::SchemaElement& e, Type physical, int bits, bool is_signed) {
    e.type = physical;
    auto& it = e.logicalType.emplace().INTEGER.emplace();
    it.bitWidth = static_cast<int8_t>(bits);
    it.isSigned = is_signed;
    static constexpr ConvertedType kSigned[] = {ConvertedType::INT_8, ConvertedType::INT_16,
                                                ConvertedType::INT_32, ConvertedType::INT_64};
    static constexpr ConvertedType kUnsigned[] = {ConvertedType::UINT_8, ConvertedType::UINT_16,
                                                  ConvertedType::UINT_32, ConvertedType::UINT_64};
    const int slot = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    e.converted_type = is_signed ? kSigned[slot] : kUnsigned[slot];
  }

  void leaf(format::SchemaElement& e, const Field& f, const DataType& t, const std::string& path) {
    switch (t.id()) {
      case Id::Null:
        // pyarrow's choice: an always-null INT32 with the UNKNOWN annotation.
        e.type = Type::INT32;
        e.repetition_type = format::FieldRepetitionType::OPTIONAL;
        e.logicalType.emplace().UNKNOWN.emplace();
        return;
      case Id::Boolean: e.type = Type::BOOLEAN; return;
      case Id::Int8: integer(e, Type::INT32, 8, true); return;
      case Id::Int16: integer(e, Type::INT32, 16, true); return;
      case Id::Int32: e.type = Type::INT32; return;
      case Id::Int64: e.type = Type::INT64; return;
      case Id::UInt8: integer(e, Type::INT32, 8, false); return;
      case Id::UInt16: integer(e, Type::INT32, 16, false); return;
      case Id::UInt32:
        // Format 1.0 readers know no UINT_32: the values go to a signed INT64 (as pyarrow).
        if (o_.version == FormatVersion::V1_0) e.type = Type::INT64;
        else integer(e, Type::INT32, 32, false);
        return;
      case Id::UInt64: integer(e, Type::INT64, 64, false); return;
      case Id::Float16:
        e.type = Type::FIXED_LEN_BYTE_ARRAY;
        e.type_length = 2;
        e.logicalType.emplace().FLOAT16.emplace();
        return;
      case Id::Float32: e.type = Type::FLOAT; return;
      case Id::Float64: e.type = Type::DOUBLE; return;
      case Id::String:
      case Id::LargeString:
        e.type = Type::BYTE_ARRAY;
        e.logicalType.emplace().STRING.emplace();
        e.converted_type = ConvertedType::UTF8;
        return;
      case Id::Binary:
      case Id::LargeBinary:
        e.type = Type::BYTE_ARRAY;
        if (const std::string* ext = metadata_value(f, "ARROW:extension:name"); ext && *ext == "geoarrow.wkb") {
          const std::string* meta = metadata_value(f, "ARROW:extension:metadata");
          std::optional<std::string> crs = meta ? geo_crs(*meta) : std::nullopt;
          if (crs && *crs == "OGC:CRS84") crs.reset();  // the default, left unsaid
          if (meta && meta->find("\"edges\":\"spherical\"") != std::string::npos) {
            format::GeographyType g;
            g.crs = crs;
            e.logicalType.emplace().GEOGRAPHY = g;
          } else {
            format::GeometryType g;
            g.crs = crs;
            e.logicalType.emplace().GEOMETRY = g;
          }
        }
        return;
      case Id::FixedSizeBinary:
        e.type = Type::FIXED_LEN_BYTE_ARRAY;
        e.type_length = t.byte_width();
        if (const std::string* ext = metadata_value(f, "ARROW:extension:name");
            ext && *ext == "arrow.uuid" && t.byte_width() == 16) {
          e.logicalType.emplace().UUID.emplace();
        }
        return;
      case Id::Date32:
        e.type = Type::INT32;
        e.logicalType.emplace().DATE.emplace();
        e.converted_type = ConvertedType::DATE;
        return;
      case Id::Time32:
      case Id::Time64: {
        // Arrow's times are wall-clock times without a zone: isAdjustedToUTC=false, and so
        // no legacy TIME_MILLIS / TIME_MICROS, which mean UTC-adjusted (DuckDB reads those
        // as TIME WITH TIME ZONE).
        const TimeUnit unit = t.unit() == TimeUnit::Second ? TimeUnit::Milli : t.unit();
        e.type = unit == TimeUnit::Milli ? Type::INT32 : Type::INT64;
        auto& tt = e.logicalType.emplace().TIME.emplace();
        tt.isAdjustedToUTC = false;
        tt.unit = unit_of(unit);
        return;
      }
      case Id::Timestamp: {
        if (o_.int96_timestamps) {
          e.type = Type::INT96;  // no annotation: INT96 is a timestamp by convention
          return;
        }
        const TimeUnit unit = stored_timestamp_unit(t.unit(), o_);
        const bool utc = !t.timezone().empty();
        e.type = Type::INT64;
        auto& ts = e.logicalType.emplace().TIMESTAMP.emplace();
        ts.isAdjustedToUTC = utc;
        ts.unit = unit_of(unit);
        // The legacy annotations mean UTC-adjusted instants (LogicalTypes.md, Timestamp).
        if (utc && unit == TimeUnit::Milli) e.converted_type = ConvertedType::TIMESTAMP_MILLIS;
        if (utc && unit == TimeUnit::Micro) e.converted_type = ConvertedType::TIMESTAMP_MICROS;
        return;
      }
      case Id::Decimal128:
      case Id::Decimal256: {
        const int32_t p = t.precision();
        if (p < 1 || p > 76 || t.scale() < 0 || t.scale() > p) {
          throw Error(ErrorKind::Unsupported, "field '" + path + "' is " + t.to_string() +
                                                  ", which Parquet cannot store (precision 1..76, scale 0..precision)");
        }
        if (p <= 9 && o_.decimals_as_integers) e.type = Type::INT32;
        else if (p <= 18 && o_.decimals_as_integers) e.type = Type::INT64;
        else {
          e.type = Type::FIXED_LEN_BYTE_ARRAY;
          e.type_length = decimal_byte_width(p);
        }
        auto& d = e.logicalType.emplace().DECIMAL.emplace();
        d.precision = p;
        d.scale = t.scale();
        e.precision = p;
        e.scale = t.scale();
        e.converted_type = ConvertedType::DECIMAL;
        return;
      }
      case Id::IntervalMonthDayNano:
        // The legacy INTERVAL: months, days and milliseconds as three little-endian uint32.
        e.type = Type::FIXED_LEN_BYTE_ARRAY;
        e.type_length = 12;
        e.converted_type = ConvertedType::INTERVAL;
        return;
      default:
        throw Error(ErrorKind::Unsupported,
                    "field '" + path + "' has type " + t.to_string() + ", which parkett cannot write");
    }
  }

  const ParquetSchemaOptions& o_;
};

}  // namespace

bool is_variant_field(const Field& field) {
  const std::string* ext = metadata_value(field, "ARROW:extension:name");
  if (!ext || *ext != "arrow.parquet.variant") return false;
  const DataType& t = field.type;
  return t.id() == Id::Struct && t.children().size() == 2 && t.children()[0].name == "metadata" &&
         t.children()[1].name == "value";
}

int32_t decimal_byte_width(int32_t precision) {
  // The fewest bytes whose signed range holds 10^precision - 1.
  int32_t bytes = 1;
  long double max = 127.0L;
  long double needed = 1.0L;
  for (int32_t i = 0; i < precision; ++i) needed *= 10.0L;
  while (max < needed - 1.0L) {
    ++bytes;
    max = max * 256.0L + 255.0L;
  }
  return bytes;
}

namespace {

// A field renamed (or sanitized) onto the name of a sibling would make two columns of one
// name that no reader can tell apart: refused. Names that were equal already are kept.
void check_renamed_siblings(const std::vector<Field>& before, const std::vector<Field>& after, const std::string& parent) {
  std::unordered_map<std::string_view, size_t> uses;
  for (const Field& f : after) ++uses[f.name];
  for (size_t i = 0; i < after.size(); ++i) {
    if (after[i].name == before[i].name || uses[after[i].name] < 2) continue;
    for (size_t j = 0; j < after.size(); ++j) {
      if (j != i && after[j].name == after[i].name) {
        const std::string at = parent.empty() ? "" : " in '" + parent + "'";
        throw Error(ErrorKind::InvalidArgument, "renaming '" + before[i].name + "' to '" + after[i].name + "'" + at +
                                                    " gives two fields that name (the other is '" + before[j].name + "')");
      }
    }
  }
}

// `f` (at Arrow path `path`) with its renamed or sanitized name, children included; `used`
// collects the rename keys that named a field.
Field renamed_field(const Field& f, const std::string& path, bool top_level, const ParquetSchemaOptions& o,
                    std::set<std::string>& used) {
  Field out = f;
  if (auto r = o.rename.find(path); r != o.rename.end()) {
    out.name = r->second;
    used.insert(path);
  }
  if (o.sanitize_names && top_level) out.name = sanitized(out.name);  // as pyarrow's flavor='spark'
  auto child = [&](const Field& c) { return renamed_field(c, path + "." + c.name, false, o, used); };
  const DataType& t = f.type;
  if (t.id() == Id::Struct) {
    std::vector<Field> children;
    for (const Field& c : t.children()) children.push_back(child(c));
    check_renamed_siblings(t.children(), children, path);
    out.type = DataType::structure(std::move(children));
  } else if (t.id() == Id::List || t.id() == Id::LargeList) {
    out.type = DataType::list(child(t.children().at(0)), t.id() == Id::LargeList);
  } else if (t.id() == Id::Map) {
    const auto& entries = t.children().at(0).type.children();
    out.type = DataType::map(child(entries.at(0)), child(entries.at(1)), t.keys_sorted());
  }
  return out;
}

}  // namespace

Schema with_parquet_names(const Schema& schema, const ParquetSchemaOptions& options) {
  if (options.rename.empty() && !options.sanitize_names) return schema;
  Schema out = schema;
  std::set<std::string> used;
  for (Field& f : out.fields) f = renamed_field(f, f.name, true, options, used);
  check_renamed_siblings(schema.fields, out.fields, "");
  for (const auto& [from, to] : options.rename) {
    if (!used.count(from)) throw Error(ErrorKind::InvalidArgument, "rename names '" + from + "', which is no field");
    if (to.empty()) throw Error(ErrorKind::InvalidArgument, "rename gives '" + from + "' an empty name");
  }
  return out;
}

TimeUnit stored_timestamp_unit(TimeUnit unit, const ParquetSchemaOptions& o) {
  if (o.coerce_timestamps) return *o.coerce_timestamps;
  if (unit == TimeUnit::Second) return TimeUnit::Milli;
  if (unit == TimeUnit::Nano && o.version != FormatVersion::V2_6) return TimeUnit::Micro;
  return unit;
}

std::vector<format::SchemaElement> to_parquet_schema(const Schema& schema, const ParquetSchemaOptions& options) {
  if (options.coerce_timestamps && (*options.coerce_timestamps == TimeUnit::Second ||
                                    (*options.coerce_timestamps == TimeUnit::Nano && options.version != FormatVersion::V2_6))) {
    throw Error(ErrorKind::InvalidArgument, "timestamps can be coerced to milliseconds or microseconds (nanoseconds in format 2.6)");
  }
  Builder b(options);
  format::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.fields.size());
  b.elements.push_back(root);
  for (const Field& f : with_parquet_names(schema, options).fields) b.field(f, f.name);
  return std::move(b.elements);
}

}  // namespace parkett::schema

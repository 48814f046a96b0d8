// Names of the public enums and of logical types.
#include "parkett/types.h"

#include <cctype>

namespace parkett {
namespace {

std::string unknown(int32_t v) { return "UNKNOWN(" + std::to_string(v) + ")"; }

template <size_t N>
std::string name_of(const char* const (&names)[N], int32_t v) {
  if (v >= 0 && static_cast<size_t>(v) < N && names[v][0] != '\0') return names[v];
  return unknown(v);
}

}  // namespace

std::string to_string(PhysicalType v) {
  static const char* const kNames[] = {"BOOLEAN", "INT32",      "INT64",
                                       "INT96",   "FLOAT",      "DOUBLE",
                                       "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(Encoding v) {
  static const char* const kNames[] = {"PLAIN",
                                       "",  // GROUP_VAR_INT, never used
                                       "PLAIN_DICTIONARY",
                                       "RLE",
                                       "BIT_PACKED",
                                       "DELTA_BINARY_PACKED",
                                       "DELTA_LENGTH_BYTE_ARRAY",
                                       "DELTA_BYTE_ARRAY",
                                       "RLE_DICTIONARY",
                                       "BYTE_STREAM_SPLIT",
                                       "ALP"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(Compression v) {
  static const char* const kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                       "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(PageType v) {
  static const char* const kNames[] = {"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                       "DATA_PAGE_V2"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(ConvertedType v) {
  static const char* const kNames[] = {
      "UTF8",        "MAP",         "MAP_KEY_VALUE",    "LIST",   "ENUM",   "DECIMAL",
      "DATE",        "TIME_MILLIS", "TIME_MICROS",      "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS",
      "UINT_8",      "UINT_16",     "UINT_32",          "UINT_64", "INT_8", "INT_16",
      "INT_32",      "INT_64",      "JSON",             "BSON",   "INTERVAL"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(ColumnOrder v) {
  switch (v) {
    case ColumnOrder::Undefined: return "UNDEFINED";
    case ColumnOrder::TypeDefined: return "TYPE_DEFINED_ORDER";
    case ColumnOrder::Ieee754TotalOrder: return "IEEE_754_TOTAL_ORDER";
    case ColumnOrder::Int96Timestamp: return "INT96_TIMESTAMP_ORDER";
    case ColumnOrder::Unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string to_string(CalendarRebase v) {
  switch (v) {
    case CalendarRebase::Exception: return "EXCEPTION";
    case CalendarRebase::Corrected: return "CORRECTED";
    case CalendarRebase::Legacy: return "LEGACY";
  }
  return "UNKNOWN";
}

std::optional<CalendarRebase> parse_calendar_rebase(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (CalendarRebase m : {CalendarRebase::Exception, CalendarRebase::Corrected, CalendarRebase::Legacy}) {
    if (upper == to_string(m)) return m;
  }
  return std::nullopt;
}

std::string to_string(Repetition v) {
  static const char* const kNames[] = {"required", "optional", "repeated", "vector"};
  return name_of(kNames, static_cast<int32_t>(v));
}

std::string to_string(TimeUnit v) {
  switch (v) {
    case TimeUnit::Second: return "s";
    case TimeUnit::Milli: return "ms";
    case TimeUnit::Micro: return "us";
    case TimeUnit::Nano: return "ns";
  }
  return "?";
}

std::string LogicalType::to_string() const {
  auto bool_str = [](bool b) { return b ? "true" : "false"; };
  auto unit_str = [this] {
    switch (unit) {
      case TimeUnit::Milli: return "milliseconds";
      case TimeUnit::Micro: return "microseconds";
      case TimeUnit::Nano: return "nanoseconds";
      default: return "seconds";
    }
  };
  switch (kind) {
    case Kind::None: return "None";
    case Kind::String: return "String";
    case Kind::Map: return "Map";
    case Kind::List: return "List";
    case Kind::Enum: return "Enum";
    case Kind::Decimal:
      return "Decimal(precision=" + std::to_string(precision) + ", scale=" +
             std::to_string(scale) + ")";
    case Kind::Date: return "Date";
    case Kind::Time:
      return std::string("Time(isAdjustedToUTC=") + bool_str(adjusted_to_utc) +
             ", timeUnit=" + unit_str() + ")";
    case Kind::Timestamp:
      return std::string("Timestamp(isAdjustedToUTC=") + bool_str(adjusted_to_utc) +
             ", timeUnit=" + unit_str() + ")";
    case Kind::Integer:
      return "Int(bitWidth=" + std::to_string(bit_width) + ", isSigned=" + bool_str(is_signed) +
             ")";
    case Kind::Unknown: return "Null";
    case Kind::Json: return "JSON";
    case Kind::Bson: return "BSON";
    case Kind::Uuid: return "UUID";
    case Kind::Float16: return "Float16";
    case Kind::Variant:
      return variant_version ? "Variant(specification_version=" +
                                   std::to_string(*variant_version) + ")"
                             : "Variant";
    case Kind::Geometry: return "Geometry(crs=" + crs.value_or("") + ")";
    case Kind::Geography: {
      static const char* const kAlgorithms[] = {"spherical", "vincenty", "thomas", "andoyer",
                                                "karney"};
      std::string algorithm = "spherical";
      if (edge_algorithm) {
        int32_t a = *edge_algorithm;
        algorithm = a >= 0 && a < 5 ? kAlgorithms[a] : "unknown(" + std::to_string(a) + ")";
      }
      return "Geography(crs=" + crs.value_or("") + ", algorithm=" + algorithm + ")";
    }
    case Kind::Vector: return "Vector";
    case Kind::Unrecognized: return "Unknown";
  }
  return "Unknown";
}

}  // namespace parkett

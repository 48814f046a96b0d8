#include "schema/scalar_json.h"

#include <cstring>

#include "util/json_text.h"
#include "util/value_text.h"

namespace parkett::schema {
namespace {

using K = LogicalType::Kind;
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

std::string integer_json(int64_t v) {
  std::string s = std::to_string(v);
  return v >= -kMaxSafeInteger && v <= kMaxSafeInteger ? s : "\"" + s + "\"";
}

std::string unsigned_json(uint64_t v) {
  std::string s = std::to_string(v);
  return v <= static_cast<uint64_t>(kMaxSafeInteger) ? s : "\"" + s + "\"";
}

std::string quoted(const std::string& s) { return util::json_string(s); }

std::string int_json(const SchemaNode& leaf, int64_t v, bool is64) {
  const LogicalType& lt = leaf.logical_type;
  switch (lt.kind) {
    case K::Integer:
      if (!lt.is_signed) {
        return unsigned_json(is64 ? static_cast<uint64_t>(v)
                                  : static_cast<uint32_t>(static_cast<int32_t>(v)));
      }
      return integer_json(v);
    case K::Date: return quoted(util::format_date(v));
    case K::Time: return quoted(util::format_time(v, lt.unit, lt.adjusted_to_utc));
    case K::Timestamp: return quoted(util::format_timestamp(v, lt.unit, lt.adjusted_to_utc));
    case K::Decimal: return quoted(util::format_decimal(v, lt.scale));
    default: return integer_json(v);
  }
}

uint32_t le32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::string bytes_json(const SchemaNode& leaf, const std::string& b) {
  const LogicalType& lt = leaf.logical_type;
  switch (lt.kind) {
    case K::String:
    case K::Enum:
    case K::Json:
      return quoted(b);
    case K::Decimal: return quoted(util::format_decimal_bytes(b, lt.scale));
    case K::Uuid:
      if (b.size() == 16) {
        std::string hex = util::hex_bytes(b).substr(2);
        return quoted(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                      hex.substr(16, 4) + "-" + hex.substr(20));
      }
      break;
    case K::Float16:
      if (b.size() == 2) {
        uint16_t bits = static_cast<uint16_t>(static_cast<uint8_t>(b[0]) |
                                              (static_cast<uint8_t>(b[1]) << 8));
        std::string s = util::format_float(util::half_to_float(bits));
        return s == "NaN" || s == "Infinity" || s == "-Infinity" ? quoted(s) : s;
      }
      break;
    default:
      break;
  }
  if (leaf.converted_type == ConvertedType::Interval && b.size() == 12) {
    return "{\"months\":" + std::to_string(le32(b.data())) +
           ",\"days\":" + std::to_string(le32(b.data() + 4)) +
           ",\"micros\":" + std::to_string(int64_t{le32(b.data() + 8)} * 1000) + "}";
  }
  return quoted(util::hex_bytes(b));
}

std::string float_json(const std::string& s) {
  return s == "NaN" || s == "Infinity" || s == "-Infinity" ? quoted(s) : s;
}

}  // namespace

std::string scalar_json(const SchemaNode& leaf, const StatValue& value) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int32_t>) {
          return int_json(leaf, v, false);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return int_json(leaf, v, true);
        } else if constexpr (std::is_same_v<T, Int96>) {
          // Julian day in word 2, nanoseconds of the day in words 0-1; rendered at
          // microsecond precision (floor), not UTC-adjusted, as CANONICAL.md says.
          int64_t nanos_of_day = static_cast<int64_t>(v.words[0] |
                                                      (uint64_t{v.words[1]} << 32));
          int64_t days = static_cast<int64_t>(static_cast<int32_t>(v.words[2])) - 2440588;
          __int128 nanos = static_cast<__int128>(days) * 86400000000000LL + nanos_of_day;
          __int128 micros = nanos / 1000 - ((nanos % 1000) < 0 ? 1 : 0);
          if (micros > INT64_MAX || micros < INT64_MIN) return quoted(util::hex_bytes(""));
          return quoted(util::format_timestamp(static_cast<int64_t>(micros), TimeUnit::Micro,
                                               false));
        } else if constexpr (std::is_same_v<T, float>) {
          return float_json(util::format_float(v));
        } else if constexpr (std::is_same_v<T, double>) {
          return float_json(util::format_double(v));
        } else {
          return bytes_json(leaf, v);
        }
      },
      value);
}

}  // namespace parkett::schema

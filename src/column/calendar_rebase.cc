#include "column/calendar_rebase.h"

#include <cstdio>
#include <cstring>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::column {
namespace {

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;
constexpr int64_t kJulianCycleDays = 1461;  // the Julian calendar repeats every 4 years
constexpr int64_t kUnixEpochJulianDay = 2440588;

using util::floor_div;

struct Civil {
  int64_t year, month, day;
};

int64_t gregorian_days(const Civil& c) {
  return util::days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
}

Civil gregorian_civil(int64_t days) {
  int64_t y;
  unsigned m, d;
  util::civil_from_days(days, y, m, d);
  return {y, m, d};
}

// Julian calendar day numbers (since 1970-01-01) through the Julian Day Number, for dates
// from 4713 BC on; earlier ones are moved by whole 4-year cycles into that range.
int64_t julian_days(Civil c) {
  int64_t shift = 0;
  if (c.year < -4700) {
    shift = (-4700 - c.year) / 4 + 1;
    c.year += 4 * shift;
  }
  const int64_t a = (14 - c.month) / 12;
  const int64_t y = c.year + 4800 - a;
  const int64_t m = c.month + 12 * a - 3;
  const int64_t jdn = c.day + (153 * m + 2) / 5 + 365 * y + y / 4 - 32083;
  return jdn - kUnixEpochJulianDay - shift * kJulianCycleDays;
}

Civil julian_civil(int64_t days) {
  int64_t shift = 0;
  int64_t jdn = days + kUnixEpochJulianDay;
  if (jdn < 0) {
    shift = -jdn / kJulianCycleDays + 1;
    jdn += shift * kJulianCycleDays;
  }
  const int64_t c = jdn + 32082;
  const int64_t d = (4 * c + 3) / 1461;
  const int64_t e = c - 1461 * d / 4;
  const int64_t m = (5 * e + 2) / 153;
  const int64_t day = e - (153 * m + 2) / 5 + 1;
  const int64_t month = m + 3 - 12 * (m / 10);
  return {d - 4800 + m / 10 - 4 * shift, month, day};
}

}  // namespace

int64_t julian_to_gregorian_days(int64_t days) {
  if (days >= kLastSwitchDay) return days;
  const Civil c = julian_civil(days);
  // The month's first day, then the day within it: a Julian 29 February the Gregorian
  // year lacks runs on into March.
  return gregorian_days({c.year, c.month, 1}) + c.day - 1;
}

int64_t gregorian_to_julian_days(int64_t days) {
  if (days >= kLastSwitchDay) return days;
  const Civil c = gregorian_civil(days);
  if (c.year == 1582 && c.month == 10 && c.day > 4) return kLastSwitchDay;
  return julian_days(c);
}

int64_t julian_to_gregorian_micros(int64_t micros) {
  const int64_t day = floor_div(micros, kDayMicros);
  return julian_to_gregorian_days(day) * kDayMicros + (micros - day * kDayMicros);
}

int64_t gregorian_to_julian_micros(int64_t micros) {
  const int64_t day = floor_div(micros, kDayMicros);
  return gregorian_to_julian_days(day) * kDayMicros + (micros - day * kDayMicros);
}

std::optional<RebasedValues> rebased_values(const SchemaNode& node) {
  if (!node.physical_type) return std::nullopt;
  const LogicalType& t = node.logical_type;
  const std::optional<ConvertedType> ct = node.converted_type;
  switch (*node.physical_type) {
    case PhysicalType::Int32:
      if (t.kind == LogicalType::Kind::Date || (t.kind == LogicalType::Kind::None && ct == ConvertedType::Date)) {
        return RebasedValues::Days;
      }
      return std::nullopt;
    case PhysicalType::Int64:
      if (t.kind == LogicalType::Kind::Timestamp) {
        if (!t.adjusted_to_utc) return std::nullopt;
        if (t.unit == TimeUnit::Milli) return RebasedValues::Millis;
        if (t.unit == TimeUnit::Micro) return RebasedValues::Micros;
        return std::nullopt;
      }
      // The converted types alone mean UTC-adjusted timestamps (LogicalTypes.md).
      if (t.kind == LogicalType::Kind::None && ct == ConvertedType::TimestampMillis) return RebasedValues::Millis;
      if (t.kind == LogicalType::Kind::None && ct == ConvertedType::TimestampMicros) return RebasedValues::Micros;
      return std::nullopt;
    case PhysicalType::Int96:
      return RebasedValues::Int96;
    default:
      return std::nullopt;
  }
}

namespace {

[[noreturn]] void refuse(const CalendarRule& rule, const std::string& value, bool is_date) {
  const std::string option = rule.values == RebasedValues::Int96 ? "int96_rebase" : "datetime_rebase";
  const std::string what = std::string(is_date ? "the date " : "the timestamp ") + value + " lies before " +
                           (is_date ? "1582-10-15" : "1900-01-01T00:00:00Z") + ", where ";
  if (rule.mode == CalendarRebase::Legacy) {
    throw Error(ErrorKind::Unsupported, what + "rebasing in the time zone '" + rule.zone +
                                            "' the file was written in differs from rebasing in UTC, the only zone "
                                            "parkett rebases in; read it with " + option + " = CORRECTED to take "
                                            "the stored value as it is");
  }
  if (rule.reading) {
    throw Error(ErrorKind::InvalidArgument,
                what + "the hybrid Julian calendar of Spark 2.x and legacy Hive and the proleptic Gregorian one "
                       "differ, and the file does not say which it holds (SPARK-31404); read with " + option +
                       " = LEGACY to rebase such values from the hybrid calendar, or CORRECTED to take them as they are");
  }
  throw Error(ErrorKind::InvalidArgument,
              what + "Spark 2.x and legacy Hive would read it in their hybrid Julian calendar (SPARK-31404); write "
                     "with " + option + " = LEGACY to rebase such values for them, or CORRECTED to write them as they are");
}

// Whole days moved by the calendars, in values of `per_day` units (the time of day kept).
int64_t rebase_ticks(int64_t v, int64_t per_day, bool reading, bool& overflow) {
  const int64_t day = floor_div(v, per_day);
  const int64_t moved = reading ? julian_to_gregorian_days(day) : gregorian_to_julian_days(day);
  int64_t out;
  overflow = __builtin_add_overflow(v, (moved - day) * per_day, &out);
  return out;
}

std::string timestamp_text(int64_t v, TimeUnit unit) { return util::format_timestamp(v, unit, true); }

// A stored day number read both ways, since a reader cannot tell which was meant.
std::string stored_date_text(int64_t days) {
  const Civil j = julian_civil(days);
  char hybrid[48];
  std::snprintf(hybrid, sizeof hybrid, (j.year >= 0 && j.year <= 9999) ? "%04lld-%02lld-%02lld" : "%+05lld-%02lld-%02lld",
                static_cast<long long>(j.year), static_cast<long long>(j.month), static_cast<long long>(j.day));
  return "stored as day " + std::to_string(days) + " (" + util::format_date(days) + " in the proleptic Gregorian calendar, " +
         hybrid + " in the hybrid one)";
}

}  // namespace

void apply_calendar_rule(encoding::ValueBuffer& values, const CalendarRule& rule) {
  if (rule.mode == CalendarRebase::Corrected) return;
  const bool check_only = rule.mode == CalendarRebase::Exception;
  const bool zoned = !rule.zone.empty();
  uint8_t* data = values.fixed.data();
  const size_t width = rule.values == RebasedValues::Days ? 4 : rule.values == RebasedValues::Int96 ? 12 : 8;
  const size_t n = values.fixed.size() / width;
  switch (rule.values) {
    case RebasedValues::Days: {
      for (size_t i = 0; i < n; ++i) {
        int32_t d;
        std::memcpy(&d, data + i * 4, 4);
        if (d >= kLastSwitchDay) continue;
        if (check_only) refuse(rule, rule.reading ? stored_date_text(d) : util::format_date(d), true);
        const int64_t moved = rule.reading ? julian_to_gregorian_days(d) : gregorian_to_julian_days(d);
        if (moved < INT32_MIN) {
          throw Error(ErrorKind::InvalidArgument, "the date " + util::format_date(d) +
                                                      " cannot be rebased: the result leaves the 32-bit day range");
        }
        const auto out = static_cast<int32_t>(moved);
        std::memcpy(data + i * 4, &out, 4);
      }
      return;
    }
    case RebasedValues::Millis:
    case RebasedValues::Micros: {
      const bool millis = rule.values == RebasedValues::Millis;
      const int64_t per_day = millis ? kDayMicros / 1000 : kDayMicros;
      const int64_t threshold = millis ? kLastSwitchMicros / 1000 : kLastSwitchMicros;
      const TimeUnit unit = millis ? TimeUnit::Milli : TimeUnit::Micro;
      for (size_t i = 0; i < n; ++i) {
        int64_t v;
        std::memcpy(&v, data + i * 8, 8);
        if (v >= threshold) continue;
        if (check_only || zoned) refuse(rule, timestamp_text(v, unit), false);
        bool overflow = false;
        const int64_t out = rebase_ticks(v, per_day, rule.reading, overflow);
        if (overflow) {
          throw Error(ErrorKind::InvalidArgument, "the timestamp " + std::to_string(v) + (millis ? " ms" : " us") +
                                                      " cannot be rebased: the result leaves the 64-bit range");
        }
        std::memcpy(data + i * 8, &out, 8);
      }
      return;
    }
    case RebasedValues::Int96: {
      // 8 bytes of nanoseconds in the day, then the Julian day number.
      for (size_t i = 0; i < n; ++i) {
        uint8_t* p = data + i * 12;
        int64_t nanos;
        int32_t julian;
        std::memcpy(&nanos, p, 8);
        std::memcpy(&julian, p + 8, 4);
        const int64_t day = int64_t{julian} - kUnixEpochJulianDay;
        // As Spark decodes it: microseconds, the nanoseconds divided toward zero.
        const __int128 micros = static_cast<__int128>(day) * kDayMicros + nanos / 1000;
        if (micros >= kLastSwitchMicros) continue;
        if (check_only || zoned) {
          const std::string text = micros >= INT64_MIN ? timestamp_text(static_cast<int64_t>(micros), TimeUnit::Micro)
                                                       : "on Julian day " + std::to_string(julian);
          refuse(rule, text, false);
        }
        const int64_t moved = rule.reading ? julian_to_gregorian_days(day) : gregorian_to_julian_days(day);
        const int64_t out = moved + kUnixEpochJulianDay;
        if (out < INT32_MIN || out > INT32_MAX) {
          throw Error(ErrorKind::InvalidArgument, "the INT96 timestamp on Julian day " + std::to_string(julian) +
                                                      " cannot be rebased: the result leaves the 32-bit day range");
        }
        const auto stored = static_cast<int32_t>(out);
        std::memcpy(p + 8, &stored, 4);
      }
      return;
    }
  }
}

}  // namespace parkett::column

#include "column/calendar_rebase.h"

namespace parkett::column {
namespace {

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;
constexpr int64_t kJulianCycleDays = 1461;  // the Julian calendar repeats every 4 years

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
  int64_t year, month, day;
};

// Proleptic Gregorian day numbers (since 1970-01-01) and back: H. Hinnant's algorithms,
// exact for every year.
int64_t gregorian_days(const Civil& c) {
  const int64_t y = c.year - (c.month <= 2);
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (c.month + (c.month > 2 ? -3 : 9)) + 2) / 5 + c.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil gregorian_civil(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2), month, day};
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
  return jdn - 2440588 - shift * kJulianCycleDays;
}

Civil julian_civil(int64_t days) {
  int64_t shift = 0;
  int64_t jdn = days + 2440588;
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

}  // namespace parkett::column

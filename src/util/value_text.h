// Text forms of values, by the rules of the canonical dump (shared/peers/CANONICAL.md):
// numbers as ECMAScript prints them, dates, times, timestamps, decimals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parkett/types.h"

namespace parkett::util {

/// Shortest round-trip digits laid out as ECMAScript Number.prototype.toString
/// ("0.1", "1e+21", "-0"); NaN and infinities as "NaN", "Infinity", "-Infinity".
/// 1, 1000, 10^6 or 10^9.
int64_t units_per_second(TimeUnit unit);

std::string format_double(double v);
/// The same for a 32-bit float: the shortest decimal that round-trips to the float.
std::string format_float(float v);
/// IEEE half-precision bits widened to float (exact).
float half_to_float(uint16_t bits);

/// a / b rounded toward negative infinity (b != 0).
int64_t floor_div(int64_t a, int64_t b);

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H. Hinnant's
/// days_from_civil; years before 1 count down through 0).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
/// The reverse: the proleptic Gregorian year (astronomical: 0 is 1 BC), month and day.
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);
/// Whether year-month-day is a date of that calendar (February 29 only in leap years).
bool valid_date(int64_t year, int64_t month, int64_t day);

/// YYYY-MM-DD (a date that exists) as days since 1970-01-01.
bool parse_date(std::string_view s, int32_t& days);

/// YYYY-MM-DD[(T| )HH:MM:SS[.fraction]][Z|+hh:mm|-hh:mm] as `unit`s since the epoch (a date
/// alone is its midnight; with a zone, converted to UTC and `zoned` set). False when
/// malformed, out of range, or when the fraction is finer than `unit` (never truncated).
bool parse_timestamp(std::string_view s, TimeUnit unit, int64_t& value, bool& zoned);

/// Days since 1970-01-01 as "YYYY-MM-DD" (years outside 0..9999 as +YYYYY / -YYYY).
std::string format_date(int64_t days);
/// A timestamp in `unit` since the epoch: "YYYY-MM-DDTHH:MM:SS.ffffff" (9 digits for
/// nanoseconds), with "Z" when `utc`.
std::string format_timestamp(int64_t value, TimeUnit unit, bool utc);
/// Time of day in `unit`: "HH:MM:SS.ffffff" (9 digits for nanoseconds), "Z" when `utc`.
/// A value outside 0..24h (real files hold them) is the signed elapsed time it stores, as
/// Arrow C++ prints it: -1 ms is "-00:00:00.001000", 25 h is "25:00:00.000000".
std::string format_time(int64_t value, TimeUnit unit, bool utc);

/// A big-endian two's complement integer of any length, divided by 10^scale, as a decimal
/// string with exactly `scale` fraction digits ("-0.05", "7").
std::string format_decimal_bytes(std::string_view big_endian, int32_t scale);
std::string format_decimal(int64_t unscaled, int32_t scale);
/// Decimal text ("-12.340", "7": an optional '-', digits, at most one '.') as its unscaled
/// value at `scale`; false when malformed, when a non-zero digit lies beyond `scale`
/// fraction digits (never rounded), or when it does not fit 128 bits.
bool parse_decimal(std::string_view s, int32_t scale, __int128& unscaled);

}  // namespace parkett::util

#include "util/value_text.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace parkett::util {

int64_t units_per_second(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::Second: return 1;
    case TimeUnit::Milli: return 1000;
    case TimeUnit::Micro: return 1000000;
    case TimeUnit::Nano: return 1000000000;
  }
  return 1;
}

namespace {

// Lays out shortest digits per ECMAScript Number::toString (CANONICAL.md).
template <class F>
std::string format_number(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp10 = std::stoi(std::string(sci.substr(e + 1)));
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.d1..dk * 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

void append_padded(std::string& out, int64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) out.append(static_cast<size_t>(width) - s.size(), '0');
  out += s;
}

// Fraction digits: 9 for nanoseconds, 6 for everything coarser (CANONICAL.md).
void append_fraction(std::string& out, int64_t sub, TimeUnit unit) {
  out.push_back('.');
  if (unit == TimeUnit::Nano) {
    append_padded(out, sub, 9);
  } else {
    append_padded(out, sub * (1000000 / units_per_second(unit)), 6);
  }
}

}  // namespace

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Civil date from days since 1970-01-01 (proleptic Gregorian; the era-based algorithm
// published by H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

std::string format_double(double v) { return format_number(v); }
std::string format_float(float v) { return format_number(v); }

float half_to_float(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  float f;
  if (exp == 0) {
    f = std::ldexp(static_cast<float>(mant), -24);
    if (sign) f = -f;
    return f;
  }
  uint32_t bits;
  if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string format_date(int64_t days) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::string out;
  if (y < 0) {
    out.push_back('-');
    append_padded(out, -y, 4);
  } else if (y > 9999) {
    out.push_back('+');
    append_padded(out, y, 5);
  } else {
    append_padded(out, y, 4);
  }
  out.push_back('-');
  append_padded(out, m, 2);
  out.push_back('-');
  append_padded(out, d, 2);
  return out;
}

std::string format_timestamp(int64_t value, TimeUnit unit, bool utc) {
  const int64_t per_second = units_per_second(unit);
  const int64_t per_day = per_second * 86400;
  int64_t days = floor_div(value, per_day);
  int64_t in_day = value - days * per_day;  // non-negative
  std::string out = format_date(days);
  out.push_back('T');
  out += format_time(in_day, unit, false);
  if (utc) out.push_back('Z');
  return out;
}

std::string format_time(int64_t value, TimeUnit unit, bool utc) {
  // Values outside a day are printed as the signed elapsed time they hold, as Arrow C++
  // prints them (date's hh_mm_ss): no wrapping, so nothing is lost.
  const auto per_second = static_cast<uint64_t>(units_per_second(unit));
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  const uint64_t secs = magnitude / per_second;
  std::string out;
  if (value < 0) out.push_back('-');
  append_padded(out, static_cast<int64_t>(secs / 3600), 2);
  out.push_back(':');
  append_padded(out, static_cast<int64_t>((secs / 60) % 60), 2);
  out.push_back(':');
  append_padded(out, static_cast<int64_t>(secs % 60), 2);
  append_fraction(out, static_cast<int64_t>(magnitude % per_second), unit);
  if (utc) out.push_back('Z');
  return out;
}

std::string format_decimal_bytes(std::string_view be, int32_t scale) {
  // Magnitude of the two's complement value, as big-endian bytes.
  std::vector<uint8_t> mag(be.begin(), be.end());
  bool negative = !mag.empty() && (mag[0] & 0x80);
  if (negative) {
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  // Repeated division by 10 gives the decimal digits, least significant first.
  std::string digits;
  size_t start = 0;
  while (true) {
    while (start < mag.size() && mag[start] == 0) ++start;
    if (start == mag.size()) break;
    unsigned rem = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      unsigned cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
    }
    digits.push_back(static_cast<char>('0' + rem));
  }
  if (scale < 0) scale = 0;
  while (digits.size() <= static_cast<size_t>(scale)) digits.push_back('0');
  std::string out = negative ? "-" : "";
  for (size_t i = digits.size(); i-- > static_cast<size_t>(scale);) out.push_back(digits[i]);
  if (scale > 0) {
    out.push_back('.');
    for (size_t i = static_cast<size_t>(scale); i-- > 0;) out.push_back(digits[i]);
  }
  return out;
}

std::string format_decimal(int64_t unscaled, int32_t scale) {
  char be[8];
  auto u = static_cast<uint64_t>(unscaled);
  for (int i = 7; i >= 0; --i) {
    be[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  return format_decimal_bytes(std::string_view(be, 8), scale);
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool valid_date(int64_t year, int64_t month, int64_t day) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

namespace {

bool digits(std::string_view s, size_t at, size_t n, int64_t& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

bool parse_date(std::string_view s, int32_t& days) {
  int64_t y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
      !digits(s, 8, 2, d) || !valid_date(y, m, d)) {
    return false;
  }
  days = static_cast<int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

bool parse_timestamp(std::string_view s, TimeUnit unit, int64_t& value, bool& zoned) {
  int32_t day;
  zoned = false;
  if (s.size() < 10 || !parse_date(s.substr(0, 10), day)) return false;
  int64_t h = 0, mi = 0, sec = 0, fraction_ns = 0, offset_minutes = 0;
  if (s.size() > 10) {
    if (s.size() < 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' || !digits(s, 11, 2, h) ||
        !digits(s, 14, 2, mi) || !digits(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 60) {
      return false;
    }
    size_t at = 19;
    if (at < s.size() && s[at] == '.') {
      size_t n = 0;
      for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++n) {
        if (n < 9) fraction_ns = fraction_ns * 10 + (s[at] - '0');
        else if (s[at] != '0') return false;  // finer than nanoseconds
      }
      if (n == 0) return false;
      for (; n < 9; ++n) fraction_ns *= 10;
    }
    if (at < s.size()) {
      if (s[at] == 'Z' && at + 1 == s.size()) {
        zoned = true;
      } else if ((s[at] == '+' || s[at] == '-') && s.size() == at + 6 && s[at + 3] == ':') {
        int64_t oh, om;
        if (!digits(s, at + 1, 2, oh) || !digits(s, at + 4, 2, om)) return false;
        offset_minutes = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
        zoned = true;
      } else {
        return false;
      }
    }
  }
  const int64_t per_s = units_per_second(unit), ns_per_unit = 1000000000 / per_s;
  if (fraction_ns % ns_per_unit != 0) return false;
  const int64_t seconds = int64_t{day} * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  int64_t scaled;
  if (__builtin_mul_overflow(seconds, per_s, &scaled) || __builtin_add_overflow(scaled, fraction_ns / ns_per_unit, &value)) {
    return false;
  }
  return true;
}

bool parse_decimal(std::string_view s, int32_t scale, __int128& unscaled) {
  constexpr __int128 kMax = (static_cast<__int128>(INT64_MAX) << 64) | static_cast<__int128>(UINT64_MAX);
  size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  __int128 v = 0;
  int32_t fraction = -1;  // digits after the point so far; -1 before it
  bool digits = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && fraction < 0) {
      fraction = 0;
      continue;
    }
    if (c < '0' || c > '9') return false;
    digits = true;
    const int d = c - '0';
    if (fraction >= 0 && fraction >= scale) {
      if (d != 0) return false;  // a digit the scale cannot hold
      continue;
    }
    if (v > (kMax - d) / 10) return false;
    v = v * 10 + d;
    if (fraction >= 0) ++fraction;
  }
  if (!digits) return false;
  for (int32_t f = std::max(fraction, 0); f < scale; ++f) {
    if (v > kMax / 10) return false;
    v *= 10;
  }
  unscaled = negative ? -v : v;
  return true;
}

}  // namespace parkett::util

#include "convert/text_values.h"

#include <cctype>
#include <cstring>

#include "util/value_text.h"

namespace parkett::convert {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool digits(std::string_view s, size_t at, size_t n, int64_t& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

using util::units_per_second;

}  // namespace

bool parse_bool(std::string_view s, bool& out) {
  auto eq = [&](const char* w) {
    if (s.size() != std::strlen(w)) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(s[i])) != w[i]) return false;
    }
    return true;
  };
  if (eq("true")) return out = true, true;
  if (eq("false")) return out = false, true;
  return false;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (s[0] == '+') ++b;
  const auto r = std::from_chars(b, s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_date(std::string_view s, int32_t& days) {
  int64_t y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d) ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return false;
  }
  days = static_cast<int32_t>(days_from_civil(y, m, d));
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

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool is_integer_text(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

size_t invalid_utf8_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629).
    const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace parkett::convert

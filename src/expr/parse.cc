// Expression::parse: SQL-like filter text, by recursive descent.
//   or        := and (OR and)*
//   and       := not (AND not)*
//   not       := NOT not | primary
//   primary   := '(' or ')' | operand [test]
//   test      := cmp operand | [NOT] BETWEEN literal AND literal | [NOT] IN '(' literal, ... ')'
//              | IS [NOT] NULL | [NOT] LIKE 'prefix%'
//   operand   := column | literal        (one side of a comparison is a column)
// A bare column is `column = TRUE` (for `WHERE flag`, `NOT flag`).
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "parkett/error.h"
#include "parkett/expression.h"
#include "util/value_text.h"

namespace parkett {
namespace {

using Op = Expression::Op;

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}
  static constexpr int kMaxFilterDepth = 1000;

  Expression parse() {
    Expression e = parse_or();
    skip_space();
    if (pos_ < s_.size()) fail("expected AND, OR or the end");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& what, size_t at = std::string::npos) const {
    if (at == std::string::npos) at = pos_;
    std::string found = at < s_.size() ? "'" + s_.substr(at, 12) + (s_.size() - at > 12 ? "...'" : "'") : "the end";
    throw Error(ErrorKind::InvalidArgument,
                "filter: at character " + std::to_string(at + 1) + ": " + what + ", found " + found + "\n  " + s_ + "\n  " +
                    std::string(at, ' ') + "^");
  }

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  // The keyword `word` (any case, not followed by a name character) is next: consume it.
  bool keyword(const char* word) {
    skip_space();
    size_t n = 0;
    while (word[n]) {
      if (pos_ + n >= s_.size() || std::toupper(static_cast<unsigned char>(s_[pos_ + n])) != word[n]) return false;
      ++n;
    }
    if (pos_ + n < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_ + n])) || s_[pos_ + n] == '_')) return false;
    pos_ += n;
    return true;
  }

  bool symbol(const char* sym) {
    skip_space();
    const std::string_view v(sym);
    if (s_.compare(pos_, v.size(), v) != 0) return false;
    pos_ += v.size();
    return true;
  }

  void expect(const char* sym, const char* what) {
    if (!symbol(sym)) fail(std::string("expected ") + what);
  }

  // The depth of the expression just parsed (a comparison: 1, an operator: one more than
  // its deepest operand), capped: evaluating, pruning and printing recurse that deep.
  void deepen(int depth, size_t at) {
    if (depth > kMaxFilterDepth) fail("a filter nested deeper than " + std::to_string(kMaxFilterDepth) + " levels", at);
    depth_ = depth;
  }

  Expression parse_or() {
    Expression e = parse_and();
    int depth = depth_;
    while (keyword("OR")) {
      const size_t at = pos_;
      e = e || parse_and();
      deepen(std::max(depth, depth_) + 1, at);
      depth = depth_;
    }
    return e;
  }

  Expression parse_and() {
    Expression e = parse_not();
    int depth = depth_;
    while (keyword("AND")) {
      const size_t at = pos_;
      e = e && parse_not();
      deepen(std::max(depth, depth_) + 1, at);
      depth = depth_;
    }
    return e;
  }

  Expression parse_not() {
    const size_t at = pos_;
    if (keyword("NOT")) {
      // The parser's own recursion is bounded before it goes deeper.
      if (++nesting_ > kMaxFilterDepth) fail("a filter nested deeper than " + std::to_string(kMaxFilterDepth) + " levels", at);
      Expression e = !parse_not();
      --nesting_;
      deepen(depth_ + 1, at);
      return e;
    }
    return parse_primary();
  }

  // An operand: a column (std::nullopt literal) or a literal.
  struct Operand {
    bool is_column = false;
    std::vector<std::string> path;
    Literal literal;
    size_t at = 0;
  };

  Expression parse_primary() {
    skip_space();
    if (symbol("(")) {
      if (++nesting_ > kMaxFilterDepth) fail("a filter nested deeper than " + std::to_string(kMaxFilterDepth) + " levels");
      Expression e = parse_or();
      --nesting_;
      expect(")", "')'");
      return e;
    }
    depth_ = 2;  // a comparison (BETWEEN: two under an AND)
    const Operand left = parse_operand();
    skip_space();
    // Comparisons first: they may have the column on either side.
    static const std::pair<const char*, Op> kOps[] = {{"<=", Op::LessEqual}, {">=", Op::GreaterEqual}, {"<>", Op::NotEqual},
                                                      {"!=", Op::NotEqual},  {"=", Op::Equal},         {"<", Op::Less},
                                                      {">", Op::Greater}};
    for (const auto& [text, op] : kOps) {
      if (!symbol(text)) continue;
      const Operand right = parse_operand();
      if (left.is_column == right.is_column) {
        fail(left.is_column ? "a comparison of two columns is not supported; compare a column with a value"
                            : "a comparison needs a column on one side",
             left.at);
      }
      const Expression c = col(left.is_column ? left.path : right.path);
      const Literal& v = left.is_column ? right.literal : left.literal;
      Op o = op;
      if (!left.is_column) {  // 5 < x is x > 5
        if (o == Op::Less) o = Op::Greater;
        else if (o == Op::Greater) o = Op::Less;
        else if (o == Op::LessEqual) o = Op::GreaterEqual;
        else if (o == Op::GreaterEqual) o = Op::LessEqual;
      }
      switch (o) {
        case Op::Equal: return c == v;
        case Op::NotEqual: return c != v;
        case Op::Less: return c < v;
        case Op::LessEqual: return c <= v;
        case Op::Greater: return c > v;
        default: return c >= v;
      }
    }
    if (!left.is_column) fail("expected a comparison after a value", left.at);
    const Expression c = col(left.path);
    if (keyword("IS")) {
      const bool negated = keyword("NOT");
      if (!keyword("NULL")) fail("expected NULL");
      return negated ? c.is_not_null() : c.is_null();
    }
    const bool negated = keyword("NOT");
    Expression e;
    if (keyword("BETWEEN")) {
      const Literal low = parse_literal();
      if (!keyword("AND")) fail("expected AND of BETWEEN");
      e = c.between(low, parse_literal());
    } else if (keyword("IN")) {
      expect("(", "'(' after IN");
      std::vector<Literal> values{parse_literal()};
      while (symbol(",")) values.push_back(parse_literal());
      expect(")", "',' or ')'");
      e = c.is_in(std::move(values));
    } else if (keyword("LIKE")) {
      e = like(c);
    } else if (negated) {
      fail("expected BETWEEN, IN or LIKE after NOT");
    } else {
      return c == Literal(true);  // a boolean column on its own
    }
    return negated ? !e : e;
  }

  // LIKE 'prefix%' (escape with \): starts_with; a pattern without wildcards: equality.
  Expression like(const Expression& c) {
    skip_space();
    const size_t at = pos_;
    const Literal p = parse_literal();
    if (p.kind != Literal::Kind::String) fail("expected a string pattern after LIKE", at);
    std::string prefix;
    bool wildcard_at_end = false;
    for (size_t i = 0; i < p.text.size(); ++i) {
      const char ch = p.text[i];
      if (ch == '\\' && i + 1 < p.text.size()) {
        prefix += p.text[++i];
      } else if (ch == '%' && i + 1 == p.text.size()) {
        wildcard_at_end = true;
      } else if (ch == '%' || ch == '_') {
        throw Error(ErrorKind::Unsupported, "filter: at character " + std::to_string(at + 1) +
                                                ": LIKE supports prefix patterns ('abc%') only");
      } else {
        prefix += ch;
      }
    }
    return wildcard_at_end ? c.starts_with(prefix) : c == Literal(prefix);
  }

  Operand parse_operand() {
    skip_space();
    Operand o;
    o.at = pos_;
    if (pos_ < s_.size() && (s_[pos_] == '"' || std::isalpha(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
      // Keywords that start literals.
      const size_t save = pos_;
      for (const char* k : {"TRUE", "FALSE", "NULL", "DATE", "TIME", "TIMESTAMP", "X"}) {
        pos_ = save;
        if (std::string_view(k) == "X") {
          if (pos_ + 1 < s_.size() && (s_[pos_] == 'X' || s_[pos_] == 'x') && s_[pos_ + 1] == '\'') {
            o.literal = parse_literal();
            return o;
          }
          continue;
        }
        if (keyword(k)) {
          pos_ = save;
          o.literal = parse_literal();
          return o;
        }
      }
      pos_ = save;
      o.is_column = true;
      o.path.push_back(name());
      while (true) {
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == '.') {
          ++pos_;
          skip_space();
          o.path.push_back(name());
        } else {
          break;
        }
      }
      return o;
    }
    o.literal = parse_literal();
    return o;
  }

  std::string name() {
    if (pos_ < s_.size() && s_[pos_] == '"') return delimited('"', "expected the closing '\"' of a name");
    const size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    if (pos_ == start) fail("expected a column name");
    return s_.substr(start, pos_ - start);
  }

  std::string quoted() {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != '\'') fail("expected a quoted string");
    return delimited('\'', "expected the closing quote of a string");
  }

  // Text between `quote`s from pos_ (at the opening one); a doubled quote stands for one.
  std::string delimited(char quote, const char* unclosed) {
    std::string out;
    ++pos_;
    while (true) {
      if (pos_ >= s_.size()) fail(unclosed);
      if (s_[pos_] == quote) {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == quote) {
          out += quote;
          pos_ += 2;
          continue;
        }
        ++pos_;
        return out;
      }
      out += s_[pos_++];
    }
  }

  // Three numbers of at most `max_digits` digits, separated by `sep`, from t[i].
  void three_numbers(const std::string& t, size_t& i, size_t at, char sep, size_t max_digits, const char* what,
                     int64_t (&parts)[3]) {
    for (int p = 0; p < 3; ++p) {
      parts[p] = 0;
      const size_t start = i;
      while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && i - start < max_digits) {
        parts[p] = parts[p] * 10 + (t[i++] - '0');
      }
      if (i == start) fail(what, at);
      if (p < 2) {
        if (i >= t.size() || t[i] != sep) fail(what, at);
        ++i;
      }
    }
  }

  // Parses "YYYY-MM-DD" at the start of `t` (from `at` in the text); returns days.
  int64_t date_of(const std::string& t, size_t& i, size_t at) {
    int64_t parts[3];
    const bool negative = i < t.size() && t[i] == '-';
    if (negative || (i < t.size() && t[i] == '+')) ++i;  // years outside 0..9999 are signed
    three_numbers(t, i, at, '-', 9, "expected a date as YYYY-MM-DD", parts);
    const int64_t year = negative ? -parts[0] : parts[0];
    if (!util::valid_date(year, parts[1], parts[2])) fail("expected a valid month and day", at);
    return util::days_from_civil(year, static_cast<unsigned>(parts[1]), static_cast<unsigned>(parts[2]));
  }

  // "HH:MM:SS[.fraction]" from t[i]; returns nanoseconds; `digits`: fraction digits seen.
  // 24:00:00 (the end of a day, which TIME columns may hold) only with `end_of_day`.
  int64_t time_of(const std::string& t, size_t& i, size_t at, int& digits, bool end_of_day) {
    int64_t parts[3];
    three_numbers(t, i, at, ':', 2, "expected a time as HH:MM:SS", parts);
    if (parts[0] > (end_of_day ? 24 : 23) || parts[1] > 59 || parts[2] > 59) {
      fail("expected a valid time of day", at);
    }
    int64_t nanos = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000000000;
    digits = 0;
    if (i < t.size() && t[i] == '.') {
      ++i;
      int64_t scale = 100000000;
      while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
        if (digits == 9) fail("expected at most 9 fraction digits", at);
        nanos += (t[i++] - '0') * scale;
        scale /= 10;
        ++digits;
      }
    }
    // Hour 24 only as 24:00:00 exactly (an all-zero fraction, as TIME literals print, is fine).
    constexpr int64_t kDay = int64_t{86400} * 1000000000;
    if (parts[0] == 24 && nanos != kDay) fail("expected a valid time of day", at);
    return nanos;
  }

  Literal parse_literal() {
    skip_space();
    const size_t at = pos_;
    if (keyword("NULL")) return Literal();
    if (keyword("TRUE")) return Literal(true);
    if (keyword("FALSE")) return Literal(false);
    if (keyword("DATE")) {
      const std::string t = quoted();
      size_t i = 0;
      const int64_t days = date_of(t, i, at);
      if (i != t.size()) fail("expected a date as YYYY-MM-DD", at);
      if (days < INT32_MIN || days > INT32_MAX) fail("a date must lie within 5.8 million years of 1970", at);
      return Literal::date(static_cast<int32_t>(days));
    }
    if (keyword("TIMESTAMP")) {
      const std::string t = quoted();
      size_t i = 0;
      const int64_t days = date_of(t, i, at);
      int64_t nanos = 0;
      int digits = 0;
      if (i < t.size() && (t[i] == ' ' || t[i] == 'T')) {
        ++i;
        nanos = time_of(t, i, at, digits, false);
      }
      bool utc = false;
      if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
        utc = true;
        ++i;
      } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
        // +HH:MM: an instant, moved to UTC.
        const int64_t sign = t[i] == '-' ? -1 : 1;
        if (i + 6 != t.size() || t[i + 3] != ':' || !std::isdigit(static_cast<unsigned char>(t[i + 1])) ||
            !std::isdigit(static_cast<unsigned char>(t[i + 2])) || !std::isdigit(static_cast<unsigned char>(t[i + 4])) ||
            !std::isdigit(static_cast<unsigned char>(t[i + 5]))) {
          fail("expected a zone offset as +HH:MM", at);
        }
        const int64_t hours = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
        const int64_t minutes_past = (t[i + 4] - '0') * 10 + (t[i + 5] - '0');
        if (hours > 23 || minutes_past > 59) fail("expected a zone offset as +HH:MM", at);
        const int64_t minutes = hours * 60 + minutes_past;
        nanos -= sign * minutes * 60 * 1000000000;
        utc = true;
        i += 6;
      }
      if (i != t.size()) fail("expected a timestamp as 'YYYY-MM-DD HH:MM:SS[.fraction][Z]'", at);
      const __int128 total = static_cast<__int128>(days) * 86400 * 1000000000 + nanos;
      if (digits <= 6) {
        const __int128 micros = total / 1000;
        if (micros > INT64_MAX || micros < INT64_MIN) fail("a timestamp must lie within 290,000 years of 1970", at);
        return Literal::timestamp(static_cast<int64_t>(micros), TimeUnit::Micro, utc);
      }
      if (total > INT64_MAX || total < INT64_MIN) fail("a timestamp with nanoseconds must lie in 1677..2262", at);
      return Literal::timestamp(static_cast<int64_t>(total), TimeUnit::Nano, utc);
    }
    if (keyword("TIME")) {
      const std::string t = quoted();
      size_t i = 0;
      int digits = 0;
      const int64_t nanos = time_of(t, i, at, digits, true);
      if (i != t.size()) fail("expected a time as 'HH:MM:SS[.fraction]'", at);
      return Literal::time(nanos, TimeUnit::Nano);
    }
    if (pos_ + 1 < s_.size() && (s_[pos_] == 'X' || s_[pos_] == 'x') && s_[pos_ + 1] == '\'') {
      ++pos_;
      const std::string hex = quoted();
      if (hex.size() % 2) fail("expected an even number of hex digits", at);
      std::string bytes;
      for (size_t i = 0; i < hex.size(); i += 2) {
        auto v = [&](char ch) {
          if (ch >= '0' && ch <= '9') return ch - '0';
          if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
          if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
          fail("expected hex digits", at);
        };
        bytes += static_cast<char>(v(hex[i]) * 16 + v(hex[i + 1]));
      }
      return Literal::binary(std::move(bytes));
    }
    if (pos_ < s_.size() && s_[pos_] == '\'') {
      const std::string text = quoted();
      // 'NaN'::DOUBLE, 'Infinity'::DOUBLE, '-Infinity'::DOUBLE (how to_string prints them,
      // as DuckDB spells them): the floats no number literal writes.
      const size_t cast = pos_;
      if (symbol("::")) {
        if (!keyword("DOUBLE") && !keyword("FLOAT")) fail("expected DOUBLE or FLOAT after '::'", cast);
        if (text == "NaN") return Literal(std::numeric_limits<double>::quiet_NaN());
        if (text == "Infinity") return Literal(std::numeric_limits<double>::infinity());
        if (text == "-Infinity") return Literal(-std::numeric_limits<double>::infinity());
        fail("expected 'NaN', 'Infinity' or '-Infinity' before '::DOUBLE'", at);
      }
      return Literal(text);
    }
    // A number: integer, decimal, or with an exponent a float.
    size_t i = pos_;
    if (i < s_.size() && (s_[i] == '-' || s_[i] == '+')) ++i;
    const size_t digits_start = i;
    while (i < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i])) || s_[i] == '.')) ++i;
    if (i == digits_start) fail("expected a value");
    bool exponent = false;
    if (i < s_.size() && (s_[i] == 'e' || s_[i] == 'E')) {
      exponent = true;
      ++i;
      if (i < s_.size() && (s_[i] == '-' || s_[i] == '+')) ++i;
      while (i < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i]))) ++i;
    }
    const std::string number = s_.substr(pos_, i - pos_);
    pos_ = i;
    if (exponent) {
      char* end = nullptr;
      const double v = std::strtod(number.c_str(), &end);
      if (end != number.c_str() + number.size()) fail("expected a number", at);
      if (std::isinf(v)) fail("a number beyond the range of doubles", at);
      return Literal(v);
    }
    try {
      return Literal::decimal(number);
    } catch (const Error&) {
      fail("expected a number", at);
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
  int depth_ = 0;    // of the expression parsed last
  int nesting_ = 0;  // NOTs and parentheses open
};

}  // namespace

Expression Expression::parse(const std::string& text) { return Parser(text).parse(); }

}  // namespace parkett

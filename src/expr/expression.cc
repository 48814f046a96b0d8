// The public Expression and Literal: building, inspecting and printing predicates.
#include "parkett/expression.h"

#include <cmath>
#include <cstdio>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett {

struct Expression::Node {
  Op op;
  std::vector<Expression> operands;
  std::vector<Literal> literals;
  std::vector<std::string> path;
};

Literal::Literal(bool v) : kind(Kind::Boolean), boolean(v) {}
Literal::Literal(long long v) : kind(Kind::Integer), text(std::to_string(v)) {}
Literal::Literal(unsigned long long v) : kind(Kind::Integer), text(std::to_string(v)) {}
Literal::Literal(double v) : kind(Kind::Float), floating(v) {}
Literal::Literal(std::string v) : kind(Kind::String), text(std::move(v)) {}

Literal Literal::binary(std::string bytes) {
  Literal l;
  l.kind = Kind::Binary;
  l.text = std::move(bytes);
  return l;
}

Literal Literal::decimal(const std::string& text) {
  // [-+]digits[.digits]
  size_t i = text.empty() || (text[0] != '-' && text[0] != '+') ? 0 : 1;
  size_t digits = 0, dots = 0;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') ++digits;
    else if (text[i] == '.' && dots == 0) ++dots;
    else digits = 0, i = text.size();
  }
  if (digits == 0) throw Error(ErrorKind::InvalidArgument, "'" + text + "' is not a decimal number");
  Literal l;
  l.kind = dots ? Kind::Decimal : Kind::Integer;
  l.text = text[0] == '+' ? text.substr(1) : text;
  return l;
}

Literal Literal::date(int32_t days_since_epoch) {
  Literal l;
  l.kind = Kind::Date;
  l.value = days_since_epoch;
  return l;
}

Literal Literal::time(int64_t since_midnight, TimeUnit unit) {
  Literal l;
  l.kind = Kind::Time;
  l.value = since_midnight;
  l.unit = unit;
  return l;
}

Literal Literal::timestamp(int64_t since_epoch, TimeUnit unit, bool utc) {
  Literal l;
  l.kind = Kind::Timestamp;
  l.value = since_epoch;
  l.unit = unit;
  l.utc = utc;
  return l;
}

namespace {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

const char* op_text(Expression::Op op) {
  using Op = Expression::Op;
  switch (op) {
    case Op::Equal: return "=";
    case Op::NotEqual: return "!=";
    case Op::Less: return "<";
    case Op::LessEqual: return "<=";
    case Op::Greater: return ">";
    case Op::GreaterEqual: return ">=";
    default: return "?";
  }
}

std::string column_text(const std::vector<std::string>& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& p = path[i];
    bool bare = !p.empty() && !(p[0] >= '0' && p[0] <= '9');
    for (char c : p) bare &= (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (bare) {  // a name that is a keyword is quoted, so that it parses back as a name
      std::string upper;
      for (char c : p) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      for (const char* k : {"AND", "OR", "NOT", "BETWEEN", "IN", "IS", "NULL", "LIKE", "TRUE", "FALSE", "DATE", "TIME",
                            "TIMESTAMP"}) {
        bare &= upper != k;
      }
    }
    if (i) out += '.';
    if (bare) {
      out += p;
    } else {
      out += '"';
      for (char c : p) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
  }
  return out;
}

}  // namespace

std::string Literal::to_string() const {
  switch (kind) {
    case Kind::Null: return "NULL";
    case Kind::Boolean: return boolean ? "TRUE" : "FALSE";
    case Kind::Integer:
    case Kind::Decimal: return text;
    case Kind::Float: {
      if (std::isnan(floating)) return "'NaN'::DOUBLE";
      if (std::isinf(floating)) return floating > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", floating);
      std::string s = buf;
      if (s.find_first_of(".eE") == std::string::npos) s += ".0";  // reads back as a float
      return s;
    }
    case Kind::String: return quoted(text);
    case Kind::Binary: {
      static const char* hex = "0123456789abcdef";
      std::string out = "X'";
      for (unsigned char c : text) {
        out += hex[c >> 4];
        out += hex[c & 15];
      }
      return out + "'";
    }
    case Kind::Date: return "DATE '" + util::format_date(value) + "'";
    case Kind::Time: return "TIME '" + util::format_time(value, unit, false) + "'";
    case Kind::Timestamp: {
      std::string t = util::format_timestamp(value, unit, utc);
      const size_t at = t.find('T', 1);
      if (at != std::string::npos) t[at] = ' ';
      return "TIMESTAMP '" + t + "'";
    }
  }
  return "NULL";
}

Expression Expression::make(Op op, std::vector<Expression> operands, std::vector<Literal> literals,
                             std::vector<std::string> path) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->operands = std::move(operands);
  n->literals = std::move(literals);
  n->path = std::move(path);
  return Expression(std::move(n));
}

namespace {
const Expression::Node& must(const std::shared_ptr<const Expression::Node>& n) {
  if (!n) throw Error(ErrorKind::InvalidArgument, "the expression is empty");
  return *n;
}
}  // namespace

Expression::Op Expression::op() const { return must(node_).op; }
const std::vector<std::string>& Expression::path() const { return must(node_).path; }
const std::vector<Literal>& Expression::literals() const { return must(node_).literals; }
const std::vector<Expression>& Expression::operands() const { return must(node_).operands; }
const Literal& Expression::literal() const {
  const Node& n = must(node_);
  if (n.literals.empty()) throw Error(ErrorKind::InvalidArgument, "the expression holds no literal");
  return n.literals.front();
}

Expression col(const std::string& dotted_path) {
  std::vector<std::string> path;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted_path.find('.', start);
    path.push_back(dotted_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return col(std::move(path));
}

Expression col(std::vector<std::string> path) {
  if (path.empty()) throw Error(ErrorKind::InvalidArgument, "a column needs a name");
  return Expression::make(Expression::Op::Column, {}, {}, std::move(path));
}

Expression Expression::operator==(const Literal& v) const { return make(Op::Equal, {*this}, {v}); }
Expression Expression::operator!=(const Literal& v) const { return make(Op::NotEqual, {*this}, {v}); }
Expression Expression::operator<(const Literal& v) const { return make(Op::Less, {*this}, {v}); }
Expression Expression::operator<=(const Literal& v) const { return make(Op::LessEqual, {*this}, {v}); }
Expression Expression::operator>(const Literal& v) const { return make(Op::Greater, {*this}, {v}); }
Expression Expression::operator>=(const Literal& v) const { return make(Op::GreaterEqual, {*this}, {v}); }
Expression Expression::between(const Literal& low, const Literal& high) const { return (*this >= low) && (*this <= high); }
Expression Expression::is_in(std::vector<Literal> values) const {
  if (values.empty()) throw Error(ErrorKind::InvalidArgument, "IN needs at least one value");
  return make(Op::IsIn, {*this}, std::move(values));
}
Expression Expression::is_null() const { return make(Op::IsNull, {*this}); }
Expression Expression::is_not_null() const { return make(Op::IsNotNull, {*this}); }
Expression Expression::starts_with(std::string prefix) const {
  return make(Op::StartsWith, {*this}, {Literal(std::move(prefix))});
}
Expression Expression::operator&&(const Expression& other) const { return make(Op::And, {*this, other}); }
Expression Expression::operator||(const Expression& other) const { return make(Op::Or, {*this, other}); }
Expression Expression::operator!() const { return make(Op::Not, {*this}); }

std::string Expression::to_string() const {
  if (!node_) return "";
  const Node& n = *node_;
  switch (n.op) {
    case Op::Column: return column_text(n.path);
    case Op::Literal: return n.literals.at(0).to_string();
    case Op::Equal:
    case Op::NotEqual:
    case Op::Less:
    case Op::LessEqual:
    case Op::Greater:
    case Op::GreaterEqual:
      return n.operands.at(0).to_string() + " " + op_text(n.op) + " " + n.literals.at(0).to_string();
    case Op::IsIn: {
      std::string out = n.operands.at(0).to_string() + " IN (";
      for (size_t i = 0; i < n.literals.size(); ++i) out += (i ? ", " : "") + n.literals[i].to_string();
      return out + ")";
    }
    case Op::IsNull: return n.operands.at(0).to_string() + " IS NULL";
    case Op::IsNotNull: return n.operands.at(0).to_string() + " IS NOT NULL";
    case Op::StartsWith: {
      std::string pattern;
      for (char c : n.literals.at(0).text) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
      }
      return n.operands.at(0).to_string() + " LIKE " + quoted(pattern + "%");
    }
    case Op::And: return "(" + n.operands.at(0).to_string() + " AND " + n.operands.at(1).to_string() + ")";
    case Op::Or: return "(" + n.operands.at(0).to_string() + " OR " + n.operands.at(1).to_string() + ")";
    case Op::Not: return "NOT " + n.operands.at(0).to_string();
  }
  return "";
}

}  // namespace parkett

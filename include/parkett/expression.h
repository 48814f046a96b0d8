// Filter expressions: predicates over a file's columns that a scan uses to skip row groups
// and to keep only the rows that satisfy them.
//
//   using parkett::col;
//   Expression e = col("age").between(13, 19) && col("address.city").is_in({"Ghent", "Delft"});
//
// Comparisons are between a column and a literal. They follow SQL's three-valued logic: a
// comparison with a null value is null, and a row is kept only where the predicate is true.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parkett/export.h"
#include "parkett/types.h"

namespace parkett {

/// A literal value of a filter. Its kind says how it is compared with a column: integers
/// and decimals (exactly, by value) with integer, decimal and floating columns; floats with
/// floating columns; strings with string columns, binary with binary ones; dates, times and
/// timestamps with columns of those types (timestamps in any unit, exactly). A literal that
/// does not fit the column it is compared with is an Error(InvalidArgument) when the scan
/// starts, never a silent cast.
struct PARKETT_EXPORT Literal {
  enum class Kind { Null, Boolean, Integer, Decimal, Float, String, Binary, Date, Time, Timestamp };
  Kind kind = Kind::Null;
  bool boolean = false;
  /// Integer and Decimal: the value as decimal text ("-42", "12.30"), any size.
  /// String and Binary: the bytes.
  std::string text;
  double floating = 0;
  /// Date: days since 1970-01-01. Time: `unit`s since midnight. Timestamp: `unit`s since
  /// 1970-01-01 00:00:00 (UTC when `utc`, else local time as written). A timestamp with
  /// `utc` is an instant: it compares with columns of instants (a time zone, Parquet's
  /// isAdjustedToUTC) and is refused by columns of local times. One without compares with
  /// both, read as UTC against instants (DuckDB's and Spark's reading with the session time
  /// zone UTC).
  int64_t value = 0;
  TimeUnit unit = TimeUnit::Micro;
  bool utc = false;

  Literal() = default;  // null
  // Implicit, so that col("a") == 5 and col("s") == "x" read naturally.
  Literal(bool v);
  Literal(int v) : Literal(static_cast<long long>(v)) {}
  Literal(long v) : Literal(static_cast<long long>(v)) {}
  Literal(long long v);
  Literal(unsigned v) : Literal(static_cast<unsigned long long>(v)) {}
  Literal(unsigned long v) : Literal(static_cast<unsigned long long>(v)) {}
  Literal(unsigned long long v);
  Literal(double v);
  Literal(const char* v) : Literal(std::string(v)) {}
  Literal(std::string v);  // a string

  static Literal binary(std::string bytes);
  /// Decimal text such as "-12.30"; throws Error(InvalidArgument) if it is not one.
  static Literal decimal(const std::string& text);
  static Literal date(int32_t days_since_epoch);
  static Literal time(int64_t since_midnight, TimeUnit unit);
  static Literal timestamp(int64_t since_epoch, TimeUnit unit, bool utc);

  /// As SQL text: 42, 12.30, 'it''s', X'00ff', DATE '2024-01-31', TIME '12:00:00',
  /// TIMESTAMP '2024-01-31 12:00:00'.
  std::string to_string() const;
};

class PARKETT_EXPORT Expression {
 public:
  enum class Op {
    Column, Literal,
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
    IsIn, IsNull, IsNotNull, StartsWith,
    And, Or, Not
  };

  /// No predicate (a scan without a filter).
  Expression() = default;
  bool empty() const { return node_ == nullptr; }

  Op op() const;
  /// Column: the path from a top-level field through struct fields.
  const std::vector<std::string>& path() const;
  /// Literal, StartsWith (the prefix): the value. IsIn: the first value.
  const Literal& literal() const;
  /// IsIn: the values.
  const std::vector<Literal>& literals() const;
  /// Comparisons, IsIn, IsNull, IsNotNull, StartsWith: the column first; And, Or: both
  /// sides; Not: its operand.
  const std::vector<Expression>& operands() const;

  Expression operator==(const Literal& v) const;
  Expression operator!=(const Literal& v) const;
  Expression operator<(const Literal& v) const;
  Expression operator<=(const Literal& v) const;
  Expression operator>(const Literal& v) const;
  Expression operator>=(const Literal& v) const;
  /// low <= this <= high.
  Expression between(const Literal& low, const Literal& high) const;
  Expression is_in(std::vector<Literal> values) const;
  Expression is_null() const;
  Expression is_not_null() const;
  Expression starts_with(std::string prefix) const;

  Expression operator&&(const Expression& other) const;
  Expression operator||(const Expression& other) const;
  Expression operator!() const;

  /// As SQL text, as `parse` reads it back.
  std::string to_string() const;

  /// Parses SQL-like text: comparisons (= != <> < <= > >=), BETWEEN, IN (...), IS [NOT]
  /// NULL, LIKE 'prefix%', AND, OR, NOT, parentheses; column names bare, dotted for struct
  /// fields, or in double quotes; literals as Literal::to_string writes them (TRUE, FALSE,
  /// NULL too). Throws Error(InvalidArgument) naming the offending position.
  static Expression parse(const std::string& text);

  struct Node;

 private:
  explicit Expression(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  static Expression make(Op op, std::vector<Expression> operands, std::vector<Literal> literals = {},
                         std::vector<std::string> path = {});
  friend PARKETT_EXPORT Expression col(const std::string& dotted_path);
  friend PARKETT_EXPORT Expression col(std::vector<std::string> path);

  std::shared_ptr<const Node> node_;
};

/// A column: "a" or "a.b" for field b of struct a (a name with dots: the vector form).
PARKETT_EXPORT Expression col(const std::string& dotted_path);
PARKETT_EXPORT Expression col(std::vector<std::string> path);

}  // namespace parkett

// The filter text parser: what each form reads as (printed back as SQL), precedence,
// literals of every kind, and errors that point at the offending character.
#include <gtest/gtest.h>

#include <limits>

#include "expect_error.h"
#include "expr/bound.h"
#include "parkett/expression.h"

namespace parkett {
namespace {

std::string parsed(const std::string& text) { return Expression::parse(text).to_string(); }

TEST(ParseFilter, FormsAndPrecedence) {
  EXPECT_EQ(parsed("age BETWEEN 13 AND 19"), "(age >= 13 AND age <= 19)");
  EXPECT_EQ(parsed("a = 1 OR b = 2 AND c = 3"), "(a = 1 OR (b = 2 AND c = 3))");
  EXPECT_EQ(parsed("(a = 1 OR b = 2) AND NOT c"), "((a = 1 OR b = 2) AND NOT c = TRUE)");
  EXPECT_EQ(parsed("name = 'x' AND (city IN ('Ghent', 'Delft') OR zip >= 9000)"),
            "(name = 'x' AND (city IN ('Ghent', 'Delft') OR zip >= 9000))");
  EXPECT_EQ(parsed("5 < x"), "x > 5");
  EXPECT_EQ(parsed("x <> -2.50"), "x != -2.50");
  EXPECT_EQ(parsed("a.b IS NULL and \"odd name\".\"c\"\"d\" is not null"),
            "(a.b IS NULL AND \"odd name\".\"c\"\"d\" IS NOT NULL)");
  EXPECT_EQ(parsed("s NOT LIKE 'ab\\%c%'"), "NOT s LIKE 'ab\\%c%'");
  EXPECT_EQ(parsed("s LIKE 'exact'"), "s = 'exact'");
  EXPECT_EQ(parsed("x NOT IN (1, NULL)"), "NOT x IN (1, NULL)");
  EXPECT_EQ(parsed("x NOT BETWEEN 1 AND 2"), "NOT (x >= 1 AND x <= 2)");
}

TEST(ParseFilter, Literals) {
  const Expression d = Expression::parse("d < DATE '2020-02-01'");
  EXPECT_EQ(d.literal().kind, Literal::Kind::Date);
  EXPECT_EQ(d.literal().value, 18293);  // days from 1970-01-01 to 2020-02-01
  const Expression t = Expression::parse("ts >= TIMESTAMP '2024-01-01 00:00:00'");
  EXPECT_EQ(t.literal().value, int64_t{1704067200} * 1000000);  // microseconds
  EXPECT_FALSE(t.literal().utc);
  const Expression z = Expression::parse("ts = TIMESTAMP '2024-01-01T01:00:00.123456789+01:00'");
  EXPECT_EQ(z.literal().unit, TimeUnit::Nano);
  EXPECT_EQ(z.literal().value, int64_t{1704067200} * 1000000000 + 123456789);
  EXPECT_TRUE(z.literal().utc);
  const Expression old = Expression::parse("d = DATE '1969-12-31'");
  EXPECT_EQ(old.literal().value, -1);
  EXPECT_EQ(Expression::parse("t = TIME '12:30:00.5'").literal().value, (int64_t{12} * 3600 + 30 * 60) * 1000000000 + 500000000);
  EXPECT_EQ(Expression::parse("b = X'00fF'").literal().text, std::string("\x00\xff", 2));
  EXPECT_EQ(Expression::parse("f > 1.5e3").literal().kind, Literal::Kind::Float);
  EXPECT_EQ(Expression::parse("f > 1.5e3").literal().floating, 1500.0);
  EXPECT_EQ(Expression::parse("n = 18446744073709551615").literal().text, "18446744073709551615");
  EXPECT_EQ(Expression::parse("s = 'it''s'").literal().text, "it's");
  EXPECT_EQ(Expression::parse("flag = false").literal().boolean, false);
}

TEST(ParseFilter, PrintedTextParsesBack) {
  // Names that are keywords are quoted; years past 9999 and zones survive.
  for (const Expression& e : {col("date") == 1 && col("In").is_null(),
                              col("ts") >= Literal::timestamp(int64_t{200000} * 365 * 86400 * 1000000, TimeUnit::Micro, true),
                              col("d") < Literal::date(-800000), col("f") != 1e300}) {
    const std::string printed = e.to_string();
    EXPECT_EQ(parsed(printed), printed);
  }
  EXPECT_EQ((col("date") == 1).to_string(), "\"date\" = 1");
  EXPECT_ERROR(Expression::parse("f > 1e999"), ErrorKind::InvalidArgument, "beyond the range of doubles");
}

TEST(ParseFilter, ErrorsPointAtTheCharacter) {
  EXPECT_ERROR(Expression::parse("id >> 3"), ErrorKind::InvalidArgument, "at character 5: expected a value");
  EXPECT_ERROR(Expression::parse("a = 1 b = 2"), ErrorKind::InvalidArgument, "at character 7: expected AND, OR or the end");
  EXPECT_ERROR(Expression::parse("a = b"), ErrorKind::InvalidArgument, "a comparison of two columns is not supported");
  EXPECT_ERROR(Expression::parse("1 = 2"), ErrorKind::InvalidArgument, "a comparison needs a column on one side");
  EXPECT_ERROR(Expression::parse("s = 'open"), ErrorKind::InvalidArgument, "expected the closing quote");
  EXPECT_ERROR(Expression::parse("d = DATE '2020-13-01'"), ErrorKind::InvalidArgument, "expected a valid month and day");
  EXPECT_ERROR(Expression::parse("x IN (1, 2"), ErrorKind::InvalidArgument, "expected ',' or ')'");
  EXPECT_ERROR(Expression::parse("(a = 1"), ErrorKind::InvalidArgument, "expected ')'");
  EXPECT_ERROR(Expression::parse("s LIKE '%x'"), ErrorKind::Unsupported, "prefix patterns");
  EXPECT_ERROR(Expression::parse(""), ErrorKind::InvalidArgument, "at character 1");
}

// Calendar dates and clock times that do not exist are refused, not carried into the next
// month or day.
TEST(ParseFilter, DatesAndTimesThatDoNotExistAreRefused) {
  for (const char* bad : {"d = DATE '2023-02-29'", "d = DATE '2024-04-31'", "d = DATE '1900-02-29'",
                          "t = TIME '24:00:01'", "t = TIME '24:00:00.5'", "t = TIME '12:60:00'", "t = TIME '12:00:60'",
                          "ts = TIMESTAMP '2024-01-01 24:00:00'", "ts = TIMESTAMP '2024-06-31 00:00:00'"}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR(Expression::parse(bad), ErrorKind::InvalidArgument, "expected a valid");
  }
  EXPECT_ERROR(Expression::parse("ts = TIMESTAMP '2024-01-01 00:00:00+24:00'"), ErrorKind::InvalidArgument,
               "expected a zone offset");
  EXPECT_ERROR(Expression::parse("ts = TIMESTAMP '2024-01-01 00:00:00+01:60'"), ErrorKind::InvalidArgument,
               "expected a zone offset");
  // Leap days of leap years, the last second of a day, and the end of a day as a TIME.
  EXPECT_EQ(Expression::parse("d = DATE '2024-02-29'").literal().value, 19782);
  EXPECT_EQ(Expression::parse("d = DATE '2000-02-29'").literal().value, 11016);
  EXPECT_EQ(Expression::parse("t = TIME '23:59:59'").literal().value, int64_t{86399} * 1000000000);
  EXPECT_EQ(Expression::parse("t = TIME '24:00:00'").literal().value, int64_t{86400} * 1000000000);
  // The end of a day prints with its (zero) nanoseconds and must parse back (a fuzzer finding).
  const std::string printed = Expression::parse("t = TIME '24:0:0'").to_string();
  EXPECT_EQ(printed, "t = TIME '24:00:00.000000000'");
  EXPECT_EQ(Expression::parse(printed).to_string(), printed);
}

// Floats no number literal can write print in DuckDB's cast syntax, which parses back.
TEST(ParseFilter, NanAndInfinitiesRoundTrip) {
  for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    const std::string text = (col("f") < v).to_string();
    EXPECT_EQ(Expression::parse(text).to_string(), text);
  }
  EXPECT_EQ((col("f") == std::numeric_limits<double>::infinity()).to_string(), "f = 'Infinity'::DOUBLE");
  EXPECT_ERROR(Expression::parse("f = 'nan'::DOUBLE"), ErrorKind::InvalidArgument, "expected 'NaN', 'Infinity'");
  EXPECT_ERROR(Expression::parse("f = 'NaN'::INT"), ErrorKind::InvalidArgument, "expected DOUBLE or FLOAT after '::'");
}

// Evaluating, pruning and printing recurse as deep as a filter goes: deeper than 1000
// levels is refused, as text and as a tree built in code, instead of overflowing the stack.
TEST(ParseFilter, DepthIsBounded) {
  std::string nots;
  for (int i = 0; i < 2000; ++i) nots += "NOT ";
  EXPECT_ERROR(Expression::parse(nots + "a = 1"), ErrorKind::InvalidArgument, "nested deeper than 1000 levels");
  std::string parens(2000, '(');
  EXPECT_ERROR(Expression::parse(parens + "a = 1"), ErrorKind::InvalidArgument, "nested deeper than 1000 levels");
  std::string chain = "a = 0";
  for (int i = 1; i < 1500; ++i) chain += " AND a = " + std::to_string(i);
  EXPECT_ERROR(Expression::parse(chain), ErrorKind::InvalidArgument, "nested deeper than 1000 levels");
  std::string fine = "a = 0";
  for (int i = 1; i < 900; ++i) fine += " OR a = " + std::to_string(i);
  EXPECT_NO_THROW(Expression::parse(fine));

  Expression deep = col("a") == 1;
  for (int i = 0; i < 1200; ++i) deep = !deep;
  Schema schema;
  schema.fields.push_back(Field{"a", DataType(DataType::Id::Int32), true, {}});
  EXPECT_ERROR(expr::bind(deep, schema), ErrorKind::InvalidArgument, "nested deeper than 1000 levels");
}

}  // namespace
}  // namespace parkett

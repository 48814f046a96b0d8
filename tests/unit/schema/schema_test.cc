#include <gtest/gtest.h>

#include "parkett/datatype.h"
#include "parkett/error.h"
#include "schema/from_thrift.h"

namespace parkett::schema {
namespace {

using format::FieldRepetitionType;
using format::SchemaElement;

SchemaElement group(const std::string& name, int children, std::optional<FieldRepetitionType> rep,
                    std::optional<format::ConvertedType> ct = std::nullopt) {
  SchemaElement e;
  e.name = name;
  e.num_children = children;
  e.repetition_type = rep;
  e.converted_type = ct;
  return e;
}

SchemaElement leaf(const std::string& name, format::Type type, FieldRepetitionType rep,
                   std::optional<format::ConvertedType> ct = std::nullopt) {
  SchemaElement e;
  e.name = name;
  e.type = type;
  e.repetition_type = rep;
  e.converted_type = ct;
  return e;
}

constexpr auto R = FieldRepetitionType::REQUIRED;
constexpr auto O = FieldRepetitionType::OPTIONAL;
constexpr auto P = FieldRepetitionType::REPEATED;

TEST(Schema, LevelsPathsAndColumns) {
  std::vector<SchemaElement> els = {
      group("schema", 2, std::nullopt),
      leaf("id", format::Type::INT64, R),
      group("tags", 1, O, format::ConvertedType::LIST),
      group("list", 1, P),
      leaf("element", format::Type::BYTE_ARRAY, O, format::ConvertedType::UTF8),
  };
  ParquetSchema s = from_thrift(els);
  ASSERT_EQ(s.num_columns(), 2);
  EXPECT_EQ(s.column(1).dotted_path, "tags.list.element");
  EXPECT_EQ(s.column(1).max_definition_level, 3);
  EXPECT_EQ(s.column(1).max_repetition_level, 1);
  EXPECT_EQ(s.column(0).max_definition_level, 0);
  EXPECT_EQ(s.find_column("tags.list.element"), 1);
  EXPECT_EQ(s.columns_under("tags"), std::vector<int32_t>{1});
  EXPECT_EQ(s.node(s.column(1).node).logical_type.kind, LogicalType::Kind::String);
  Schema arrow = s.to_arrow();
  EXPECT_EQ(arrow.to_string(), "id: int64 not null\ntags: list<element: string>\n");
}

TEST(Schema, LegacyListRules) {
  // LogicalTypes.md backward-compatibility rules: two-level lists and repeated fields.
  std::vector<SchemaElement> els = {
      group("schema", 4, std::nullopt),
      group("a", 1, O, format::ConvertedType::LIST),  // repeated primitive = element
      leaf("array", format::Type::INT32, P),
      group("b", 1, O, format::ConvertedType::LIST),  // repeated group named array = element
      group("array", 1, P),
      leaf("x", format::Type::INT32, R),
      group("c", 1, O, format::ConvertedType::LIST),  // name_tuple = element
      group("c_tuple", 1, P),
      leaf("y", format::Type::INT32, R),
      leaf("d", format::Type::INT32, P),  // unannotated repeated field: non-null list
  };
  ParquetSchema s = from_thrift(els);
  EXPECT_EQ(s.to_arrow().to_string(),
            "a: list<array: int32 not null>\n"
            "b: list<array: struct<x: int32 not null> not null>\n"
            "c: list<c_tuple: struct<y: int32 not null> not null>\n"
            "d: list<d: int32 not null> not null\n");
}

TEST(Schema, MapsAndLogicalTypes) {
  std::vector<SchemaElement> els = {
      group("schema", 3, std::nullopt),
      group("m", 1, O, format::ConvertedType::MAP),
      group("key_value", 2, P),
      leaf("key", format::Type::BYTE_ARRAY, R, format::ConvertedType::UTF8),
      leaf("value", format::Type::INT32, O, format::ConvertedType::UINT_16),
      leaf("ts", format::Type::INT64, O, format::ConvertedType::TIMESTAMP_MILLIS),
      leaf("d", format::Type::FIXED_LEN_BYTE_ARRAY, O, format::ConvertedType::DECIMAL),
  };
  els[6].type_length = 16;
  els[6].precision = 38;
  els[6].scale = 9;
  ParquetSchema s = from_thrift(els);
  EXPECT_EQ(s.to_arrow().to_string(),
            "m: map<string, uint16>\n"
            "ts: timestamp[ms, tz=UTC]\n"
            "d: decimal128(38, 9)\n");
  EXPECT_EQ(s.node(s.column(2).node).logical_type.to_string(),
            "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds)");
}

TEST(Schema, MalformedTreesAreRejected) {
  auto expect_corrupt = [](std::vector<SchemaElement> els, const std::string& needle) {
    try {
      from_thrift(els);
      FAIL() << "expected an error mentioning " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_corrupt({}, "no root");
  expect_corrupt({group("schema", 3, std::nullopt), leaf("a", format::Type::INT32, R)},
                 "claims 3 children");
  expect_corrupt({group("schema", -1, std::nullopt)}, "-1 children");
  expect_corrupt({group("schema", 1, std::nullopt), leaf("a", format::Type::INT32, R),
                  leaf("b", format::Type::INT32, R)},
                 "outside the root");
  // 40000 nested optional groups: levels would overflow int16
  std::vector<SchemaElement> deep;
  for (int i = 0; i < 40000; ++i) deep.push_back(group("g", 1, i ? std::optional(O) : std::nullopt));
  deep.push_back(leaf("x", format::Type::INT32, O));
  expect_corrupt(deep, "nesting");
}

}  // namespace
}  // namespace parkett::schema

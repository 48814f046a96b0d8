// Record assembly and shredding (nested/assemble.h, nested/shred.h) against levels written by
// hand. Each case is a Parquet schema, the definition and repetition levels and values each
// of its leaf columns holds, and the field's rows as canonical JSON. The levels follow the
// Dremel encoding (a value's definition level counts its optional and repeated ancestors that
// are present; its repetition level names the deepest repeated ancestor that repeats) and the
// list and map shapes of LogicalTypes.md, backward-compatibility rules included. For every
// case: assembling the levels gives the rows, and shredding the rows (an array built from the
// JSON, not by the code under test) gives back exactly the levels and values.
// Corrupt levels are in assemble_corrupt_test.cc.
#include <gtest/gtest.h>

#include "expect_error.h"
#include "nested/assemble.h"
#include "nested/shred.h"
#include "unit/nested/level_cases.h"

namespace parkett::nested::test {
namespace {

struct Case {
  const char* name;
  const char* schema;  // the one top-level field
  const char* type;    // its Arrow type
  std::vector<Leaf> leaves;
  std::vector<const char*> rows;
};

// Levels are derived in the comments as "value: D<def> R<rep>".
const std::vector<Case> kCases = {
    // s: D1 when present; a (required) adds nothing, b (optional) adds 1.
    {"optional_struct", "optional group s { required int32 a; optional int32 b; }",
     "struct<a: int32 not null, b: int32>",
     {{.max_def = 1, .max_rep = 0, .def = {1, 1, 0}, .values = {1, 3}},
      {.max_def = 2, .max_rep = 0, .def = {2, 1, 0}, .values = {2}}},
     {R"({"a":1,"b":2})", R"({"a":3,"b":null})", "null"}},
    // A required struct adds no level; y has none at all.
    {"required_struct", "required group r { optional group inner { required int32 x; } required int32 y; }",
     "struct<inner: struct<x: int32 not null>, y: int32 not null>",
     {{.max_def = 1, .def = {1, 0}, .values = {5}}, {.max_def = 0, .values = {6, 7}}},
     {R"({"inner":{"x":5},"y":6})", R"({"inner":null,"y":7})"}},
    {"optional_leaf", "optional int32 v;", "int32",
     {{.max_def = 1, .def = {1, 0, 1}, .values = {1, 2}}},
     {"1", "null", "2"}},
    // a D1, list D2 (R1), element D3. [1,null,2]: 1 D3R0, null D2R1, 2 D3R1; null D0; [] D1;
    // [null] D2; [3] D3.
    {"three_level_list", "optional group a (LIST) { repeated group list { optional int32 element; } }",
     "list<element: int32>",
     {{.max_def = 3, .max_rep = 1, .def = {3, 2, 3, 0, 1, 2, 3}, .rep = {0, 1, 1, 0, 0, 0, 0}, .values = {1, 2, 3}}},
     {"[1,null,2]", "null", "[]", "[null]", "[3]"}},
    {"required_list_of_required", "required group a (LIST) { repeated group list { required int32 element; } }",
     "list<element: int32 not null>",
     {{.max_def = 1, .max_rep = 1, .def = {1, 1, 0, 1}, .rep = {0, 1, 0, 0}, .values = {1, 2, 3}}},
     {"[1,2]", "[]", "[3]"}},
    // Backward-compatibility rule 1: the repeated field is a primitive, so it is the element.
    {"two_level_repeated_primitive", "optional group a (LIST) { repeated int32 element; }",
     "list<element: int32 not null>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 0, 1}, .rep = {0, 1, 0, 0}, .values = {1, 2}}},
     {"[1,2]", "null", "[]"}},
    // Rule 2: a repeated group of several fields is the element (a struct).
    {"two_level_group_of_fields", "optional group a (LIST) { repeated group pair { required int32 x; optional int32 y; } }",
     "list<pair: struct<x: int32 not null, y: int32> not null>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 1, 0}, .rep = {0, 1, 0, 0}, .values = {1, 3}},
      {.max_def = 3, .max_rep = 1, .def = {3, 2, 1, 0}, .rep = {0, 1, 0, 0}, .values = {2}}},
     {R"([{"x":1,"y":2},{"x":3,"y":null}])", "[]", "null"}},
    // Rule 3: a one-field group whose field is repeated is the element: here a struct
    // holding a bare repeated field. element D2 (R1), x D3 (R2). Row 0: 1 D3R0, 2 D3R2,
    // then the second element's empty x: D2R1.
    {"two_level_group_of_repeated", "optional group a (LIST) { repeated group element { repeated int32 x; } }",
     "list<element: struct<x: list<x: int32 not null> not null> not null>",
     {{.max_def = 3, .max_rep = 2, .def = {3, 3, 2, 1, 0}, .rep = {0, 2, 1, 0, 0}, .values = {1, 2}}},
     {R"([{"x":[1,2]},{"x":[]}])", "[]", "null"}},
    // Rule 3's example (also rule 4 by its name): a LIST-annotated two-level list as element.
    {"two_level_list_of_two_level_lists", "optional group a (LIST) { repeated group array (LIST) { repeated int32 array; } }",
     "list<array: list<array: int32 not null> not null>",
     {{.max_def = 3, .max_rep = 2, .def = {3, 3, 2, 0}, .rep = {0, 2, 1, 0}, .values = {1, 2}}},
     {"[[1,2],[]]", "null"}},
    // Rule 4: a one-field group named "array" or "<list name>_tuple" is the element.
    {"two_level_array", "optional group a (LIST) { repeated group array { required int32 x; } }",
     "list<array: struct<x: int32 not null> not null>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 1}, .rep = {0, 1, 0}, .values = {1, 2}}},
     {R"([{"x":1},{"x":2}])", "[]"}},
    {"two_level_tuple", "optional group a (LIST) { repeated group a_tuple { optional int32 x; } }",
     "list<a_tuple: struct<x: int32> not null>",
     {{.max_def = 3, .max_rep = 1, .def = {2, 3, 0}, .rep = {0, 1, 0}, .values = {4}}},
     {R"([{"x":null},{"x":4}])", "null"}},
    // Rule 5: any other one-field group is the three-level form, whatever the names.
    {"three_level_other_names", "optional group a (LIST) { repeated group element { optional int32 str; } }",
     "list<str: int32>",
     {{.max_def = 3, .max_rep = 1, .def = {3, 2, 1}, .rep = {0, 1, 0}, .values = {1}}},
     {"[1,null]", "[]"}},
    // Repeated fields without LIST: required lists of required values (LogicalTypes.md,
    // Nested Types), at the top or in a struct, of a primitive or a group.
    {"bare_repeated", "repeated int32 r;", "list<r: int32 not null>",
     {{.max_def = 1, .max_rep = 1, .def = {1, 1, 0, 1}, .rep = {0, 1, 0, 0}, .values = {1, 2, 3}}},
     {"[1,2]", "[]", "[3]"}},
    {"bare_repeated_group", "repeated group item { required int32 v; optional int32 w; }",
     "list<item: struct<v: int32 not null, w: int32> not null>",
     {{.max_def = 1, .max_rep = 1, .def = {1, 1, 0}, .rep = {0, 1, 0}, .values = {1, 2}},
      {.max_def = 2, .max_rep = 1, .def = {1, 2, 0}, .rep = {0, 1, 0}, .values = {3}}},
     {R"([{"v":1,"w":null},{"v":2,"w":3}])", "[]"}},
    {"bare_repeated_in_struct", "optional group s { repeated int32 r; }",
     "struct<r: list<r: int32 not null> not null>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 1, 0}, .rep = {0, 1, 0, 0}, .values = {1, 2}}},
     {R"({"r":[1,2]})", R"({"r":[]})", "null"}},
    // m D1, key_value D2 (R1), value D3.
    {"map", "optional group m (MAP) { repeated group key_value { required int32 key; optional int32 value; } }",
     "map<int32, int32>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 0, 1, 2}, .rep = {0, 1, 0, 0, 0}, .values = {1, 2, 3}},
      {.max_def = 3, .max_rep = 1, .def = {3, 2, 0, 1, 3}, .rep = {0, 1, 0, 0, 0}, .values = {10, 30}}},
     {R"([{"key":1,"value":10},{"key":2,"value":null}])", "null", "[]", R"([{"key":3,"value":30}])"}},
    {"map_without_value", "required group m (MAP) { repeated group key_value { required int32 key; } }",
     "map<int32, null>",
     {{.max_def = 1, .max_rep = 1, .def = {1, 1, 0}, .rep = {0, 1, 0}, .values = {1, 2}}},
     {R"([{"key":1,"value":null},{"key":2,"value":null}])", "[]"}},
    // Maps, backward-compatibility rules: key and value found by position whatever their
    // names (here under the MAP_KEY_VALUE parquet-mr put on the repeated group) ...
    {"map_misnamed_fields", "optional group m (MAP) { repeated group map (MAP_KEY_VALUE) { required int32 str; required int32 num; } }",
     "map<int32, int32 not null>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 0}, .rep = {0, 1, 0}, .values = {1, 3}},
      {.max_def = 2, .max_rep = 1, .def = {2, 2, 0}, .rep = {0, 1, 0}, .values = {2, 4}}},
     {R"([{"key":1,"value":2},{"key":3,"value":4}])", "null"}},
    // ... and MAP_KEY_VALUE in place of MAP on the outer group. A null value is D2.
    {"map_key_value_annotation", "optional group m (MAP_KEY_VALUE) { repeated group map { required int32 key; optional int32 value; } }",
     "map<int32, int32>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 0, 1}, .rep = {0, 0, 0}, .values = {1}},
      {.max_def = 3, .max_rep = 1, .def = {2, 0, 1}, .rep = {0, 0, 0}, .values = {}}},
     {R"([{"key":1,"value":null}])", "null", "[]"}},
    // s D1, a D2, list D3 (R1), element D4; b D1 without repetition.
    {"struct_of_lists", "optional group s { optional group a (LIST) { repeated group list { optional int32 element; } } required int32 b; }",
     "struct<a: list<element: int32>, b: int32 not null>",
     {{.max_def = 4, .max_rep = 1, .def = {4, 3, 1, 2, 0}, .rep = {0, 1, 0, 0, 0}, .values = {1}},
      {.max_def = 1, .max_rep = 0, .def = {1, 1, 1, 0}, .values = {5, 6, 7}}},
     {R"({"a":[1,null],"b":5})", R"({"a":null,"b":6})", R"({"a":[],"b":7})", "null"}},
    // l D1, list D2 (R1), element D3, a D4, b D3: a null struct below the list is D2 in both.
    {"list_of_structs", "optional group l (LIST) { repeated group list { optional group element { optional int32 a; required int32 b; } } }",
     "list<element: struct<a: int32, b: int32 not null>>",
     {{.max_def = 4, .max_rep = 1, .def = {4, 2, 3, 1, 0, 2}, .rep = {0, 1, 1, 0, 0, 0}, .values = {1}},
      {.max_def = 3, .max_rep = 1, .def = {3, 2, 3, 1, 0, 2}, .rep = {0, 1, 1, 0, 0, 0}, .values = {2, 3}}},
     {R"([{"a":1,"b":2},null,{"a":null,"b":3}])", "[]", "null", "[null]"}},
    // o D1, list D2 (R1), element D3, inner list D4 (R2), element D5. Row 4: 1 D5R0,
    // null D4R2, [] D3R1, null D2R1, 2 D5R1.
    {"list_of_lists", "optional group o (LIST) { repeated group list { optional group element (LIST) { repeated group list { optional int32 element; } } } }",
     "list<element: list<element: int32>>",
     {{.max_def = 5, .max_rep = 2, .def = {0, 1, 2, 3, 5, 4, 3, 2, 5, 4}, .rep = {0, 0, 0, 0, 0, 2, 1, 1, 1, 0}, .values = {1, 2}}},
     {"null", "[]", "[null]", "[[]]", "[[1,null],[],null,[2]]", "[[null]]"}},
    // Only the two repeated nodes define: list D1 (R1), inner list D2 (R2).
    {"required_list_of_lists", "required group o (LIST) { repeated group list { required group element (LIST) { repeated group list { required int32 element; } } } }",
     "list<element: list<element: int32 not null> not null>",
     {{.max_def = 2, .max_rep = 2, .def = {2, 2, 2, 0, 1, 1, 2}, .rep = {0, 2, 1, 0, 0, 0, 1}, .values = {1, 2, 3, 4}}},
     {"[[1,2],[3]]", "[]", "[[]]", "[[],[4]]"}},
    // m D1, key_value D2 (R1), key D2; value D3, list D4 (R2), element D5.
    {"map_of_lists", "optional group m (MAP) { repeated group key_value { required int32 key; optional group value (LIST) { repeated group list { optional int32 element; } } } }",
     "map<int32, list<element: int32>>",
     {{.max_def = 2, .max_rep = 1, .def = {2, 2, 2, 0, 1}, .rep = {0, 1, 1, 0, 0}, .values = {1, 2, 3}},
      {.max_def = 5, .max_rep = 2, .def = {5, 4, 2, 3, 0, 1}, .rep = {0, 2, 1, 1, 0, 0}, .values = {10}}},
     {R"([{"key":1,"value":[10,null]},{"key":2,"value":null},{"key":3,"value":[]}])", "null", "[]"}},
    // No rows at all: no levels.
    {"no_rows", "optional group l (LIST) { repeated group list { optional group element { optional int32 a; required int32 b; } } }",
     "list<element: struct<a: int32, b: int32 not null>>",
     {{.max_def = 4, .max_rep = 1}, {.max_def = 3, .max_rep = 1}},
     {}},
    // A group without leaf columns beside a leaf: it takes its parent's slots.
    {"group_without_columns", "optional group s { optional group e { } optional int32 a; }",
     "struct<e: struct<>, a: int32>",
     {{.max_def = 2, .def = {2, 0, 1}, .values = {1}}},
     {R"({"e":{},"a":1})", "null", R"({"e":{},"a":null})"}},
    // The same inside a list: the empty group has one slot per element.
    {"group_without_columns_in_list", "optional group l (LIST) { repeated group list { optional group element { required group e { } required int32 a; } } }",
     "list<element: struct<e: struct<> not null, a: int32 not null>>",
     {{.max_def = 3, .max_rep = 1, .def = {3, 2, 3, 1}, .rep = {0, 1, 1, 0}, .values = {1, 2}}},
     {R"([{"e":{},"a":1},null,{"e":{},"a":2}])", "[]"}},
};

// Test names say which case failed; gtest would print the struct's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ShredAssemble : public ::testing::TestWithParam<Case> {};

TEST_P(ShredAssemble, AssembleGivesRows) {
  const Case& c = GetParam();
  const ParquetSchema s = parse_schema(c.schema);
  const schema::FieldPlan plan = top_plan(s);
  EXPECT_EQ(plan.field.type.to_string(), c.type);
  ASSERT_EQ(plan.leaves.size(), c.leaves.size());
  std::vector<column::LeafColumn> columns;
  for (const Leaf& l : c.leaves) columns.push_back(leaf_column(l));
  std::map<int32_t, column::LeafColumn*> by_index;
  for (size_t k = 0; k < columns.size(); ++k) {
    const ColumnDescriptor& d = s.column(plan.leaves[k]);
    EXPECT_EQ(d.max_definition_level, c.leaves[k].max_def) << d.dotted_path;
    EXPECT_EQ(d.max_repetition_level, c.leaves[k].max_rep) << d.dotted_path;
    by_index[plan.leaves[k]] = &columns[k];
  }
  const auto n = static_cast<int64_t>(c.rows.size());
  ArrayPtr a = assemble(plan, s, by_index, n);
  ASSERT_EQ(a->length, n);
  for (int64_t r = 0; r < n; ++r) EXPECT_EQ(render(s, plan, *a, r), c.rows[r]) << "row " << r;
}

TEST_P(ShredAssemble, ShredGivesLevels) {
  const Case& c = GetParam();
  const ParquetSchema s = parse_schema(c.schema);
  const schema::FieldPlan plan = top_plan(s);
  ASSERT_EQ(plan.field.type.to_string(), c.type) << "the rows are of another type";
  std::vector<Json> rows;
  for (const char* r : c.rows) rows.push_back(Json::parse(r));
  std::vector<const Json*> ptrs;
  for (const Json& r : rows) ptrs.push_back(&r);
  ArrayPtr a = array_from_json(plan.field.type, ptrs);
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(render(s, plan, *a, static_cast<int64_t>(r)), c.rows[r]) << "the test's JSON builder, row " << r;
  }
  std::vector<int16_t> max_def, max_rep;
  for (const Leaf& l : c.leaves) {
    max_def.push_back(l.max_def);
    max_rep.push_back(l.max_rep);
  }
  std::vector<ShreddedLeaf> out = shred(plan, *a, max_def, max_rep);
  ASSERT_EQ(out.size(), c.leaves.size());
  for (size_t k = 0; k < out.size(); ++k) {
    SCOPED_TRACE("leaf " + s.column(plan.leaves[k]).dotted_path);
    const Leaf& want = c.leaves[k];
    const ShreddedLeaf& got = out[k];
    // A flat leaf without nulls may leave `def` empty: every level is then max_def.
    std::vector<int16_t> def = got.def;
    if (def.empty() && got.dense && want.max_def > 0) def.assign(static_cast<size_t>(got.num_levels), want.max_def);
    EXPECT_EQ(def, want.def);
    EXPECT_EQ(got.rep, want.rep);
    EXPECT_EQ(got.num_levels, static_cast<int64_t>(leaf_column(want).num_levels));
    std::vector<int32_t> values;
    const int32_t* data = got.array->buffers.at(1)->as<int32_t>();
    if (got.dense) {
      for (int64_t i = 0; i < got.count; ++i) values.push_back(data[got.first + i]);
    } else {
      for (int64_t p : got.positions) values.push_back(data[p]);
    }
    EXPECT_EQ(values, want.values);
  }
}

INSTANTIATE_TEST_SUITE_P(Nested, ShredAssemble, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// Arrow layout details the JSON rendering cannot show.

// A group without columns is null exactly where its parent struct is (so a consumer that
// looks at the child alone sees no value where the parent has none), with the parent's length.
TEST(NestedShredAssemble, GroupWithoutColumnsIsNullWithItsParent) {
  const ParquetSchema s = parse_schema("optional group s { optional group e { } optional int32 a; }");
  const schema::FieldPlan plan = top_plan(s);
  column::LeafColumn a = leaf_column({.max_def = 2, .def = {2, 0, 1, 0}, .values = {1}});
  ArrayPtr out = assemble(plan, s, {{0, &a}}, 4);
  ASSERT_EQ(out->children.size(), 2u);
  const ArrayData& e = *out->children[0];
  EXPECT_EQ(e.length, 4);
  EXPECT_EQ(e.null_count, 2);
  EXPECT_TRUE(e.is_valid(0));
  EXPECT_FALSE(e.is_valid(1));
  EXPECT_TRUE(e.is_valid(2));
  EXPECT_FALSE(e.is_valid(3));
}

// A list's offsets for null and empty slots: both are empty ranges (Arrow columnar format).
TEST(NestedShredAssemble, ListOffsetsAndValidity) {
  const ParquetSchema s = parse_schema("optional group a (LIST) { repeated group list { optional int32 element; } }");
  const schema::FieldPlan plan = top_plan(s);
  column::LeafColumn c = leaf_column(
      {.max_def = 3, .max_rep = 1, .def = {3, 2, 3, 0, 1, 2, 3}, .rep = {0, 1, 1, 0, 0, 0, 0}, .values = {1, 2, 3}});
  ArrayPtr a = assemble(plan, s, {{0, &c}}, 5);
  ASSERT_EQ(a->buffers.size(), 2u);
  const int32_t* off = a->buffers[1]->as<int32_t>();
  EXPECT_EQ(std::vector<int32_t>(off, off + 6), (std::vector<int32_t>{0, 3, 3, 3, 4, 5}));
  EXPECT_EQ(a->null_count, 1);
  EXPECT_FALSE(a->is_valid(1));
  EXPECT_TRUE(a->is_valid(2));
  const ArrayData& el = *a->children.at(0);
  EXPECT_EQ(el.length, 5);
  EXPECT_EQ(el.null_count, 2);
}

// Shredding a null into a field declared non-nullable is the caller's error.
TEST(NestedShredAssemble, NullInRequiredFieldIsRefused) {
  const ParquetSchema s = parse_schema("required group a (LIST) { repeated group list { required int32 element; } }");
  const schema::FieldPlan plan = top_plan(s);
  const Json rows = Json::parse("[[1,null]]");
  // The element field is non-nullable in the plan, so the null must be refused.
  ArrayPtr a = array_from_json(plan.field.type, {&rows[0]});
  EXPECT_ERROR(shred(plan, *a, {1}, {1}), ErrorKind::InvalidArgument, "not nullable");
}

}  // namespace
}  // namespace parkett::nested::test

// Record assembly (nested/assemble.h) of levels no valid writer produces: each case is a
// schema, hand-written leaf levels that break a rule of the Dremel encoding, and the message
// the Error(Corrupt) must carry. Valid levels are in shred_assemble_test.cc.
#include <gtest/gtest.h>

#include "expect_error.h"
#include "nested/assemble.h"
#include "unit/nested/level_cases.h"

namespace parkett::nested::test {
namespace {

struct BadCase {
  const char* name;
  const char* schema;
  std::vector<Leaf> leaves;
  int64_t num_rows;
  const char* needle;  // part of the message
};

constexpr const char* kList = "optional group a (LIST) { repeated group list { optional int32 element; } }";
constexpr const char* kListOfStructs =
    "optional group l (LIST) { repeated group list { required group element { required int32 a; required int32 b; } } }";
constexpr const char* kListOfLists =
    "optional group o (LIST) { repeated group list { optional group element (LIST) { repeated group list { optional int32 element; } } } }";
constexpr const char* kMap =
    "optional group m (MAP) { repeated group key_value { required int32 key; optional int32 value; } }";

const std::vector<BadCase> kBad = {
    // a holds [1,2],[3] and b holds [4],[5,6]: three elements each, paired differently.
    {"siblings_pair_elements_differently", kListOfStructs,
     {{.def = {2, 2, 2}, .rep = {0, 1, 0}, .values = {1, 2, 3}}, {.def = {2, 2, 2}, .rep = {0, 0, 1}, .values = {4, 5, 6}}},
     2, "disagree on the lengths"},
    // The key says the map is null (D0), the value that it has an entry (D3).
    {"sibling_null_against_entry", kMap,
     {{.def = {0}, .rep = {0}, .values = {}}, {.def = {3}, .rep = {0}, .values = {1}}},
     1, "disagree on the lengths"},
    // An empty list (D1) or a null list (D0) followed by an element of the same row (R1).
    {"empty_list_continued", kList, {{.def = {1, 3}, .rep = {0, 1}, .values = {7}}}, 1, "continues a null or empty list"},
    {"null_list_continued", kList, {{.def = {0, 3}, .rep = {0, 1}, .values = {7}}}, 1, "continues a null or empty list"},
    // One level down: the outer list's element is a null inner list (D2), then R2 adds to it.
    {"null_inner_list_continued", kListOfLists, {{.def = {2, 5}, .rep = {0, 2}, .values = {7}}}, 1,
     "continues a null or empty list"},
    // An empty inner list (D3) continued at R2.
    {"empty_inner_list_continued", kListOfLists, {{.def = {3, 5}, .rep = {0, 2}, .values = {7}}}, 1,
     "continues a null or empty list"},
    // The column starts in the middle of a row (two rows either way, so only the level is wrong).
    {"first_repetition_level_not_zero", kList, {{.def = {3, 3}, .rep = {1, 0}, .values = {1, 2}}}, 2,
     "starts inside a row (repetition level 1)"},
    // R2 in a column whose maximum repetition level is 1.
    {"repetition_level_too_high", kList, {{.def = {3, 3}, .rep = {0, 2}, .values = {1, 2}}}, 1,
     "repeats where its schema does not"},
    {"repetition_level_too_high_in_list_of_lists", kListOfLists,
     {{.def = {5, 5}, .rep = {0, 3}, .values = {1, 2}}}, 1, "repeats where its schema does not"},
    // Struct siblings: a holds 3 rows, b 2.
    {"struct_leaves_row_counts_differ", "optional group s { required int32 a; optional int32 b; }",
     {{.def = {1, 1, 0}, .values = {1, 3}}, {.def = {2, 1}, .values = {2}}}, 3, "'s.b' has 2 rows, the row group 3"},
    // List siblings: x holds 2 rows, y 3.
    {"list_leaves_row_counts_differ", "optional group a (LIST) { repeated group pair { required int32 x; optional int32 y; } }",
     {{.def = {2, 1}, .rep = {0, 0}, .values = {1}}, {.def = {3, 1, 0}, .rep = {0, 0, 0}, .values = {2}}}, 2,
     "'a.pair.y' has 3 rows, the row group 2"},
    {"fewer_rows_than_row_group", kList, {{.def = {3, 1}, .rep = {0, 0}, .values = {1}}}, 3,
     "has 2 rows, the row group 3"},
    {"top_level_leaf_count", "optional int32 v;", {{.def = {1, 0}, .values = {1}}}, 3, "has 2 values, the row group 3"},
};

// Test names say which case failed; gtest would print the struct's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class AssembleCorrupt : public ::testing::TestWithParam<BadCase> {};

TEST_P(AssembleCorrupt, IsRefused) {
  const BadCase& c = GetParam();
  const ParquetSchema s = parse_schema(c.schema);
  const schema::FieldPlan plan = top_plan(s);
  ASSERT_EQ(plan.leaves.size(), c.leaves.size());
  std::vector<column::LeafColumn> columns;
  for (const Leaf& l : c.leaves) columns.push_back(leaf_column(l));
  std::map<int32_t, column::LeafColumn*> by_index;
  for (size_t k = 0; k < columns.size(); ++k) by_index[plan.leaves[k]] = &columns[k];
  EXPECT_ERROR(assemble(plan, s, by_index, c.num_rows), ErrorKind::Corrupt, c.needle);
}

INSTANTIATE_TEST_SUITE_P(Nested, AssembleCorrupt, ::testing::ValuesIn(kBad),
                         [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace parkett::nested::test

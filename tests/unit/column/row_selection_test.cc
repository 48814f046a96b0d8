// RowSelection: ranges normalised, set operations, and the mapping between rows of a row
// group and positions among selected rows (worked out by hand).
#include <gtest/gtest.h>

#include "column/row_selection.h"

namespace parkett::column {
namespace {

using R = std::vector<RowRange>;

TEST(RowSelection, RangesAreSortedMergedAndEmptyOnesDropped) {
  const RowSelection s = RowSelection::of({{10, 12}, {0, 3}, {2, 5}, {7, 7}, {12, 14}});
  EXPECT_EQ(s.ranges(), (R{{0, 5}, {10, 14}}));
  EXPECT_EQ(s.row_count(), 9);
  EXPECT_TRUE(RowSelection::all(0).empty());
  EXPECT_EQ(RowSelection::all(4).ranges(), (R{{0, 4}}));
}

TEST(RowSelection, FromMask) {
  const std::vector<uint8_t> keep = {0, 1, 1, 0, 0, 1, 0, 1};
  EXPECT_EQ(RowSelection::from_mask(keep).ranges(), (R{{1, 3}, {5, 6}, {7, 8}}));
  EXPECT_TRUE(RowSelection::from_mask(std::vector<uint8_t>(5, 0)).empty());
}

TEST(RowSelection, Intersects) {
  const RowSelection s = RowSelection::of({{5, 10}, {20, 21}});
  EXPECT_FALSE(s.intersects(0, 5));
  EXPECT_TRUE(s.intersects(0, 6));
  EXPECT_TRUE(s.intersects(9, 20));
  EXPECT_FALSE(s.intersects(10, 20));
  EXPECT_TRUE(s.intersects(20, 30));
  EXPECT_FALSE(s.intersects(21, 30));
  EXPECT_FALSE(s.intersects(7, 7));
}

TEST(RowSelection, CountIn) {
  const RowSelection s = RowSelection::of({{5, 10}, {20, 21}});
  EXPECT_EQ(s.count_in(0, 5), 0);
  EXPECT_EQ(s.count_in(0, 100), 6);
  EXPECT_EQ(s.count_in(7, 21), 4);
  EXPECT_EQ(s.count_in(9, 20), 1);
  EXPECT_EQ(s.count_in(21, 30), 0);
  EXPECT_EQ(s.count_in(8, 8), 0);
}

TEST(RowSelection, IntersectAndUnite) {
  const RowSelection a = RowSelection::of({{0, 10}, {20, 30}});
  const RowSelection b = RowSelection::of({{5, 25}, {28, 40}});
  EXPECT_EQ(a.intersect(b).ranges(), (R{{5, 10}, {20, 25}, {28, 30}}));
  EXPECT_EQ(a.unite(b).ranges(), (R{{0, 40}}));
  EXPECT_TRUE(a.intersect(RowSelection()).empty());
}

TEST(RowSelection, ComposeMapsPositionsAmongSelectedRowsToRows) {
  // Selected rows: 10 11 12 | 20 21 | 30; positions 0..5.
  const RowSelection outer = RowSelection::of({{10, 13}, {20, 22}, {30, 31}});
  // Positions 1..3 (rows 11 12 20) and 5 (row 30).
  const RowSelection inner = RowSelection::of({{1, 4}, {5, 6}});
  EXPECT_EQ(outer.compose(inner).ranges(), (R{{11, 13}, {20, 21}, {30, 31}}));
  EXPECT_EQ(outer.positions_of(outer.compose(inner)), (std::vector<int64_t>{1, 2, 3, 5}));
  EXPECT_TRUE(outer.compose(RowSelection()).empty());
  EXPECT_EQ(outer.compose(RowSelection::all(6)).ranges(), outer.ranges());
}

}  // namespace
}  // namespace parkett::column

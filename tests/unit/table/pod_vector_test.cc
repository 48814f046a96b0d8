// table::PodVector: a vector of plain values on pooled memory (table/pod_vector.h).
#include <gtest/gtest.h>

#include <vector>

#include "table/pod_vector.h"

namespace parkett::table {
namespace {

std::vector<int64_t> as_vector(const PodVector<int64_t>& v) { return {v.begin(), v.end()}; }

TEST(PodVector, GrowingKeepsTheValues) {
  PodVector<int64_t> v{0};
  for (int64_t i = 1; i <= 100000; ++i) v.push_back(i * 3);
  ASSERT_EQ(v.size(), 100001u);
  EXPECT_GE(v.capacity(), v.size());
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], static_cast<int64_t>(i) * 3) << i;
  EXPECT_EQ(v.front(), 0);
  EXPECT_EQ(v.back(), 300000);
  // resize past the capacity keeps the values before; the new ones are the caller's to write.
  const size_t old = v.size();
  v.resize(old * 3);
  EXPECT_EQ(v[old - 1], 300000);
  v.resize(2);
  EXPECT_EQ(as_vector(v), (std::vector<int64_t>{0, 3}));
}

TEST(PodVector, AssignClearAndMove) {
  PodVector<int64_t> v{5, 6, 7};
  v.assign(1, 0);
  EXPECT_EQ(as_vector(v), (std::vector<int64_t>{0}));
  v.clear();
  EXPECT_TRUE(v.empty());
  v.push_back(9);
  PodVector<int64_t> moved = std::move(v);
  EXPECT_EQ(as_vector(moved), (std::vector<int64_t>{9}));
  EXPECT_TRUE(v.empty());  // NOLINT(bugprone-use-after-move): moving leaves it empty
  EXPECT_EQ(v.data(), nullptr);
  v.push_back(1);  // and usable
  EXPECT_EQ(as_vector(v), (std::vector<int64_t>{1}));
  moved.reserve(1000);
  EXPECT_EQ(as_vector(moved), (std::vector<int64_t>{9}));
}

}  // namespace
}  // namespace parkett::table

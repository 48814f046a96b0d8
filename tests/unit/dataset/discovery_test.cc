// Glob matching and the directories of a path below a base (dataset/discovery.h).
#include <gtest/gtest.h>

#include "dataset/discovery.h"

namespace parkett::dataset {
namespace {

TEST(Glob, StarsStayInOneNameAndDoubleStarsCrossDirectories) {
  EXPECT_TRUE(glob_match("d/*.parquet", "d/a.parquet"));
  EXPECT_FALSE(glob_match("d/*.parquet", "d/x/a.parquet"));
  EXPECT_TRUE(glob_match("d/**/*.parquet", "d/a.parquet"));  // ** is zero or more directories
  EXPECT_TRUE(glob_match("d/**/*.parquet", "d/x=1/y=2/a.parquet"));
  EXPECT_FALSE(glob_match("d/**/*.parquet", "e/x/a.parquet"));
  EXPECT_TRUE(glob_match("d/x=?/*", "d/x=1/part-0"));
  EXPECT_FALSE(glob_match("d/x=?/*", "d/x=10/part-0"));
  EXPECT_TRUE(glob_match("/abs/**/part-*.pq", "/abs/p/part-7.pq"));
  EXPECT_TRUE(glob_match("d/a*b*c", "d/abxbyc"));
  EXPECT_FALSE(glob_match("d/a*b*c", "d/abxbyd"));
  // Many stars against a long name that does not match: linear, not exponential.
  EXPECT_FALSE(glob_match("d/" + std::string(40, '*') + "x", "d/" + std::string(5000, 'a')));
}

TEST(Glob, SegmentsBelowTheBase) {
  EXPECT_EQ(segments_below("/data/t", "/data/t/a=1/b=2/f.parquet"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(segments_below("/data/t/", "/data/t/f.parquet"), std::vector<std::string>{});
  EXPECT_EQ(segments_below("/data/t", "/data/other/a=1/f.parquet"), std::vector<std::string>{});
  EXPECT_EQ(segments_below("", "a=1/f.parquet"), std::vector<std::string>{"a=1"});
}

TEST(Glob, ListedFilesShareTheirCommonDirectory) {
  EXPECT_EQ(listed({"/d/t/a=1/x.parquet", "/d/t/a=2/y.parquet"}).base, "/d/t");
  EXPECT_EQ(listed({"/d/t/a=1/x.parquet", "/e/y.parquet"}).base, "/");
  EXPECT_EQ(listed({"a=1/x.parquet", "a=2/y.parquet"}).base, "");
}

}  // namespace
}  // namespace parkett::dataset

// Glob matching and the directories of a path below a base (dataset/discovery.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dataset/discovery.h"
#include "expect_error.h"

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

// A directory walk: hidden names skipped, data files by extension, symbolic links to
// files read and links to directories not followed (a link to a parent would loop).
TEST(Discover, WalksTheTreeWithoutFollowingDirectoryLinks) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("parkett-discover-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "a=1" / "b=2");
  fs::create_directories(root / "_hidden");
  for (const fs::path& f : {root / "a=1" / "b=2" / "x.parquet", root / "a=1" / "y.parquet", root / "_hidden" / "z.parquet",
                            root / "a=1" / "notes.txt", root / "_metadata"}) {
    std::ofstream(f) << "x";
  }
  fs::create_symlink(root, root / "a=1" / "loop");                       // a directory link
  fs::create_symlink(root / "a=1" / "y.parquet", root / "linked.parquet");  // a file link
  const Discovered d = discover(root.string() + "/", {".parquet"}, 2);
  EXPECT_EQ(d.files, (std::vector<std::string>{(root / "a=1" / "b=2" / "x.parquet").string(),
                                               (root / "a=1" / "y.parquet").string(),
                                               (root / "linked.parquet").string()}));
  EXPECT_EQ(d.metadata_file, (root / "_metadata").string());
  EXPECT_EQ(d.base, root.string());
  // Through a FileSystem (one listing, as on S3) the same tree gives the same files.
  const Discovered listed_d = discover(*local_filesystem(), root.string() + "/", {".parquet"});
  EXPECT_EQ(listed_d.files, d.files);
  EXPECT_EQ(listed_d.metadata_file, d.metadata_file);
  EXPECT_EQ(listed_d.base, d.base);
  // Globs: absolute, and relative to the working directory.
  const std::string pattern = root.string() + "/a=*/*.parquet";
  EXPECT_EQ(discover(*local_filesystem(), pattern, {}).files, discover(pattern, {}, 1).files);
  EXPECT_EQ(discover(*local_filesystem(), pattern, {}).files, std::vector<std::string>{(root / "a=1" / "y.parquet").string()});
  const fs::path cwd = fs::current_path();
  fs::current_path(root);
  EXPECT_EQ(discover(*local_filesystem(), "a=*/*.parquet", {}).files, discover("a=*/*.parquet", {}, 1).files);
  EXPECT_EQ(discover(*local_filesystem(), "*.parquet", {}).files, discover("*.parquet", {}, 1).files);
  EXPECT_EQ(discover(*local_filesystem(), "linked.parquet", {}).base, "");
  fs::current_path(cwd);
  EXPECT_ERROR(discover(*local_filesystem(), root.string() + "/nothing/*.parquet", {}), ErrorKind::NotFound, "no directory");
  EXPECT_ERROR(discover(*local_filesystem(), root.string() + "/nothing", {}), ErrorKind::NotFound, "nothing");
  fs::remove_all(root);
}

}  // namespace
}  // namespace parkett::dataset

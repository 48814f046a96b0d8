// A test fixture with a fresh directory of its own (removed afterwards), for tests that write
// files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace parkett::test {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("parkett-" + std::string(info->test_suite_name()) + "-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string& name = "t.parquet") const { return (dir_ / name).string(); }
  /// dir_/relative with its directories created (the files of a dataset's tree).
  std::string file(const std::string& relative) const {
    const std::filesystem::path p = dir_ / relative;
    std::filesystem::create_directories(p.parent_path());
    return p.string();
  }

  std::filesystem::path dir_;
};

}  // namespace parkett::test

// `parkett convert` and friends on input a user gets wrong or a hostile one crafts: each is
// refused with a message that says what and where (exit 1 for bad data, 2 for usage), or,
// where the input is valid, converted without losing anything.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "run_cli.h"

namespace fs = std::filesystem;

namespace {

using parkett::test::CliResult;
using Result = CliResult;

class InputChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parkett-input-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string file(const std::string& name, const std::string& content) const {
    std::ofstream(path(name), std::ios::binary) << content;
    return path(name);
  }
  std::string slurp(const std::string& name) const {
    std::ifstream in(path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static Result sh(const std::string& line) { return parkett::test::sh(line); }
  static Result run(const std::string& args) { return sh("PARKETT " + args); }
  // Rows of a Parquet file as canonical JSON Lines, without the schema line.
  static std::string rows(const std::string& parquet) {
    Result r = run("cat " + parquet);
    EXPECT_EQ(r.code, 0) << r.out;
    return r.out.substr(r.out.find('\n') + 1);
  }
  bool no_output_left() const {
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string n = e.path().filename().string();
      if (n.starts_with("out") || n.find(".parkett-tmp-") != std::string::npos) return false;
    }
    return true;
  }

  fs::path dir_;
};

TEST_F(InputChecks, DeeplyNestedJsonIsRefusedWithTheLine) {
  for (int depth : {101, 10000, 100000}) {
    SCOPED_TRACE(depth);
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    const std::string in = file("deep.jsonl", "{\"a\":1}\n{\"a\":" + deep + "}\n");
    Result r = run("convert " + in + " " + path("out.parquet"));
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("deep.jsonl: line 2 nests arrays and objects deeper than 100 levels"), std::string::npos)
        << r.out.substr(0, 300);
    EXPECT_TRUE(no_output_left());
  }
  // 100 levels are fine, and so is a bracket inside a string.
  const std::string ok = std::string(99, '[') + "\"[[[[\"" + std::string(99, ']');
  const std::string in = file("ok.jsonl", "{\"a\":" + ok + "}\n");
  Result r = run("convert " + in + " " + path("out.parquet"));
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(InputChecks, MismatchMessagesShowABoundedPrefix) {
  // A huge value of the wrong type: the message quotes 80 characters of it, not the value.
  std::string big = "{\"a\":1}\n{\"a\":[";
  for (int i = 0; i < 200000; ++i) big += (i ? "," : "") + std::to_string(i);
  big += "]}\n";
  Result r = run("convert " + file("big.jsonl", big) + " " + path("out.parquet") + " --schema a:int64");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("line 2, field 'a': [0,1,2,3"), std::string::npos) << r.out.substr(0, 300);
  EXPECT_LT(r.out.size(), 400u);
}

TEST_F(InputChecks, IntegersBeyond64BitsStayText) {
  const std::string huge = "123456789012345678901234567890";
  // CSV: inferred as text, not rounded to a double.
  Result csv = run("convert " + file("in.csv", "id,n\n1," + huge + "\n2,7\n") + " " + path("out.parquet"));
  ASSERT_EQ(csv.code, 0) << csv.out;
  EXPECT_EQ(rows(path("out.parquet")), "{\"id\":1,\"n\":\"" + huge + "\"}\n{\"id\":2,\"n\":\"7\"}\n");
  // JSON Lines likewise; a negative one too.
  const std::string jl = file("in.jsonl", "{\"n\":" + huge + "}\n{\"n\":-" + huge + "}\n{\"n\":5}\n");
  Result json = run("convert " + jl + " " + path("out2.parquet"));
  ASSERT_EQ(json.code, 0) << json.out;
  EXPECT_EQ(rows(path("out2.parquet")),
            "{\"n\":\"" + huge + "\"}\n{\"n\":\"-" + huge + "\"}\n{\"n\":\"5\"}\n");
  // Asked for as integers they are refused, naming line and field; as floats they convert.
  Result as_int = run("convert " + jl + " " + path("out3.parquet") + " --schema n:int64");
  EXPECT_EQ(as_int.code, 1);
  EXPECT_NE(as_int.out.find("line 1, field 'n': " + huge + " is not int64"), std::string::npos) << as_int.out;
  Result as_u = run("convert " + path("in.csv") + " " + path("out4.parquet") + " --schema id:int64,n:uint64");
  EXPECT_EQ(as_u.code, 1);
  EXPECT_NE(as_u.out.find("line 2, column 'n': '" + huge + "' is not uint64"), std::string::npos) << as_u.out;
  Result as_float = run("convert " + jl + " " + path("out5.parquet") + " --schema n:float64");
  ASSERT_EQ(as_float.code, 0) << as_float.out;
  EXPECT_EQ(rows(path("out5.parquet")), "{\"n\":1.2345678901234568e+29}\n{\"n\":-1.2345678901234568e+29}\n{\"n\":5}\n");
}

TEST_F(InputChecks, InvalidUtf8IsOneRuleForCsvAndJsonLines) {
  const std::string bad = std::string("caf\xe9", 4);  // Latin-1, not UTF-8
  Result csv = run("convert " + file("in.csv", "id,name\n1,ok\n2," + bad + "\n") + " " + path("out.parquet"));
  EXPECT_EQ(csv.code, 1);
  EXPECT_NE(csv.out.find("in.csv: line 3, column 'name': byte 4 of the value is not UTF-8"), std::string::npos)
      << csv.out;
  EXPECT_TRUE(no_output_left());
  Result json = run("convert " + file("in.jsonl", "{\"name\":\"" + bad + "\"}\n") + " " + path("out.parquet"));
  EXPECT_EQ(json.code, 1);
  EXPECT_NE(json.out.find("in.jsonl: line 1 is not JSON"), std::string::npos) << json.out;
  // Overlong forms and surrogates are not UTF-8 either; binary columns keep any bytes.
  for (const std::string& seq : {std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    Result r = run("convert " + file("s.csv", "s\n" + seq + "\n") + " " + path("out.parquet"));
    EXPECT_EQ(r.code, 1) << r.out;
  }
  Result raw = run("convert " + path("in.csv") + " " + path("out.parquet") + " --schema id:int64,name:binary");
  EXPECT_EQ(raw.code, 0) << raw.out;
  Result ok = run("convert " + file("u.csv", "s\n\xe2\x82\xac \xf0\x9f\x98\x80\n") + " " + path("out2.parquet"));
  EXPECT_EQ(ok.code, 0) << ok.out;
}

TEST_F(InputChecks, RepeatedOutputNamesAreRefused) {
  Result header = run("convert " + file("in.csv", "a,b,a\n1,2,3\n") + " " + path("out.parquet"));
  EXPECT_EQ(header.code, 1);
  EXPECT_NE(header.out.find("the header names column 'a' twice (columns 1 and 3)"), std::string::npos) << header.out;
  const std::string good = file("good.csv", "a,b\n1,2\n");
  Result rename = run("convert " + good + " " + path("out.parquet") + " --rename a=b");
  EXPECT_EQ(rename.code, 1);
  EXPECT_NE(rename.out.find("renaming 'a' to 'b' gives two fields that name"), std::string::npos) << rename.out;
  Result spark = run("convert " + file("sp.csv", "a b,a_b\n1,2\n") + " " + path("out.parquet") + " --flavor spark");
  EXPECT_EQ(spark.code, 1);
  EXPECT_NE(spark.out.find("renaming 'a b' to 'a_b'"), std::string::npos) << spark.out;
  EXPECT_TRUE(no_output_left());
  Result swap = run("convert " + good + " " + path("out.parquet") + " --rename a=b --rename b=a");
  EXPECT_EQ(swap.code, 0) << swap.out;
  EXPECT_EQ(rows(path("out.parquet")), "{\"b\":1,\"a\":2}\n");
}

TEST_F(InputChecks, EscapeSequencesInNamesAndValuesDoNotReachTheTerminal) {
  // A column named ESC[31m..., a value holding an OSC title sequence and a C1 CSI (U+009B).
  const std::string jsonl = file("in.jsonl", "{\"\\u001b[31mred\": \"\\u001b]0;owned\\u0007 and \\u009b2J\"}\n");
  const std::string parquet = path("esc.parquet");
  ASSERT_EQ(run("convert " + jsonl + " " + parquet).code, 0);
  for (const std::string& command : {"meta " + parquet, "schema " + parquet, "schema --arrow " + parquet,
                                     "cat --format table " + parquet}) {
    Result r = run(command);
    EXPECT_EQ(r.code, 0) << command << ": " << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << command << ": " << r.out;
    EXPECT_NE(r.out.find("\\x1b[31mred"), std::string::npos) << command << ": " << r.out;
  }
  Result table = run("cat --format table " + parquet);
  EXPECT_NE(table.out.find("\\x1b]0;owned\\x07 and \\u009b2J"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("\xc2\x9b"), std::string::npos) << table.out;
  // Data formats keep the bytes (JSON escapes them its own way).
  EXPECT_NE(run("cat " + parquet).out.find("\\u001b]0;owned\\u0007"), std::string::npos);
}

TEST_F(InputChecks, SizesCountsDelimitersAndFlagsOutOfPlaceAreRefused) {
  const std::string csv = file("in.csv", "a,b\n1,2\n");
  const std::string parquet = path("p.parquet");
  ASSERT_EQ(run("convert " + csv + " " + parquet).code, 0);
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"convert " + csv + " " + path("out.parquet") + " --row-group-size 0", "--row-group-size '0': expected a positive integer"},
      {"convert " + csv + " " + path("out.parquet") + " --page-size -5", "--page-size '-5': expected a positive integer"},
      {"convert " + csv + " " + path("out.parquet") + " --page-rows 0", "--page-rows '0': expected a positive integer"},
      {"convert " + csv + " " + path("out.csv") + " --where 'a = 1'", "--where applies to Parquet input; '" + csv + "' is CSV"},
      {"convert " + csv + " " + path("out.parquet") + " --threads -1", "--threads '-1': expected 0 (every core) or more"},
      {"convert " + csv + " " + path("out.parquet") + " --sample-rows 0", "--sample-rows '0': expected a positive integer"},
      {"convert " + csv + " " + path("out.parquet") + " --delimiter '\"'", "a quote or line break cannot separate fields"},
      {"convert " + csv + " " + path("out.parquet") + " --delimiter \"$(printf '\\r')\"", "a quote or line break cannot separate fields"},
      {"convert " + parquet + " " + path("out.csv") + " --codec zstd", "--codec applies to Parquet output; '" + path("out.csv") + "' is CSV"},
      {"convert " + parquet + " " + path("out.jsonl") + " --row-group-size 5", "--row-group-size applies to Parquet output"},
      {"convert " + parquet + " " + path("out.parquet") + " --schema a:int64", "--schema applies to CSV or JSON Lines input"},
      {"convert " + parquet + " " + path("out.parquet") + " --delimiter ';'", "--delimiter applies to CSV or JSON Lines input"},
      {"convert " + file("in.jsonl", "{\"a\":1}\n") + " " + path("out.parquet") + " --delimiter ';'",
       "--delimiter applies to CSV input"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    Result r = sh("PARKETT " + c.args);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
  }
  // A directory is read as a dataset of Parquet files, whatever its name.
  fs::create_directory(path("dir.csv"));
  Result d = run("convert " + path("dir.csv") + " " + path("out.parquet"));
  EXPECT_EQ(d.code, 1);
  EXPECT_NE(d.out.find("is a directory or glob holding no Parquet files"), std::string::npos) << d.out;
  EXPECT_TRUE(no_output_left());
}

TEST_F(InputChecks, WideSchemasReadEveryColumn) {
  // 20,000 columns in one row: every value comes back under its own name.
  const int n = 20000;
  std::string header, values;
  for (int i = 0; i < n; ++i) {
    header += (i ? "," : "") + std::string("c") + std::to_string(i);
    values += (i ? "," : "") + std::to_string(i * 7);
  }
  const std::string in = file("wide.csv", header + "\n" + values + "\n");
  ASSERT_EQ(run("convert " + in + " " + path("wide.parquet")).code, 0);
  Result cat = run("cat " + path("wide.parquet"));
  ASSERT_EQ(cat.code, 0);
  const auto row = nlohmann::json::parse(cat.out.substr(cat.out.find('\n') + 1));
  ASSERT_EQ(row.size(), static_cast<size_t>(n));
  EXPECT_EQ(row["c0"], 0);
  EXPECT_EQ(row["c12345"], 12345 * 7);
  EXPECT_EQ(row["c19999"], 19999 * 7);
  Result some = run("cat --columns c19999,c3 " + path("wide.parquet"));
  EXPECT_EQ(some.out.substr(some.out.find('\n') + 1), "{\"c19999\":139993,\"c3\":21}\n");
  Result meta = run("meta --json " + path("wide.parquet"));
  ASSERT_EQ(meta.code, 0);
  const auto md = nlohmann::json::parse(meta.out);
  EXPECT_EQ(md["num_columns"], n);
  ASSERT_EQ(md["row_groups"][0]["columns"].size(), static_cast<size_t>(n));
  EXPECT_EQ(md["row_groups"][0]["columns"][n - 1]["path_in_schema"], "c19999");
  EXPECT_EQ(md["row_groups"][0]["columns"][n - 1]["statistics"]["max"], 19999 * 7);
}


}  // namespace

// The parkett command as a user runs it: output, JSON shape, exit codes, errors.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "corpus.h"
#include "run_cli.h"

namespace {

using Result = parkett::test::CliResult;

Result run(const std::string& args) { return parkett::test::run_cli(args); }

TEST(Cli, SchemaPrintsTheTree) {
  auto r = run("schema " + parkett::test::data_file("nested_lists.snappy.parquet"));
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("optional group field_id=-1 a (List) {"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("optional binary field_id=-1 element (String);"), std::string::npos);
  auto arrow = run("schema --arrow " + parkett::test::data_file("nested_maps.snappy.parquet"));
  EXPECT_NE(arrow.out.find("a: map<string, map<int32, bool not null>>"), std::string::npos)
      << arrow.out;
}

TEST(Cli, MetaJsonHasPyarrowKeys) {
  auto r = run("meta --json " + parkett::test::data_file("alltypes_plain.snappy.parquet"));
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"created_by", "num_columns", "num_rows", "num_row_groups", "format_version",
                        "serialized_size", "row_groups"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j["num_rows"], 2);
  EXPECT_EQ(j["num_columns"], 11);
  const auto& col = j["row_groups"][0]["columns"][0];
  EXPECT_EQ(col["path_in_schema"], "id");
  EXPECT_EQ(col["physical_type"], "INT32");
  EXPECT_EQ(col["compression"], "SNAPPY");
  EXPECT_TRUE(col["encodings"].is_array());
  for (const char* k : {"file_offset", "num_values", "statistics", "total_compressed_size",
                        "total_uncompressed_size", "data_page_offset", "has_dictionary_page"}) {
    EXPECT_TRUE(col.contains(k)) << k;
  }
}

TEST(Cli, MetaRowGroupSelection) {
  auto r = run("meta --json --row-group 0 " + parkett::test::data_file("alltypes_tiny_pages.parquet"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["row_groups"].size(), 1u);
  auto bad = run("meta --row-group 5 " + parkett::test::data_file("alltypes_tiny_pages.parquet"));
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--row-group 5 does not exist"), std::string::npos) << bad.out;
}

TEST(Cli, ExitCodesAndErrors) {
  auto missing = run("meta /nonexistent/file.parquet");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find("parkett: /nonexistent/file.parquet: cannot open"), std::string::npos)
      << missing.out;
  auto usage = run("meta --no-such-flag x");
  EXPECT_EQ(usage.code, 2);
  auto no_cmd = run("");
  EXPECT_EQ(no_cmd.code, 2);
  auto help = run("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("schema"), std::string::npos);
  auto sub_help = run("meta --help");
  EXPECT_EQ(sub_help.code, 0);
  EXPECT_NE(sub_help.out.find("--row-group"), std::string::npos);
  auto enc = run("schema " + parkett::test::data_file("uniform_encryption.parquet.encrypted"));
  EXPECT_EQ(enc.code, 1);
  EXPECT_NE(enc.out.find("encrypted footer: keys required"), std::string::npos);
}

TEST(Cli, ConvertAppliesWriterFlags) {
  const std::string out = ::testing::TempDir() + "/parkett-cli-convert.parquet";
  auto r = run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + out +
               " --codec zstd:7 --data-page-version 2 --dictionary off --column id:encoding=delta_binary_packed"
               " --column string_col:codec=gzip");
  ASSERT_EQ(r.code, 0) << r.out;
  auto meta = run("meta --json " + out);
  ASSERT_EQ(meta.code, 0) << meta.out;
  const auto j = nlohmann::json::parse(meta.out);
  bool saw_id = false, saw_string = false;
  for (const auto& c : j["row_groups"][0]["columns"]) {
    const std::string path = c["path_in_schema"];
    if (path == "id") {
      saw_id = true;
      EXPECT_EQ(c["compression"], "ZSTD");
      EXPECT_NE(c["encodings"].dump().find("DELTA_BINARY_PACKED"), std::string::npos) << c.dump();
    }
    if (path == "string_col") {
      saw_string = true;
      EXPECT_EQ(c["compression"], "GZIP");
      EXPECT_EQ(c["encodings"].dump().find("DICTIONARY"), std::string::npos) << c.dump();
    }
  }
  EXPECT_TRUE(saw_id && saw_string);
  // The same rows as the source (INT96 timestamps aside, which come back as INT64 nanoseconds).
  const std::string columns = " --columns id,bool_col,float_col,string_col";
  EXPECT_EQ(run("cat" + columns + " " + out).out,
            run("cat" + columns + " " + parkett::test::data_file("alltypes_plain.parquet")).out);
  auto bad_codec = run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + out + " --codec zip");
  EXPECT_EQ(bad_codec.code, 1);
  EXPECT_NE(bad_codec.out.find("codec 'zip'"), std::string::npos) << bad_codec.out;
  auto bad_pair = run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + out +
                      " --column string_col:encoding=alp");
  EXPECT_EQ(bad_pair.code, 1);
  EXPECT_NE(bad_pair.out.find("string_col"), std::string::npos) << bad_pair.out;
  std::remove(out.c_str());
}

TEST(Cli, ConvertAppliesMetadataAndTypeFlags) {
  const std::string out = ::testing::TempDir() + "/parkett-cli-convert-meta.parquet";
  auto r = run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + out +
               " --format-version 1.0 --int96 --rename id=ident --sorting-column ident:desc:nulls_first"
               " --column string_col:bloom_filter=0.01,distinct_count=on --total-order on");
  ASSERT_EQ(r.code, 0) << r.out;
  auto meta = run("meta --json " + out);
  ASSERT_EQ(meta.code, 0) << meta.out;
  const auto j = nlohmann::json::parse(meta.out);
  EXPECT_EQ(j["version"], 1);
  const auto& rg = j["row_groups"][0];
  ASSERT_EQ(rg["sorting_columns"].size(), 1u) << rg["sorting_columns"].dump();
  EXPECT_EQ(rg["sorting_columns"][0]["column_index"], 0);
  EXPECT_EQ(rg["sorting_columns"][0]["descending"], true);
  for (const auto& c : rg["columns"]) {
    const std::string path = c["path_in_schema"];
    if (path == "ident") {
      EXPECT_EQ(c["bloom_filter_offset"], nullptr);
    }
    if (path == "string_col") {
      EXPECT_NE(c["bloom_filter_offset"], nullptr);
      EXPECT_EQ(c["statistics"]["distinct_count"], 2);
      EXPECT_NE(c["encodings"].dump().find("PLAIN_DICTIONARY"), std::string::npos) << c.dump();
    }
    if (path == "timestamp_col") {
      EXPECT_EQ(c["physical_type"], "INT96");
    }
  }
  EXPECT_NE(j["column_orders"].dump().find("IEEE_754_TOTAL_ORDER"), std::string::npos) << j["column_orders"].dump();
  auto bad = run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + out + " --format-version 3");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--format-version '3'"), std::string::npos) << bad.out;
  std::remove(out.c_str());
}

// The data pages of column `path` in row group 0 (from the footer's encoding_stats).
int64_t data_pages(const nlohmann::json& meta, const std::string& path) {
  for (const auto& c : meta["row_groups"][0]["columns"]) {
    if (c["path_in_schema"] != path) continue;
    int64_t pages = 0;
    for (const auto& s : c["encoding_stats"]) {
      if (s["page_type"] == "DATA_PAGE" || s["page_type"] == "DATA_PAGE_V2") pages += s["count"].get<int64_t>();
    }
    return pages;
  }
  return -1;
}

TEST(Cli, SparkCalendarAndReadOptions) {
  // 1000-03-01 is day -354226 in the proleptic Gregorian calendar, -354220 in the hybrid
  // one of Spark 2.x; the proleptic day -354226 is 1000-02-24 in the hybrid calendar.
  const std::string dir = ::testing::TempDir() + "/parkett-cli-rebase";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir + "/in.csv");
    csv << "d,name\n1000-03-01,a\n2020-01-01,b\n";
  }
  // Written for Spark 2.x: hybrid days (the statistics show them) and Spark's keys, which
  // make every reader that follows them read the dates back as written.
  ASSERT_EQ(run("convert --no-progress " + dir + "/in.csv " + dir + "/legacy.parquet --schema d:date,name:binary"
                " --datetime-rebase-in-write legacy").code, 0);
  auto j = nlohmann::json::parse(run("meta --json " + dir + "/legacy.parquet").out);
  EXPECT_EQ(j["key_value_metadata"]["org.apache.spark.legacyDateTime"], "");
  EXPECT_EQ(j["key_value_metadata"]["org.apache.spark.version"], "3.5.0");
  EXPECT_EQ(j["row_groups"][0]["columns"][0]["statistics"]["min"], "1000-03-07") << j["row_groups"][0]["columns"][0].dump();
  const auto legacy = run("cat --columns d --datetime-rebase-in-read exception " + dir + "/legacy.parquet");
  EXPECT_EQ(legacy.code, 0) << legacy.out;
  EXPECT_NE(legacy.out.find("{\"d\":\"1000-03-01\"}"), std::string::npos) << legacy.out;
  // Rewritten without rebase options: proleptic days and no Spark keys.
  ASSERT_EQ(run("convert --no-progress " + dir + "/legacy.parquet " + dir + "/copy.parquet").code, 0);
  j = nlohmann::json::parse(run("meta --json " + dir + "/copy.parquet").out);
  EXPECT_FALSE(j["key_value_metadata"].contains("org.apache.spark.legacyDateTime")) << j["key_value_metadata"].dump();
  EXPECT_EQ(j["row_groups"][0]["columns"][0]["statistics"]["min"], "1000-03-01");
  // A file that does not say: taken as it is by default, refused or rebased on request.
  const std::string plain = dir + "/copy.parquet";
  EXPECT_NE(run("cat " + plain).out.find("1000-03-01"), std::string::npos);
  const auto exception = run("cat --datetime-rebase-in-read exception " + plain);
  EXPECT_EQ(exception.code, 1);
  EXPECT_NE(exception.out.find("column d: the date stored as day -354226 (1000-03-01 in the proleptic Gregorian "
                               "calendar, 1000-02-24 in the hybrid one) lies before 1582-10-15"),
            std::string::npos)
      << exception.out;
  EXPECT_NE(run("cat --datetime-rebase-in-read LEGACY " + plain).out.find("1000-02-24"), std::string::npos);
  const auto bad = run("cat --datetime-rebase-in-read julian " + plain);
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("--datetime-rebase-in-read 'julian': expected EXCEPTION, CORRECTED or LEGACY"), std::string::npos)
      << bad.out;
  // Spark's binaryAsString.
  const auto strings = run("cat --binary-as-string " + plain);
  EXPECT_NE(strings.out.find("{\"name\":\"name\",\"type\":\"string\"}"), std::string::npos) << strings.out;
  EXPECT_NE(strings.out.find("\"name\":\"a\""), std::string::npos) << strings.out;
  const auto text_input = run("convert --no-progress --binary-as-string " + dir + "/in.csv " + dir + "/x.parquet");
  EXPECT_EQ(text_input.code, 1);
  EXPECT_NE(text_input.out.find("--binary-as-string applies to Parquet input"), std::string::npos) << text_input.out;
  std::filesystem::remove_all(dir);
}

TEST(Cli, ColumnsByFieldId) {
  // byte_array_decimal's one column, "value", carries field id 6 (parquet-mr wrote it).
  const std::string file = parkett::test::data_file("byte_array_decimal.parquet");
  const auto by_id = run("cat --column-ids 6 " + file);
  EXPECT_EQ(by_id.code, 0) << by_id.out;
  EXPECT_EQ(by_id.out, run("cat --columns value " + file).out);
  const auto missing = run("cat --column-ids 1 " + file);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find("no field has field id 1"), std::string::npos) << missing.out;
}

TEST(Cli, StatsAnswersFromStatisticsAlone) {
  // alltypes_tiny_pages: 7,300 rows, id 0..7299 (its canonical dump), no nulls.
  const std::string file = parkett::test::data_file("alltypes_tiny_pages.parquet");
  const auto r = run("stats --json --columns id,date_string_col " + file);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["column"], "id");
  EXPECT_EQ(j[0]["rows"], 7300);
  EXPECT_EQ(j[0]["null_count"], 0);
  EXPECT_EQ(j[0]["min"], 0);
  EXPECT_EQ(j[0]["max"], 7299);
  EXPECT_EQ(j[1]["min"], "01/01/09");
  const auto text = run("stats --columns id " + file);
  EXPECT_EQ(text.out.substr(0, text.out.find('\n')), "id: 7300 rows, nulls 0, min 0, max 7299") << text.out;
  const auto bad = run("stats --columns nope " + file);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("no leaf column 'nope'"), std::string::npos) << bad.out;
}

TEST(Cli, ConvertTakesEveryWriterOption) {
  // alltypes_tiny_pages: 7,300 rows in one row group; string_col holds 10 distinct values,
  // date_string_col 730.
  const std::string in = parkett::test::data_file("alltypes_tiny_pages.parquet");
  const std::string out = ::testing::TempDir() + "/parkett-cli-convert-all.parquet";
  auto r = run("convert --no-progress " + in + " " + out +
               " --created-by 'tester 1.0' --metadata owner=me --metadata 'team=data=science' --no-arrow-schema"
               " --max-dictionary-keys 100 --page-size 1000 --write-batch-size 10 --statistics-truncate-length 4"
               " --decimals-as-integers off");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(run("meta --json " + out).out);
  EXPECT_EQ(j["created_by"], "tester 1.0");
  EXPECT_EQ(j["key_value_metadata"], nlohmann::json::parse(R"({"owner": "me", "team": "data=science"})"));
  // 4-byte ids in pages of about 1000 bytes, closed at multiples of 10 rows: about 250
  // rows a page (with the default of 1024 rows between checks, 8 pages).
  const int64_t id_pages = data_pages(j, "id");
  EXPECT_GE(id_pages, 25);
  EXPECT_LE(id_pages, 35);
  for (const auto& c : j["row_groups"][0]["columns"]) {
    if (c["path_in_schema"] == "date_string_col") {
      // 730 distinct values: past 100 keys the chunk falls back to PLAIN.
      EXPECT_NE(c["encodings"].dump().find("PLAIN\""), std::string::npos) << c["encodings"].dump();
      EXPECT_LE(c["statistics"]["min"].get<std::string>().size(), 4u) << c["statistics"].dump();
    }
    if (c["path_in_schema"] == "string_col") {
      EXPECT_NE(c["encodings"].dump().find("DICTIONARY"), std::string::npos) << c["encodings"].dump();
    }
  }
  EXPECT_EQ(run("cat --columns id,string_col " + out).out, run("cat --columns id,string_col " + in).out);

  // Row groups by bytes; --columns and --row-group rewrite a subset.
  ASSERT_EQ(run("convert --no-progress " + in + " " + out + " --row-group-bytes 20000").code, 0);
  j = nlohmann::json::parse(run("meta --json " + out).out);
  const int64_t groups = j["num_row_groups"];
  EXPECT_GT(groups, 3);
  const std::string subset = ::testing::TempDir() + "/parkett-cli-convert-subset.parquet";
  r = run("convert --no-progress " + out + " " + subset + " --columns id,string_col --row-group 1,2");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto s = nlohmann::json::parse(run("meta --json " + subset).out);
  EXPECT_EQ(s["num_columns"], 2);
  EXPECT_EQ(s["num_rows"], j["row_groups"][1]["num_rows"].get<int64_t>() + j["row_groups"][2]["num_rows"].get<int64_t>());
  EXPECT_EQ(s["row_groups"][0]["columns"][0]["statistics"]["min"], j["row_groups"][1]["columns"][0]["statistics"]["min"]);
  auto missing = run("convert --no-progress " + out + " " + subset + " --row-group " + std::to_string(groups));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find("--row-group " + std::to_string(groups) + " does not exist"), std::string::npos) << missing.out;
  const std::string csv = ::testing::TempDir() + "/parkett-cli-convert-subset.csv";
  std::ofstream(csv) << "a,b\n1,2\n";
  auto not_parquet = run("convert --no-progress " + csv + " " + subset + " --columns a");
  EXPECT_EQ(not_parquet.code, 1);
  EXPECT_NE(not_parquet.out.find("--columns applies to Parquet input"), std::string::npos) << not_parquet.out;
  std::remove(csv.c_str());
  auto bad = run("convert --no-progress " + in + " " + out + " --metadata novalue");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--metadata 'novalue': expected KEY=VALUE"), std::string::npos) << bad.out;
  // --help lists the writer flags in groups.
  const auto help = run("convert --help");
  for (const char* group : {"Parquet output: row groups and pages", "Parquet output: encoding and compression",
                            "Parquet output: statistics and indexes", "Parquet output: types and schema",
                            "Parquet output: file metadata"}) {
    EXPECT_NE(help.out.find(group), std::string::npos) << group;
  }
  std::remove(out.c_str());
  std::remove(subset.c_str());
}

TEST(Cli, ConvertsCsvToParquetAndParquetToCsvAndJsonLines) {
  const std::string dir = ::testing::TempDir();
  const std::string csv = dir + "/parkett-cli.csv", pq = dir + "/parkett-cli-from-csv.parquet";
  {
    std::ofstream f(csv, std::ios::binary);
    f << "id,name,score,day,ts,flag,note\r\n"
         "1,alice,1.5,2024-01-31,2024-01-31 10:00:00Z,true,\"hello, \"\"world\"\"\"\r\n"
         "2,,2,2024-02-01,2024-02-01T11:30:00.123+01:00,false,\n"
         "3,\"bob\nsmith\",,2024-02-02,2024-02-02 00:00:00Z,TRUE,\"\"\n";
  }
  auto r = run("convert " + csv + " " + pq);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(run("cat " + pq).out,
            "{\"columns\":[{\"name\":\"id\",\"type\":\"int64\"},{\"name\":\"name\",\"type\":\"string\"},"
            "{\"name\":\"score\",\"type\":\"double\"},{\"name\":\"day\",\"type\":\"date32[day]\"},"
            "{\"name\":\"ts\",\"type\":\"timestamp[us, tz=UTC]\"},{\"name\":\"flag\",\"type\":\"bool\"},"
            "{\"name\":\"note\",\"type\":\"string\"}]}\n"
            "{\"id\":1,\"name\":\"alice\",\"score\":1.5,\"day\":\"2024-01-31\",\"ts\":\"2024-01-31T10:00:00.000000Z\","
            "\"flag\":true,\"note\":\"hello, \\\"world\\\"\"}\n"
            "{\"id\":2,\"name\":null,\"score\":2,\"day\":\"2024-02-01\",\"ts\":\"2024-02-01T10:30:00.123000Z\","
            "\"flag\":false,\"note\":null}\n"
            "{\"id\":3,\"name\":\"bob\\nsmith\",\"score\":null,\"day\":\"2024-02-02\",\"ts\":\"2024-02-02T00:00:00.000000Z\","
            "\"flag\":true,\"note\":\"\"}\n");
  // Back to CSV and again to Parquet: the same rows (empty strings stay apart from nulls).
  const std::string csv2 = dir + "/parkett-cli-back.csv", pq2 = dir + "/parkett-cli-back.parquet";
  ASSERT_EQ(run("convert " + pq + " " + csv2).code, 0);
  ASSERT_EQ(run("convert " + csv2 + " " + pq2).code, 0);
  EXPECT_EQ(run("cat " + pq2).out, run("cat " + pq).out);
  // JSON Lines: the rows of cat, without its schema line.
  const std::string jsonl = dir + "/parkett-cli.jsonl";
  ASSERT_EQ(run("convert " + pq + " " + jsonl).code, 0);
  std::ifstream j(jsonl);
  const std::string got((std::istreambuf_iterator<char>(j)), {});
  const std::string cat = run("cat " + pq).out;
  EXPECT_EQ(got, cat.substr(cat.find('\n') + 1));
  // A corpus file through CSV keeps its flat values.
  const std::string corpus_csv = dir + "/parkett-cli-corpus.csv", corpus_pq = dir + "/parkett-cli-corpus.parquet";
  ASSERT_EQ(run("convert " + parkett::test::data_file("alltypes_plain.parquet") + " " + corpus_csv).code, 0);
  ASSERT_EQ(run("convert " + corpus_csv + " " + corpus_pq + " --schema id:int32,bool_col:bool,tinyint_col:int32,"
                "smallint_col:int32,int_col:int32,bigint_col:int64,float_col:float32,double_col:float64,"
                "date_string_col:binary,string_col:binary,timestamp_col:timestamp[us]").code, 0);
  const std::string cols = " --columns id,bool_col,int_col,bigint_col,float_col,double_col,timestamp_col";
  auto a = run("cat --format csv" + cols + " " + corpus_pq), b = run("cat --format csv" + cols + " " + parkett::test::data_file("alltypes_plain.parquet"));
  EXPECT_EQ(a.out, b.out);
  // Inference that a later row contradicts names the line and the column; --schema fixes it.
  const std::string bad = dir + "/parkett-cli-bad.csv";
  {
    std::ofstream f(bad);
    f << "a,b\n1,x\n2.5,y\n";
  }
  auto e = run("convert " + bad + " " + pq + " --sample-rows 1");
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 3, column 'a': '2.5' is not int64"), std::string::npos) << e.out;
  EXPECT_EQ(run("cat " + pq).out, run("cat " + pq2).out) << "the failed conversion left the old file";
  EXPECT_EQ(run("convert " + bad + " " + pq + " --schema a:float64,b:string").code, 0);
  auto unclosed = dir + "/parkett-cli-unclosed.csv";
  {
    std::ofstream f(unclosed);
    f << "a\n\"open\n";
  }
  e = run("convert " + unclosed + " " + pq);
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 2: a quoted field is not closed"), std::string::npos) << e.out;
  EXPECT_EQ(run("convert " + csv + " " + dir + "/x.txt").code, 1);
}

TEST(Cli, ConvertsJsonLinesToParquet) {
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "/parkett-cli-in.jsonl", pq = dir + "/parkett-cli-from-jsonl.parquet";
  {
    std::ofstream f(in);
    f << "{\"id\":1,\"name\":\"a\",\"tags\":[\"x\",\"y\"],\"pos\":{\"x\":1.5,\"y\":2},\"n\":null}\n"
         "{\"id\":2,\"tags\":[],\"pos\":{\"x\":3,\"y\":null},\"extra\":true}\n\n"
         "{\"id\":3,\"name\":\"c\",\"tags\":null,\"pos\":null,\"mixed\":1}\n"
         "{\"id\":4,\"mixed\":\"s\",\"pos\":{\"x\":1,\"y\":2,\"z\":{\"deep\":[1,2]}}}\n";
  }
  auto r = run("convert " + in + " " + pq);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(run("cat " + pq).out,
            "{\"columns\":[{\"name\":\"id\",\"type\":\"int64\"},{\"name\":\"name\",\"type\":\"string\"},"
            "{\"name\":\"tags\",\"type\":\"list<item: string>\"},"
            "{\"name\":\"pos\",\"type\":\"struct<x: double, y: int64, z: struct<deep: list<item: int64>>>\"},"
            "{\"name\":\"n\",\"type\":\"string\"},{\"name\":\"extra\",\"type\":\"bool\"},{\"name\":\"mixed\",\"type\":\"string\"}]}\n"
            "{\"id\":1,\"name\":\"a\",\"tags\":[\"x\",\"y\"],\"pos\":{\"x\":1.5,\"y\":2,\"z\":null},\"n\":null,\"extra\":null,\"mixed\":null}\n"
            "{\"id\":2,\"name\":null,\"tags\":[],\"pos\":{\"x\":3,\"y\":null,\"z\":null},\"n\":null,\"extra\":true,\"mixed\":null}\n"
            "{\"id\":3,\"name\":\"c\",\"tags\":null,\"pos\":null,\"n\":null,\"extra\":null,\"mixed\":\"1\"}\n"
            "{\"id\":4,\"name\":null,\"tags\":null,\"pos\":{\"x\":1,\"y\":2,\"z\":{\"deep\":[1,2]}},\"n\":null,\"extra\":null,"
            "\"mixed\":\"s\"}\n");
  // Parquet -> JSON Lines -> Parquet keeps the rows.
  const std::string back = dir + "/parkett-cli-back.jsonl", pq2 = dir + "/parkett-cli-back-jsonl.parquet";
  ASSERT_EQ(run("convert " + pq + " " + back).code, 0);
  ASSERT_EQ(run("convert " + back + " " + pq2).code, 0);
  auto rows = [](const std::string& s) { return s.substr(s.find('\n')); };
  EXPECT_EQ(rows(run("cat " + pq2).out), rows(run("cat " + pq).out));
  const std::string bad = dir + "/parkett-cli-bad.jsonl";
  {
    std::ofstream f(bad);
    f << "{\"a\":1}\n{\"a\":\"x\"}\n";
  }
  auto e = run("convert " + bad + " " + pq + " --sample-rows 1");
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 2, field 'a': \"x\" is not int64"), std::string::npos) << e.out;
  {
    std::ofstream f(bad);
    f << "{\"a\":1}\n{\"a\":\n";
  }
  e = run("convert " + bad + " " + pq);
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 2 is not JSON"), std::string::npos) << e.out;
}

// JSON Lines: ISO dates and timestamps inferred from strings, and --schema typing the fields
// it names (others inferred, absent ones added); values that do not fit the given type,
// such as a fraction finer than the unit, are errors rather than truncated.
TEST(Cli, ConvertsJsonLinesWithDatesTimestampsAndASchema) {
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "/parkett-cli-times.jsonl", pq = dir + "/parkett-cli-times.parquet";
  {
    std::ofstream f(in);
    f << "{\"id\":1,\"day\":\"2024-01-31\",\"at\":\"2024-01-31T10:00:00.123456Z\",\"local\":\"2024-01-31 10:00:00\",\"n\":5}\n"
         "{\"id\":2,\"day\":\"1969-12-31\",\"at\":\"2024-02-01T00:00:00+01:00\",\"local\":\"2024-02-01\",\"n\":null}\n"
         "{\"id\":3,\"day\":null,\"at\":\"2024-02-02\",\"local\":\"not a time\",\"n\":300}\n";
  }
  auto r = run("convert " + in + " " + pq);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(run("cat " + pq).out,
            "{\"columns\":[{\"name\":\"id\",\"type\":\"int64\"},{\"name\":\"day\",\"type\":\"date32[day]\"},"
            "{\"name\":\"at\",\"type\":\"timestamp[us, tz=UTC]\"},{\"name\":\"local\",\"type\":\"string\"},"
            "{\"name\":\"n\",\"type\":\"int64\"}]}\n"
            "{\"id\":1,\"day\":\"2024-01-31\",\"at\":\"2024-01-31T10:00:00.123456Z\",\"local\":\"2024-01-31 10:00:00\",\"n\":5}\n"
            "{\"id\":2,\"day\":\"1969-12-31\",\"at\":\"2024-01-31T23:00:00.000000Z\",\"local\":\"2024-02-01\",\"n\":null}\n"
            "{\"id\":3,\"day\":null,\"at\":\"2024-02-02T00:00:00.000000Z\",\"local\":\"not a time\",\"n\":300}\n");
  r = run("convert " + in + " " + pq + " --schema 'id:uint8,at:timestamp[ns,UTC],n:int16,added:float32'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(run("cat " + pq).out,
            "{\"columns\":[{\"name\":\"id\",\"type\":\"uint8\"},{\"name\":\"day\",\"type\":\"date32[day]\"},"
            "{\"name\":\"at\",\"type\":\"timestamp[ns, tz=UTC]\"},{\"name\":\"local\",\"type\":\"string\"},"
            "{\"name\":\"n\",\"type\":\"int16\"},{\"name\":\"added\",\"type\":\"float\"}]}\n"
            "{\"id\":1,\"day\":\"2024-01-31\",\"at\":\"2024-01-31T10:00:00.123456000Z\",\"local\":\"2024-01-31 10:00:00\",\"n\":5,\"added\":null}\n"
            "{\"id\":2,\"day\":\"1969-12-31\",\"at\":\"2024-01-31T23:00:00.000000000Z\",\"local\":\"2024-02-01\",\"n\":null,\"added\":null}\n"
            "{\"id\":3,\"day\":null,\"at\":\"2024-02-02T00:00:00.000000000Z\",\"local\":\"not a time\",\"n\":300,\"added\":null}\n");
  auto e = run("convert " + in + " " + pq + " --schema 'n:int8'");
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 3, field 'n': 300 is not int8"), std::string::npos) << e.out;
  EXPECT_EQ(e.out.find("inferred"), std::string::npos) << e.out;  // the type was given
  e = run("convert " + in + " " + pq + " --schema 'at:timestamp[ms]'");
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("line 1, field 'at': \"2024-01-31T10:00:00.123456Z\" is not timestamp[ms]"), std::string::npos) << e.out;
}

}  // namespace

namespace {

TEST(Cli, WhereFiltersRowsAndStatsSayWhatWasSkipped) {
  const std::string file = parkett::test::data_file("alltypes_plain.parquet");
  // ids 4 5 6 7 2 3 0 1 with bool_col true at even ids.
  auto r = run("cat " + file + " --format csv --columns id --where \"id BETWEEN 2 AND 5 AND bool_col\"");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "id\n4\n2\n");
  // alltypes_tiny_pages_plain has statistics: its one row group (ids 0..7299) is skipped.
  const std::string tiny = parkett::test::data_file("alltypes_tiny_pages_plain.parquet");
  auto none = run("cat " + tiny + " --stats --format csv --columns id --where \"id > 100000\"");
  EXPECT_EQ(none.code, 0) << none.out;
  EXPECT_NE(none.out.find("row groups read: 0, skipped by statistics: 1, by bloom filters: 0, by dictionaries: 0, by data indexes: 0; rows "
                          "skipped or filtered out: 7300; pages read: 0, skipped: 0; column chunk bytes read: 0"),
            std::string::npos) << none.out;
  auto some = run("cat " + tiny + " --stats --format csv --columns id --where \"id BETWEEN 100 AND 102\"");
  EXPECT_NE(some.out.find("id\n100\n101\n102\n"), std::string::npos) << some.out;
  // The ids are not sorted: the column index keeps the 3 of its 325 pages whose bounds hold
  // 100..102 (pages of 109 bytes or so, read alone).
  EXPECT_NE(some.out.find("row groups read: 1, skipped by statistics: 0, by bloom filters: 0, by dictionaries: 0, by data indexes: 0; rows "
                          "skipped or filtered out: 7297; pages read: 3, skipped: 322; column chunk bytes read: 920"),
            std::string::npos) << some.out;
  auto head = run("head " + file + " -n 1 --format csv --columns id --where \"id IN (3, 6)\"");
  EXPECT_EQ(head.out, "id\n6\n");
  auto bad = run("cat " + file + " --where \"id >> 3\"");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("filter: at character 5: expected a value"), std::string::npos) << bad.out;
  auto wrong = run("cat " + file + " --where \"string_col = 5\"");
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.out.find("cannot be compared with column 'string_col' of type binary"), std::string::npos) << wrong.out;
}

// A directory or a glob is read as a dataset: hive partitions become columns, and a filter
// on them skips whole files.
TEST(Cli, CatReadsDirectoriesAndGlobsAsDatasets) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / ("parkett-dataset-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "year=2009");
  fs::create_directories(dir / "year=2010");
  const std::string file = parkett::test::data_file("alltypes_plain.parquet");  // ids 4 5 6 7 2 3 0 1
  fs::copy_file(file, dir / "year=2009" / "a.parquet");
  fs::copy_file(file, dir / "year=2010" / "b.parquet");
  auto r = run("cat " + dir.string() + " --stats --format csv --columns id,year --where \"year = 2010 AND id < 3\"");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("id,year\n2,2010\n0,2010\n1,2010\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("files read: 1, skipped by partition values: 1"), std::string::npos) << r.out;
  auto glob = run("cat '" + (dir / "year=2009" / "*.parquet").string() + "' --format csv --columns id");
  EXPECT_EQ(glob.out, "id\n4\n5\n6\n7\n2\n3\n0\n1\n");
  auto positional = run("head " + dir.string() + " -n 1 --format csv --columns y --partitioning directory:y");
  EXPECT_EQ(positional.out, "y\nyear=2009\n");
  auto bad = run("cat " + dir.string() + " --partitioning sideways");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--partitioning must be detect, hive, none or directory:NAME,NAME, not 'sideways'"),
            std::string::npos) << bad.out;
  auto meta = run("meta --json " + dir.string());
  ASSERT_EQ(meta.code, 0) << meta.out;
  const auto m = nlohmann::json::parse(meta.out);
  EXPECT_EQ(m["num_files"], 2);
  EXPECT_EQ(m["num_rows"], 16);
  EXPECT_EQ(m["partitions"]["year"], "int32");
  EXPECT_EQ(m["files"][1]["partition"]["year"], "2010");
  auto schema = run("schema " + dir.string());
  EXPECT_NE(schema.out.find("id: int32\n"), std::string::npos) << schema.out;
  EXPECT_NE(schema.out.find("year: int32\n"), std::string::npos) << schema.out;
  auto group = run("cat " + dir.string() + " --row-group 0");
  EXPECT_EQ(group.code, 1);
  EXPECT_NE(group.out.find("--row-group applies to a file"), std::string::npos) << group.out;
  // A file that is not Parquet fails the read, naming it, unless it may be skipped.
  fs::create_directories(dir / "year=2011");
  std::ofstream(dir / "year=2011" / "c.parquet") << "PAR1 not really PAR1";
  auto broken = run("cat " + dir.string() + " --format csv --columns id --where \"id = 0\" --schema-merge none");
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.out.find("year=2011/c.parquet"), std::string::npos) << broken.out;
  auto skipped = run("cat " + dir.string() +
                     " --stats --format csv --columns id,year --where \"id = 0\" --schema-merge none --skip-unreadable");
  EXPECT_EQ(skipped.code, 0) << skipped.out;
  EXPECT_NE(skipped.out.find("id,year\n0,2009\n0,2010\n"), std::string::npos) << skipped.out;
  EXPECT_NE(skipped.out.find("files read: 2, skipped by partition values: 0, unreadable: 1"), std::string::npos)
      << skipped.out;
  fs::remove_all(dir);
}

// convert to a directory writes a partitioned dataset; a dataset converts back to one file.
TEST(Cli, ConvertWritesAndReadsPartitionedDatasets) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / ("parkett-convert-dataset-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream csv(dir / "in.csv");
    csv << "id,city,n\n1,Oslo,10\n2,Rome,20\n3,Oslo,30\n4,,40\n5,a/b,50\n";
  }
  const std::string out = (dir / "out").string();
  auto w = run("convert --no-progress " + (dir / "in.csv").string() + " " + out + " --partition-by city --max-rows-per-file 1");
  ASSERT_EQ(w.code, 0) << w.out;
  EXPECT_TRUE(fs::exists(dir / "out" / "city=Oslo" / "part-0.parquet"));
  EXPECT_TRUE(fs::exists(dir / "out" / "city=Oslo" / "part-1.parquet"));  // one row per file
  EXPECT_TRUE(fs::exists(dir / "out" / "city=a%2Fb" / "part-0.parquet"));
  // The CSV's empty field is a null: the hive default partition.
  EXPECT_TRUE(fs::exists(dir / "out" / "city=__HIVE_DEFAULT_PARTITION__" / "part-0.parquet"));
  auto again = run("convert --no-progress " + (dir / "in.csv").string() + " " + out + " --partition-by city");
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.out.find("already holds data"), std::string::npos) << again.out;
  auto replaced = run("convert --no-progress " + (dir / "in.csv").string() + " " + out +
                      " --partition-by city --existing delete-matching --where \"id = 1\"");
  EXPECT_EQ(replaced.code, 1);  // --where reads Parquet only
  auto with_summary = run("convert --no-progress " + (dir / "in.csv").string() + " " + (dir / "summarised").string() +
                          " --partition-by city --metadata-file");
  ASSERT_EQ(with_summary.code, 0) << with_summary.out;
  auto summary = run("meta --json " + (dir / "summarised" / "_metadata").string());
  ASSERT_EQ(summary.code, 0) << summary.out;
  EXPECT_EQ(nlohmann::json::parse(summary.out)["num_rows"], 5);
  EXPECT_TRUE(fs::exists(dir / "summarised" / "_common_metadata"));
  auto merged = run("convert --no-progress " + out + " " + (dir / "all.parquet").string() + " --where \"n >= 20\"");
  ASSERT_EQ(merged.code, 0) << merged.out;
  auto back = run("cat " + (dir / "all.parquet").string() + " --format csv --columns id,city");
  EXPECT_EQ(back.out, "id,city\n3,Oslo\n2,Rome\n4,\n5,a/b\n") << back.out;  // files in path order
  auto bad = run("convert --no-progress " + (dir / "all.parquet").string() + " " + (dir / "o2").string() +
                 " --partition-by city --existing sometimes");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--existing must be error, overwrite or delete-matching"), std::string::npos) << bad.out;
  fs::remove_all(dir);
}

// JSON Lines into a dataset, a dataset into another partitioning, and data already there
// overwritten file by file or replaced partition by partition.
TEST(Cli, ConvertRepartitionsAndReplacesExistingData) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / ("parkett-repartition-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream jsonl(dir / "in.jsonl");
    jsonl << R"({"id":1,"region":"eu","day":"2024-01-02"})" "\n"
          << R"({"id":2,"region":"us","day":"2024-01-02"})" "\n"
          << R"({"id":3,"region":"eu","day":"2024-01-03"})" "\n"
          << R"({"id":4,"region":"us","day":"2024-01-03"})" "\n";
  }
  const std::string by_region = (dir / "by_region").string(), by_day = (dir / "by_day").string();
  auto w = run("convert --no-progress " + (dir / "in.jsonl").string() + " " + by_region + " --partition-by region");
  ASSERT_EQ(w.code, 0) << w.out;
  EXPECT_TRUE(fs::exists(dir / "by_region" / "region=eu" / "part-0.parquet"));
  EXPECT_TRUE(fs::exists(dir / "by_region" / "region=us" / "part-0.parquet"));
  // The dataset is the input: its partition column is a column again, and `day` partitions.
  auto re = run("convert --no-progress " + by_region + " " + by_day + " --partition-by day");
  ASSERT_EQ(re.code, 0) << re.out;
  EXPECT_TRUE(fs::exists(dir / "by_day" / "day=2024-01-02" / "part-0.parquet"));
  EXPECT_FALSE(fs::exists(dir / "by_day" / "region=eu"));
  auto rows = run("cat " + by_day + " --format csv --columns id,region,day");
  EXPECT_EQ(rows.out, "id,region,day\n1,eu,2024-01-02\n2,us,2024-01-02\n3,eu,2024-01-03\n4,us,2024-01-03\n") << rows.out;

  // overwrite: files of the same name are replaced, others stay (a file only the first
  // write made is kept beside the new ones).
  fs::copy_file(dir / "by_day" / "day=2024-01-02" / "part-0.parquet", dir / "by_day" / "day=2024-01-02" / "kept.parquet");
  auto over = run("convert --no-progress " + by_region + " " + by_day + " --partition-by day --existing overwrite");
  ASSERT_EQ(over.code, 0) << over.out;
  auto count = run("meta --json " + by_day);
  ASSERT_EQ(count.code, 0) << count.out;
  EXPECT_EQ(nlohmann::json::parse(count.out)["num_rows"], 6) << count.out;  // 4 rewritten + 2 kept

  // delete-matching: only the partitions written to are emptied first.
  auto only_third = run("convert --no-progress " + by_region + " " + by_day +
                        " --partition-by day --existing delete-matching --where \"id = 3\"");
  ASSERT_EQ(only_third.code, 0) << only_third.out;
  EXPECT_FALSE(fs::exists(dir / "by_day" / "day=2024-01-03" / "part-1.parquet"));
  EXPECT_TRUE(fs::exists(dir / "by_day" / "day=2024-01-02" / "kept.parquet"));
  auto after = run("cat " + by_day + " --format csv --columns id,day");
  // Files in path order: kept.parquet, then part-0.parquet, in day=2024-01-02.
  EXPECT_EQ(after.out, "id,day\n1,2024-01-02\n2,2024-01-02\n1,2024-01-02\n2,2024-01-02\n3,2024-01-03\n") << after.out;

  auto refused = run("convert --no-progress " + by_region + " " + by_day + " --partition-by day");
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.out.find("already holds data"), std::string::npos) << refused.out;
  fs::remove_all(dir);
}

TEST(Cli, ConvertWritesDataIndexesThatCatUses) {
  // alltypes_tiny_pages: 7,300 rows, ids unsorted: in row groups of 1,000, an id's group is
  // found by the index on id alone.
  const std::string in = parkett::test::data_file("alltypes_tiny_pages.parquet");
  const std::string dir = ::testing::TempDir() + "/parkett-cli-index-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  auto r = run("convert --no-progress " + in + " " + dir + "/t.parquet --row-group-size 1000 --index-columns id"
               " --index-columns string_col,bool_col");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/.dh_metadata/indexes/id/index_id_t.parquet"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/.dh_metadata/indexes/string_col,bool_col/index_string_col,bool_col_t.parquet"));
  auto cat = run("cat " + dir + "/t.parquet --stats --format csv --columns id --where \"id = 5000\"");
  EXPECT_EQ(cat.code, 0) << cat.out;
  EXPECT_NE(cat.out.find("id\n5000\n"), std::string::npos) << cat.out;
  EXPECT_NE(cat.out.find("row groups read: 1, skipped by statistics: 0, by bloom filters: 0, by dictionaries: 0, "
                         "by data indexes: 7;"),
            std::string::npos)
      << cat.out;
  auto bad = run("convert --no-progress " + in + " " + dir + "/u.parquet --index-columns id,");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--index-columns"), std::string::npos) << bad.out;
  std::filesystem::remove_all(dir);
}

TEST(Cli, ConvertWhereKeepsTheMatchingRows) {
  const std::string file = parkett::test::data_file("alltypes_plain.parquet");
  const std::string out = ::testing::TempDir() + "/parkett-where-" + std::to_string(getpid()) + ".parquet";
  auto r = run("convert --no-progress " + file + " " + out + " --where \"timestamp_col < TIMESTAMP '2009-03-01 00:00:00'\"");
  EXPECT_EQ(r.code, 0) << r.out;
  auto back = run("cat " + out + " --format csv --columns id");
  EXPECT_EQ(back.out, "id\n2\n3\n0\n1\n");  // January and February 2009
  std::remove(out.c_str());
  auto csv = run("convert --no-progress " + file + " " + out + ".csv --where \"id = 1\"");
  EXPECT_EQ(csv.code, 0) << csv.out;
  std::ifstream in(out + ".csv");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;  // header and one row
  std::remove((out + ".csv").c_str());
  auto refused = run("convert --no-progress " + out + ".csv " + out + " --where \"id = 1\"");
  EXPECT_EQ(refused.code, 1);
}

}  // namespace

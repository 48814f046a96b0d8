// The lazy footer: walking only as far as asked, in any access order, from many threads,
// and reporting a bad row group only when it is reached.
#include <gtest/gtest.h>

#include <thread>

#include "corpus.h"
#include "expect_error.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

// Every row group, column and statistic of `md`, as text.
std::string walk(const FileMetadata& md, bool backwards) {
  std::string out;
  for (int32_t i = 0; i < md.num_row_groups(); ++i) {
    int32_t g = backwards ? md.num_row_groups() - 1 - i : i;
    RowGroupMetadata rg = md.row_group(g);
    out += std::to_string(g) + ":" + std::to_string(rg.num_rows()) + ";";
    for (int32_t c = 0; c < rg.num_columns(); ++c) {
      auto col = rg.column(c);
      out += std::to_string(col.data_page_offset()) + "," + std::to_string(col.num_values());
      if (auto s = col.statistics()) out += "," + s->min_json() + "," + s->max_json();
      out += ";";
    }
  }
  return out;
}

TEST(LazyFooter, AnyAccessOrderGivesTheEagerAnswers) {
  const std::string path = test::data_file("floating_orders_nan_count.parquet");
  ReadOptions eager;
  eager.footer.lazy = false;
  FileReader e = FileReader::open(path, eager);
  FileReader forward = FileReader::open(path);
  FileReader backward = FileReader::open(path);
  EXPECT_EQ(walk(forward.metadata(), false), walk(e.metadata(), false));
  EXPECT_EQ(walk(backward.metadata(), true), walk(e.metadata(), true));
}

TEST(LazyFooter, TailFieldsDoNotDecodeChunks) {
  FileReader r = FileReader::open(test::data_file("alltypes_plain.parquet"));
  EXPECT_TRUE(r.metadata().created_by().has_value());
  EXPECT_EQ(r.metadata().decoded_column_chunks(), 0);
}

TEST(LazyFooter, ManyThreadsAgree) {
  const std::string path = test::data_file("floating_orders_nan_count.parquet");
  ReadOptions eager;
  eager.footer.lazy = false;
  const std::string expected = walk(FileReader::open(path, eager).metadata(), false);
  for (int round = 0; round < 5; ++round) {
    FileReader r = FileReader::open(path);
    std::vector<std::string> seen(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] { seen[static_cast<size_t>(t)] = walk(r.metadata(), t % 2 == 1); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(seen[0], expected);
    EXPECT_EQ(seen[2], expected);
    EXPECT_EQ(seen[1], walk(FileReader::open(path, eager).metadata(), true));
  }
}

// A footer whose second row group lacks a column chunk: the first row group reads, the
// second fails naming itself, lazily and eagerly.
TEST(LazyFooter, BadRowGroupIsReportedWhenReached) {
  FileReader good = FileReader::open(test::data_file("alltypes_plain.parquet"));
  format::FileMetaData md;
  const std::string& f = good.metadata().serialized();
  format::deserialize(reinterpret_cast<const uint8_t*>(f.data()), f.size(), md);
  md.row_groups.push_back(md.row_groups[0]);
  md.row_groups[1].columns.pop_back();
  std::string footer;
  format::serialize(md, footer);

  FileMetadata lazy = FileMetadata::parse(footer, {}, "two.parquet");
  EXPECT_EQ(lazy.num_row_groups(), 2);
  EXPECT_EQ(lazy.row_group(0).column(0).num_values(), 8);
  try {
    lazy.row_group(1).num_rows();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_EQ(e.context().row_group, 1);
    EXPECT_EQ(e.context().file, "two.parquet");
    EXPECT_NE(std::string(e.what()).find("10 column chunks but the schema has 11"), std::string::npos)
        << e.what();
  }
  // The same error again, not a confused walker.
  const char* kMessage = "10 column chunks but the schema has 11";
  EXPECT_ERROR(lazy.row_group(1).column(0), ErrorKind::Corrupt, kMessage);
  EXPECT_ERROR(lazy.key_value_metadata(), ErrorKind::Corrupt, kMessage);

  FooterOptions eager;
  eager.lazy = false;
  EXPECT_ERROR(FileMetadata::parse(footer, eager, "two.parquet"), ErrorKind::Corrupt, kMessage);
}

}  // namespace
}  // namespace parkett

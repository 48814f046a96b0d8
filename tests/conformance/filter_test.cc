// Filtered reads: which rows a predicate keeps (expected ids worked out by hand from the
// values below), SQL's three-valued logic, literals checked against column types, row
// groups skipped by statistics, and filtered scans equal to unfiltered ones filtered row by
// row on corpus files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "expr/evaluate.h"
#include "format/parquet_types.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "table/take.h"
#include "stored_struct.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;

using test::field;

// Ten rows:
//   id    1..10
//   name  "ant", null, "bee", "cat", "", null, "cow", "dog", "bee", "ape"
//   price 1.50, 2.00, 2.50, -3.25, 0.00, 10.00, 7.75, null, 2.50, 99.99   decimal(9,2)
//   f     0.5, NaN, -1, 2, null, 3, NaN, 4, -0.0, 1e300                   double
//   d     days 0..9 (1970-01-01 ..), ts = id * 1 000 ms since the epoch   date32, timestamp[ms]
//   flag  true, false, null, true, true, false, true, null, false, true
//   s     struct {k int64 = id * 10}, null at rows 3 and 7 (ids 4 and 8)
class FilterTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::vector<int32_t> ids;
    std::vector<int32_t> days;
    std::vector<int64_t> ms, k;
    for (int i = 1; i <= 10; ++i) {
      ids.push_back(i);
      days.push_back(i - 1);
      ms.push_back(int64_t{i} * 1000);
      k.push_back(int64_t{i} * 10);
    }
    std::vector<__int128> prices = {150, 200, 250, -325, 0, 1000, 775, 0, 250, 9999};
    std::vector<bool> price_valid(10, true);
    price_valid[7] = false;
    std::vector<double> f = {0.5, NAN, -1, 2, 0, 3, NAN, 4, -0.0, 1e300};
    std::vector<bool> f_valid(10, true);
    f_valid[4] = false;
    std::vector<uint8_t> flags = {1, 0, 0, 1, 1, 0, 1, 0, 0, 1};
    std::vector<bool> flag_valid = {true, true, false, true, true, true, true, false, true, true};
    // Booleans are bit-packed: build them from bytes.
    auto bools = std::make_shared<ArrayData>();
    bools->type = DataType(Id::Boolean);
    bools->length = 10;
    auto bits = Buffer::allocate(2, true);
    auto valid_bits = Buffer::allocate(2, true);
    for (int i = 0; i < 10; ++i) {
      if (flags[static_cast<size_t>(i)]) bits->data()[i / 8] |= static_cast<uint8_t>(1 << (i % 8));
      if (flag_valid[static_cast<size_t>(i)]) valid_bits->data()[i / 8] |= static_cast<uint8_t>(1 << (i % 8));
      else ++bools->null_count;
    }
    bools->buffers = {valid_bits, bits};
    auto k_array = test::array_of(DataType(Id::Int64), k);
    auto s = std::make_shared<ArrayData>();
    s->type = DataType::structure({field("k", DataType(Id::Int64))});
    s->length = 10;
    auto s_valid = Buffer::allocate(2, true);
    for (int i = 0; i < 10; ++i) {
      if (i != 3 && i != 7) s_valid->data()[i / 8] |= static_cast<uint8_t>(1 << (i % 8));
    }
    s->null_count = 2;
    s->buffers = {s_valid};
    s->children = {k_array};
    table_ = test::table_of(
        {field("id", DataType(Id::Int32)), field("name", DataType(Id::String)), field("price", DataType::decimal(9, 2)),
         field("f", DataType(Id::Float64)), field("d", DataType(Id::Date32)),
         field("ts", DataType::timestamp(TimeUnit::Milli)), field("flag", DataType(Id::Boolean)),
         field("s", s->type)},
        {test::array_of(DataType(Id::Int32), ids),
         test::string_array({"ant", std::nullopt, "bee", "cat", "", std::nullopt, "cow", "dog", "bee", "ape"}),
         test::array_of(DataType::decimal(9, 2), prices, price_valid), test::array_of(DataType(Id::Float64), f, f_valid),
         test::array_of(DataType(Id::Date32), days), test::array_of(DataType::timestamp(TimeUnit::Milli), ms), bools, s});
    WriteOptions o;
    o.row_group_rows = 4;  // row groups of ids 1-4, 5-8, 9-10
    write_table(table_, path(), o);
  }

  // The ids of the rows `filter` keeps.
  std::vector<int32_t> ids(const Expression& filter, bool use_statistics = true) const {
    ReadOptions o;
    o.filter = filter;
    o.use_statistics = use_statistics;
    o.columns = {"id"};
    Table t = FileReader::open(path()).read_table(o);
    std::vector<int32_t> out;
    for (const RecordBatch& b : t.batches) {
      const int32_t* v = b.columns.at(0)->buffers.at(1)->as<int32_t>() + b.columns[0]->offset;
      for (int64_t i = 0; i < b.num_rows; ++i) out.push_back(v[i]);
    }
    EXPECT_EQ(out, [&] {
      ReadOptions without = o;
      without.use_statistics = !use_statistics;
      Table u = FileReader::open(path()).read_table(without);
      std::vector<int32_t> again;
      for (const RecordBatch& b : u.batches) {
        const int32_t* v = b.columns.at(0)->buffers.at(1)->as<int32_t>() + b.columns[0]->offset;
        for (int64_t i = 0; i < b.num_rows; ++i) again.push_back(v[i]);
      }
      return again;
    }()) << "statistics change the result of " << filter.to_string();
    return out;
  }

  using V = std::vector<int32_t>;
  Table table_;
};

TEST_F(FilterTest, ComparisonsOnEveryKindOfColumn) {
  EXPECT_EQ(ids(col("id").between(3, 5)), (V{3, 4, 5}));
  EXPECT_EQ(ids(col("id") != 7), (V{1, 2, 3, 4, 5, 6, 8, 9, 10}));
  EXPECT_EQ(ids(col("name") == "bee"), (V{3, 9}));
  EXPECT_EQ(ids(col("name") < "b"), (V{1, 5, 10}));  // "" < "ant" < "ape" < "b"
  EXPECT_EQ(ids(col("name").starts_with("c")), (V{4, 7}));
  EXPECT_EQ(ids(col("price") >= Literal::decimal("2.5")), (V{3, 6, 7, 9, 10}));
  EXPECT_EQ(ids(col("price") < 0), (V{4}));
  EXPECT_EQ(ids(col("price") == Literal::decimal("99.990")), (V{10}));
  EXPECT_EQ(ids(col("d") >= Literal::date(7)), (V{8, 9, 10}));
  EXPECT_EQ(ids(col("ts") < Literal::timestamp(3000000, TimeUnit::Micro, false)), (V{1, 2}));
  EXPECT_EQ(ids(col("ts") == Literal::timestamp(4000000001, TimeUnit::Nano, false)), V{});  // 4 s + 1 ns: no row
  EXPECT_EQ(ids(col("flag") == true), (V{1, 4, 5, 7, 10}));
  EXPECT_EQ(ids(col("s.k") > 60), (V{7, 9, 10}));  // 80 is under a null struct
  EXPECT_EQ(ids(col("id").is_in({2, 9, 11})), (V{2, 9}));
}

TEST_F(FilterTest, NullsAndNaNFollowSqlAndIeee) {
  EXPECT_EQ(ids(col("name").is_null()), (V{2, 6}));
  EXPECT_EQ(ids(col("s.k").is_null()), (V{4, 8}));
  EXPECT_EQ(ids(col("s").is_null()), (V{4, 8}));
  EXPECT_EQ(ids(!(col("name") == "bee")), (V{1, 4, 5, 7, 8, 10}));  // NOT null stays null
  EXPECT_EQ(ids(col("flag") == true || col("name").is_null()), (V{1, 2, 4, 5, 6, 7, 10}));
  EXPECT_EQ(ids(!(col("id").is_in({1, Literal()}))), V{});  // x NOT IN (1, NULL) is never true
  EXPECT_EQ(ids(col("id") == Literal()), V{});
  // NaN equals nothing, also under != it is unequal; -0.0 equals 0.
  EXPECT_EQ(ids(col("f") > 1.0), (V{4, 6, 8, 10}));
  EXPECT_EQ(ids(col("f") != 2.0), (V{1, 2, 3, 6, 7, 8, 9, 10}));
  EXPECT_EQ(ids(col("f") == 0), (V{9}));
  EXPECT_EQ(ids(!(col("f") < 100)), (V{2, 7, 10}));
}

TEST_F(FilterTest, StatisticsSkipRowGroups) {
  FileReader r = FileReader::open(path());
  ReadOptions o;
  o.filter = col("id").between(6, 7);
  ScanCounts counts;
  Table t = r.read_table(o, counts);
  EXPECT_EQ(counts.row_groups_read, 1);
  EXPECT_EQ(counts.row_groups_skipped, 2);
  EXPECT_EQ(counts.rows_skipped, 8);  // 4 + 2 unread, 2 filtered out
  ASSERT_EQ(t.batches.size(), 1u);
  EXPECT_EQ(t.batches[0].num_rows, 2);
  EXPECT_EQ(t.schema.fields.size(), 8u);  // every column, the filter's included
  // Nothing matches: no row group is read, the schema is still there.
  o.filter = col("price") > 1000;
  t = r.read_table(o, counts);
  EXPECT_EQ(counts.row_groups_read, 0);
  EXPECT_TRUE(t.batches.empty());
  EXPECT_EQ(t.schema.fields.size(), 8u);
  // A null test reads only the row groups with nulls.
  o.filter = col("name").is_null();
  t = r.read_table(o, counts);
  EXPECT_EQ(counts.row_groups_skipped, 1);  // ids 9-10 have none
  // The stream skips them too.
  o.filter = col("id") >= 9;
  o.batch_size = 1;
  RecordBatchReader batches = r.batches(o);
  RecordBatch b;
  int64_t rows = 0;
  while (batches.next(b)) rows += b.num_rows;
  EXPECT_EQ(rows, 2);
}

TEST_F(FilterTest, BloomFiltersSkipRowGroupsStatisticsCannot) {
  WriteOptions w;
  w.row_group_rows = 4;
  w.bloom_filter = BloomFilterOptions{};  // every column but the boolean
  write_table(table_, path("bloom.parquet"), w);
  FileReader r = FileReader::open(path("bloom.parquet"));
  struct Case {
    Expression filter;
    std::vector<int32_t> rows;
    int64_t by_statistics, by_bloom;
  };
  // Row groups: ids 1-4, 5-8, 9-10 (see the fixture's values).
  const std::vector<Case> cases = {
      // 'bob' lies within the names of the first two groups (ant..cat, ""..dog), above the
      // third's (ape..bee).
      {col("name") == "bob", {}, 1, 2},
      {col("name").is_in({"bob", "cow"}), {7}, 1, 1},
      // Prices -3.25..2.50, 0.00..10.00, 2.50..99.99: 2.25 is within the first two, below
      // the third; 7.75 (row 7) above the first, within the other two.
      {col("price") == Literal::decimal("2.25"), {}, 1, 2},
      {col("price") == Literal::decimal("7.75"), {7}, 1, 1},
      // 1.0 within -1..2 of group 1 (NaN aside), 3..4 and -0..1e300 cover it elsewhere.
      {col("f") == 1.0, {}, 1, 2},
      {col("f") == 0, {9}, 1, 1},  // the bloom filter holds -0.0, which equals 0
      {col("ts") == Literal::timestamp(2500, TimeUnit::Milli, false), {}, 2, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter.to_string());
    ReadOptions o;
    o.filter = c.filter;
    o.columns = {"id"};
    ScanCounts counts;
    Table t = r.read_table(o, counts);
    std::vector<int32_t> got;
    for (const RecordBatch& b : t.batches) {
      for (int64_t i = 0; i < b.num_rows; ++i) got.push_back(b.columns[0]->buffers[1]->as<int32_t>()[b.columns[0]->offset + i]);
    }
    EXPECT_EQ(got, c.rows);
    EXPECT_EQ(counts.row_groups_skipped, c.by_statistics);
    EXPECT_EQ(counts.row_groups_skipped_by_bloom_filter, c.by_bloom);
    o.use_bloom_filter = false;
    o.use_dictionary_filter = false;  // it would tell the same groups apart
    r.read_table(o, counts);
    EXPECT_EQ(counts.row_groups_skipped_by_bloom_filter, 0);
    EXPECT_EQ(counts.row_groups_read, 3 - c.by_statistics);
  }
}

TEST_F(FilterTest, LiteralsThatDoNotFitAreRefused) {
  FileReader r = FileReader::open(path());
  ReadOptions o;
  o.filter = col("id") == "seven";
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "column 'id' of type int32: expected an integer");
  o.filter = col("price") == Literal::decimal("2.505");
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "more decimal places than the scale 2");
  o.filter = col("id") < 2.5;
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "expected an integer");
  o.filter = col("d") == 7;
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "expected a DATE literal");
  o.filter = col("ts") >= Literal::timestamp(1000, TimeUnit::Milli, true);
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument,
               "column 'ts' of type timestamp[ms]: the literal is an instant (it has a zone) and the column holds local times");
  o.filter = col("nope") == 1;
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "the filter names column 'nope'");
  o.filter = col("s.x") == 1;
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "'s' has no field 'x'");
  o.filter = col("s") == 1;
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "name one of its fields");
  o.filter = col("id").starts_with("1");
  EXPECT_ERROR(r.read_table(o), ErrorKind::InvalidArgument, "LIKE applies to string and binary columns");
}

// A column of instants (time zone UTC, Parquet's isAdjustedToUTC) compares with literals
// with a zone by instant and with literals without one read as UTC.
TEST_F(FilterTest, TimestampLiteralsWithAndWithoutZonesAgainstInstants) {
  std::vector<int64_t> ms;
  std::vector<int32_t> ids;
  for (int i = 1; i <= 6; ++i) {
    ids.push_back(i);
    ms.push_back(int64_t{1704067200000} + int64_t{i} * 3600000);  // 2024-01-01 0i:00:00 UTC
  }
  const DataType utc = DataType::timestamp(TimeUnit::Milli, "UTC");
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("at", utc)},
                             {test::array_of(DataType(Id::Int32), ids), test::array_of(utc, ms)}),
              path());
  auto kept = [&](const std::string& where) {
    ReadOptions o;
    o.filter = Expression::parse(where);
    o.columns = {"id"};
    std::vector<int32_t> out;
    for (const RecordBatch& b : FileReader::open(path()).read_table(o).batches) {
      for (int64_t i = 0; i < b.num_rows; ++i) out.push_back(b.columns[0]->buffers[1]->as<int32_t>()[b.columns[0]->offset + i]);
    }
    return out;
  };
  EXPECT_EQ(kept("at >= TIMESTAMP '2024-01-01 04:00:00'"), (V{4, 5, 6}));
  EXPECT_EQ(kept("at >= TIMESTAMP '2024-01-01 04:00:00Z'"), (V{4, 5, 6}));
  EXPECT_EQ(kept("at >= TIMESTAMP '2024-01-01 04:00:00+02:00'"), (V{2, 3, 4, 5, 6}));  // 02:00 UTC
  EXPECT_EQ(kept("at < TIMESTAMP '2024-01-01T01:30:00-01:00'"), (V{1, 2}));          // 02:30 UTC
  EXPECT_EQ(kept("at = TIMESTAMP '2024-01-01 03:00:00.000001'"), V{});
}

TEST_F(FilterTest, PrintsAsSql) {
  const Expression e = (col("id").between(3, 5) || !col("name").is_in({"a'b", Literal()})) &&
                       col("ts") >= Literal::timestamp(1500, TimeUnit::Milli, false);
  EXPECT_EQ(e.to_string(),
            "(((id >= 3 AND id <= 5) OR NOT name IN ('a''b', NULL)) AND ts >= TIMESTAMP '1970-01-01 00:00:01.500000')");
  EXPECT_EQ(col(std::vector<std::string>{"a b", "c"}).starts_with("x%").to_string(), "\"a b\".c LIKE 'x\\%%'");
}

// Sorted ids 0..9999 in pages of 100 rows, and a string column: a range of 100 ids that
// straddles two pages reads those two pages of each column and nothing else; without the
// page index the id column is read whole, and the other column still only at the rows kept.
class PageIndexFilterTest : public test::TempDirTest {};

TEST_F(PageIndexFilterTest, ColumnIndexSkipsPagesAndOtherColumnsReadOnlyKeptRows) {
  std::vector<int64_t> ids;
  std::vector<std::optional<std::string>> names;
  for (int64_t i = 0; i < 10000; ++i) {
    ids.push_back(i);
    names.push_back("name " + std::to_string(i));
  }
  const Table table = test::table_of({field("id", DataType(Id::Int64)), field("name", DataType(Id::String))},
                                     {test::array_of(DataType(Id::Int64), ids), test::string_array(names)});
  WriteOptions w;
  w.max_rows_per_page = 100;
  write_table(table, path(), w);
  FileReader r = FileReader::open(path());
  ReadOptions o;
  o.filter = col("id").between(5050, 5149);
  ScanCounts counts;
  Table t = r.read_table(o, counts);
  ASSERT_EQ(t.num_rows(), 100);
  EXPECT_EQ(t.batches[0].columns[0]->buffers[1]->as<int64_t>()[t.batches[0].columns[0]->offset], 5050);
  EXPECT_EQ(test::render_value(*t.batches[0].columns[1], 99), "\"6e616d652035313439\"");  // "name 5149" in hex
  EXPECT_EQ(counts.pages_skipped, 2 * 98);  // pages 50 and 51 of each column are read
  EXPECT_EQ(counts.rows_skipped, 9900);

  o.use_page_index = false;
  t = r.read_table(o, counts);
  ASSERT_EQ(t.num_rows(), 100);
  EXPECT_EQ(counts.pages_skipped, 98);  // the id column whole, the names at the kept rows
}

// Three row groups whose strings are "ant", "cat", "eel" (dictionary-encoded, min "ant",
// max "eel") and whose numbers are 10, 30, 50: `s = 'bee'` and `n = 20` lie within every
// row group's bounds and no bloom filter was written, so only the dictionaries can tell.
TEST_F(PageIndexFilterTest, DictionariesSkipRowGroupsStatisticsCannot) {
  std::vector<std::optional<std::string>> names;
  std::vector<int64_t> numbers;
  for (int g = 0; g < 3; ++g) {
    for (int i = 0; i < 100; ++i) {
      names.push_back(i % 3 == 0 ? "ant" : i % 3 == 1 ? "cat" : "eel");
      numbers.push_back(10 + 20 * (i % 3));
    }
  }
  const Table table = test::table_of({field("s", DataType(Id::String)), field("n", DataType(Id::Int64))},
                                     {test::string_array(names), test::array_of(DataType(Id::Int64), numbers)});
  WriteOptions w;
  w.row_group_rows = 100;
  write_table(table, path(), w);
  FileReader r = FileReader::open(path());
  struct Case {
    Expression filter;
    int64_t rows, by_dictionary;
  };
  const std::vector<Case> cases = {
      {col("s") == "bee", 0, 3},
      {col("s").is_in({"bee", "dog"}), 0, 3},
      {col("s") == "cat", 99, 0},  // 33 of each group's 100 rows
      {col("n") == 20, 0, 3},
      {col("n").is_in({20, 50}), 99, 0},
      {col("s") == "bee" || col("n") == 30, 99, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter.to_string());
    ReadOptions o;
    o.filter = c.filter;
    ScanCounts counts;
    EXPECT_EQ(r.read_table(o, counts).num_rows(), c.rows);
    EXPECT_EQ(counts.row_groups_skipped, 0);
    EXPECT_EQ(counts.row_groups_skipped_by_dictionary, c.by_dictionary);
    o.use_dictionary_filter = false;
    EXPECT_EQ(r.read_table(o, counts).num_rows(), c.rows);
    EXPECT_EQ(counts.row_groups_skipped_by_dictionary, 0);
  }
}

// For each column of `path`, predicates around its own values: the filtered read and the
// filtered stream of batches, with every pruning switch on and off, equal the full read
// filtered row by row.
struct FilterCheck {
  int64_t max_batch = 300;  // streams in batches of 1 to this many rows
  std::vector<int> switches = {15, 0, 14, 13, 11, 7};  // every switch on, every one off, each one off alone
  size_t filters_per_column = 5;  // of those made from a value of the column, chosen at random
  size_t other_columns = SIZE_MAX;  // columns returned besides the filter's, chosen at random
};

void check_filters_on(const std::string& path, std::mt19937_64& rng, int& checked, int64_t& pages_skipped,
                      const FilterCheck& how = {}) {
  {
    FileReader r = FileReader::open(path);
    const Table full = r.read_table();
    for (size_t f = 0; f < full.schema.fields.size(); ++f) {
      const Field& field = full.schema.fields[f];
      // Literals: a present value of the column (through the filter itself: `col = v` must
      // keep the row it came from), and the same shifted.
      for (const RecordBatch& batch : full.batches) {
        if (batch.num_rows == 0) continue;
        const int64_t row = static_cast<int64_t>(rng() % static_cast<uint64_t>(batch.num_rows));
        const ArrayData& a = *batch.columns[f];
        if (!a.is_valid(row)) continue;
        std::vector<Expression> filters;
        const Expression c = col(field.name);
        switch (field.type.id()) {
          case Id::Int32: {
            const int32_t v = a.buffers[1]->as<int32_t>()[a.offset + row];
            filters = {c == v, c < v, c >= v + 1, c.between(v - 3, v + 3), !(c != v) || c.is_null()};
            break;
          }
          case Id::Int64: {
            const int64_t v = a.buffers[1]->as<int64_t>()[a.offset + row];
            filters = {c == static_cast<long long>(v), c > static_cast<long long>(v), c <= static_cast<long long>(v) - 1};
            break;
          }
          case Id::Float32:
          case Id::Float64: {
            const double v = field.type.id() == Id::Float32 ? a.buffers[1]->as<float>()[a.offset + row]
                                                             : a.buffers[1]->as<double>()[a.offset + row];
            if (std::isnan(v)) continue;
            filters = {c == v, c < v, c > v, !(c >= v), c != v};
            break;
          }
          case Id::String:
          case Id::Binary: {
            const int32_t* o = a.buffers[1]->as<int32_t>();
            const std::string v(reinterpret_cast<const char*>(a.buffers[2]->data()) + o[a.offset + row],
                                static_cast<size_t>(o[a.offset + row + 1] - o[a.offset + row]));
            const Literal lit = field.type.id() == Id::String ? Literal(v) : Literal::binary(v);
            filters = {c == lit, c < lit, c >= lit, c.is_in({lit, Literal::binary("zz")}), c.starts_with(v.substr(0, 1))};
            break;
          }
          default: filters = {c.is_null(), c.is_not_null()};
        }
        std::shuffle(filters.begin(), filters.end(), rng);
        if (filters.size() > how.filters_per_column) filters.resize(how.filters_per_column);
        for (const Expression& e : filters) {
          SCOPED_TRACE(e.to_string());
          const expr::Bound bound = expr::bind(e, full.schema);
          int64_t expected_rows = 0;
          for (const RecordBatch& fb : full.batches) {
            for (uint8_t k : expr::evaluate(bound, fb)) expected_rows += k;
          }
          // The columns returned: all, or the filter's and a few others.
          std::vector<size_t> projected;
          for (size_t k = 0; k < full.schema.fields.size(); ++k) projected.push_back(k);
          if (how.other_columns < projected.size() - 1) {
            std::shuffle(projected.begin(), projected.end(), rng);
            projected.resize(how.other_columns);
            if (std::find(projected.begin(), projected.end(), f) == projected.end()) projected.push_back(f);
            std::sort(projected.begin(), projected.end());
          }
          // The rows themselves: filtered full read against the filtered scan, as values,
          // with every pruning switch on and off.
          Table expected;
          std::vector<std::string> names;
          for (size_t k : projected) {
            expected.schema.fields.push_back(full.schema.fields[k]);
            names.push_back(full.schema.fields[k].name);
          }
          for (const RecordBatch& fb : full.batches) {
            const std::vector<int64_t> rows = table::selected_rows(expr::evaluate(bound, fb));
            if (rows.empty()) continue;
            RecordBatch eb;
            eb.schema = expected.schema;
            eb.num_rows = static_cast<int64_t>(rows.size());
            for (size_t k : projected) eb.columns.push_back(table::take(*fb.columns[k], rows));
            expected.batches.push_back(std::move(eb));
          }
          for (int switches : how.switches) {
            ReadOptions o;
            o.filter = e;
            if (projected.size() < full.schema.fields.size()) o.columns = names;
            o.use_statistics = switches & 1;
            o.use_bloom_filter = switches & 2;
            o.use_page_index = switches & 4;
            o.use_dictionary_filter = switches & 8;
            SCOPED_TRACE("statistics " + std::to_string(o.use_statistics) + ", bloom filters " +
                         std::to_string(o.use_bloom_filter) + ", page index " + std::to_string(o.use_page_index) +
                         ", dictionaries " + std::to_string(o.use_dictionary_filter));
            ScanCounts counts;
            const Table t = r.read_table(o, counts);
            EXPECT_EQ(test::table_difference(expected, t), "");
            // The stream of batches (decoded window by window, each column keeping its
            // place between batches) keeps the same rows.
            o.batch_size = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(how.max_batch));
            RecordBatchReader stream = r.batches(o);
            Table streamed;
            streamed.schema = stream.schema();
            for (RecordBatch b; stream.next(b);) {
              EXPECT_LE(b.num_rows, o.batch_size);
              streamed.batches.push_back(b);
            }
            EXPECT_EQ(test::table_difference(expected, streamed), "") << "batches of " << o.batch_size;
            EXPECT_EQ(stream.counts().row_groups_read, counts.row_groups_read);
            EXPECT_EQ(stream.counts().rows_skipped, counts.rows_skipped);
            if (!o.use_statistics) {
              EXPECT_EQ(counts.row_groups_skipped, 0);
            }
            if (!o.use_bloom_filter) {
              EXPECT_EQ(counts.row_groups_skipped_by_bloom_filter, 0);
            }
            if (!o.use_dictionary_filter) {
              EXPECT_EQ(counts.row_groups_skipped_by_dictionary, 0);
            }
            pages_skipped += counts.pages_skipped;
          }
          ++checked;
        }
        break;  // one row per column is enough here
      }
    }
  }
}

// Corpus files with statistics, page indexes and bloom filters.
TEST(FilterCorpus, FilteredScansEqualFullScansFilteredRowByRow) {
  std::mt19937_64 rng(42);
  int checked = 0;
  int64_t pages_skipped = 0;
  for (const char* name : {"alltypes_plain.parquet", "alltypes_tiny_pages_plain.parquet", "alltypes_tiny_pages.parquet",
                           "data_index_bloom_encoding_stats.parquet", "data_index_bloom_encoding_with_length.parquet",
                           "nulls.snappy.parquet", "int32_decimal.parquet", "byte_array_decimal.parquet",
                           "datapage_v2.snappy.parquet", "float16_nonzeros_and_nans.parquet", "nan_in_stats.parquet",
                           "floating_orders_nan_count.parquet", "delta_encoding_required_column.parquet",
                           "binary_truncated_min_max.parquet", "int32_with_null_pages.parquet",
                           "fixed_length_byte_array.parquet", "datapage_v2_empty_datapage.snappy.parquet",
                           "repeated_primitive_no_list.parquet"}) {
    SCOPED_TRACE(name);
    check_filters_on(test::data_file(name), rng, checked, pages_skipped);
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(pages_skipped, 0);  // the page index pruned somewhere
}

// Files parkett writes with binary statistics truncated to 3 bytes (min and max no longer
// values of the column), pages of 7 rows with their index, and bloom filters.
class FilterWritten : public test::TempDirTest {};

TEST_F(FilterWritten, TruncatedStatisticsPruneNothingThatMatches) {
  std::mt19937_64 rng(99);
  const std::vector<Field> fields = {{"s", DataType(DataType::Id::String), true, {}},
                                     {"b", DataType(DataType::Id::Binary), true, {}},
                                     {"i", DataType(DataType::Id::Int64), true, {}}};
  std::vector<ArrayPtr> columns;
  for (const Field& f : fields) columns.push_back(test::random_array(f.type, true, 500, 0.1, rng));
  WriteOptions w;
  w.statistics_truncate_length = 3;
  w.max_rows_per_page = 7;
  w.row_group_rows = 100;
  w.bloom_filter = BloomFilterOptions{};
  write_table(test::table_of(fields, columns), path("truncated.parquet"), w);
  int checked = 0;
  int64_t pages_skipped = 0;
  check_filters_on(path("truncated.parquet"), rng, checked, pages_skipped);
  EXPECT_GT(checked, 5);
  EXPECT_GT(pages_skipped, 0);
}

// polars marks a page whose bounds it left out (a NaN among its doubles) as a null page
// while its null count says 390 of 3000: such a page is not taken for all nulls, so a
// comparison does not prune it (here a file patched to say the same).
TEST_F(FilterWritten, ANullPageWithValuesByItsNullCountIsNotPruned) {
  std::vector<double> values(3000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i) * 1.5;
  const std::vector<Field> fields = {{"f", DataType(DataType::Id::Float64), false, {}}};
  WriteOptions w;
  w.dictionary = false;
  const std::string file = path("null_page.parquet");
  write_table(test::table_of(fields, {test::array_of(DataType(DataType::Id::Float64), values)}), file, w);
  const ColumnChunkMetadata chunk = FileReader::open(file).metadata().row_group(0).column(0);
  auto index = test::StoredStruct<format::ColumnIndex>::read(file, *chunk.column_index_offset(),
                                                              *chunk.column_index_length());
  ASSERT_EQ(index.value.null_pages.size(), 1u);
  ASSERT_TRUE(index.value.null_counts.has_value());
  index.value.null_pages[0] = true;  // a bool in a list: one byte either way
  ASSERT_TRUE(index.write());
  ReadOptions o;
  o.filter = col("f") != 3.0;
  ScanCounts counts;
  EXPECT_EQ(FileReader::open(file).read_table(o, counts).num_rows(), 2999);
  EXPECT_EQ(counts.row_groups_skipped, 0);
  o.filter = col("f").is_not_null();
  EXPECT_EQ(FileReader::open(file).read_table(o).num_rows(), 3000);
}

// Files the peers wrote (tests/interop/check.sh lists them in PARKETT_PEER_FILES, separated
// by ':'): DuckDB's and polars' statistics conventions under the same property.
TEST(FilterPeerFiles, FilteredScansEqualFullScansFilteredRowByRow) {
  const char* list = std::getenv("PARKETT_PEER_FILES");
  if (list == nullptr || *list == 0) GTEST_SKIP() << "run by tests/interop/check.sh with the files the peers wrote";
  std::mt19937_64 rng(5);
  int checked = 0, files = 0;
  int64_t pages_skipped = 0;
  std::string all = list;
  for (size_t at = 0; at <= all.size();) {
    const size_t end = std::min(all.find(':', at), all.size());
    const std::string file = all.substr(at, end - at);
    at = end + 1;
    if (file.empty()) continue;
    SCOPED_TRACE(file);
    // Larger batches, fewer switch combinations and filters, and four columns returned: the
    // peers' files are many and wide.
    check_filters_on(file, rng, checked, pages_skipped, {2000, {15, 0, 11}, 2, 3});
    ++files;
  }
  EXPECT_GT(files, 3);
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace parkett

// Writer options that shape metadata and types: bloom filters (against the corpus's filters
// and the data written), distinct and NaN counts, IEEE 754 total order, sorting columns,
// renames, format versions, timestamp coercion, INT96, the Spark flavor and write batches.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "temp_dir.h"
#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "format/serde.h"
#include "schema/arrow_ipc.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

using Id = DataType::Id;

using test::field;

class WriterOptionsTest : public test::TempDirTest {};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

template <class T>
std::string bytes_of(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

TEST(BloomFilterCorpus, ParquetJavaFilterHoldsItsValues) {
  // bloom_filter.xxhash.bin: a BloomFilterHeader and bitset parquet-java wrote for four words.
  const std::string raw = slurp(test::data_file("bloom_filter.xxhash.bin"));
  format::BloomFilterHeader h;
  const size_t header = format::deserialize(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), h).bytes_read;
  ASSERT_EQ(static_cast<size_t>(h.numBytes), raw.size() - header);
  const BloomFilter f = BloomFilter::from_bitset(raw.substr(header));
  for (const char* word : {"hello", "parquet", "bloom", "filter"}) EXPECT_TRUE(f.might_contain(BloomFilter::hash(word))) << word;
  int rejected = 0;
  for (int i = 0; i < 1000; ++i) rejected += !f.might_contain(BloomFilter::hash("absent-" + std::to_string(i)));
  EXPECT_GT(rejected, 990);
}

TEST(BloomFilterCorpus, ChunkFiltersHoldEveryValueOfTheirChunk) {
  for (const char* name : {"data_index_bloom_encoding_stats.parquet", "data_index_bloom_encoding_with_length.parquet"}) {
    SCOPED_TRACE(name);
    FileReader r = FileReader::open(test::data_file(name));
    const Table t = r.read_table();
    std::optional<BloomFilter> f = r.bloom_filter(0, 0);
    ASSERT_TRUE(f);
    const ArrayData& a = *t.batches[0].columns[0];
    ASSERT_EQ(a.type.id(), Id::String);
    const int32_t* o = a.buffers[1]->as<int32_t>();
    for (int64_t i = 0; i < a.length; ++i) {
      if (!a.is_valid(i)) continue;
      const std::string v(reinterpret_cast<const char*>(a.buffers[2]->data()) + o[a.offset + i], static_cast<size_t>(o[a.offset + i + 1] - o[a.offset + i]));
      EXPECT_TRUE(f->might_contain_value(StatValue(v))) << v;
    }
    int rejected = 0;
    for (int i = 0; i < 1000; ++i) rejected += !f->might_contain_value(StatValue("not there " + std::to_string(i)));
    EXPECT_GT(rejected, 900);
  }
}

TEST(BloomFilterSizing, AgreesWithArrowRsTableAndClamps) {
  // The table of sizes in arrow-rs's parquet::bloom_filter documentation (NDV, FPP, KiB), which
  // follows BloomFilter.md: bits = -8 ndv / ln(1 - fpp^(1/8)), rounded up to a power of two.
  struct Row {
    int64_t ndv;
    double fpp;
    int64_t kib;
  };
  for (const Row r : {Row{10000, 0.1, 8}, Row{10000, 0.01, 16}, Row{10000, 0.001, 32}, Row{10000, 0.0001, 32},
                      Row{100000, 0.1, 128}, Row{100000, 0.01, 128}, Row{100000, 0.001, 256}, Row{100000, 0.0001, 512},
                      Row{1000000, 0.1, 1024}, Row{1000000, 0.01, 2048}, Row{1000000, 0.0001, 4096},
                      Row{1000000, 0.000001, 8192}}) {
    EXPECT_EQ(BloomFilter::optimal_num_bytes(r.ndv, r.fpp), r.kib * 1024) << r.ndv << " " << r.fpp;
  }
  // One 32-byte block at least: ndv 0, and ndv 10 at fpp 0.01 (97 bits = 13 bytes).
  EXPECT_EQ(BloomFilter::optimal_num_bytes(0, 0.01), 32);
  EXPECT_EQ(BloomFilter::optimal_num_bytes(10, 0.01), 32);
  // 128 MiB at most: ndv 10^9 at fpp 0.01 would need 9.68e9 bits = 1.21e9 bytes.
  EXPECT_EQ(BloomFilter::optimal_num_bytes(1000000000, 0.01), 134217728);
}

TEST_F(WriterOptionsTest, WrittenBloomFiltersHoldEveryValueAndRejectMostOthers) {
  std::mt19937_64 rng(7);
  const std::vector<Field> fields = {field("i64", DataType(Id::Int64)), field("f64", DataType(Id::Float64)),
                                     field("str", DataType(Id::String)), field("fsb", DataType::fixed_size_binary(3)),
                                     field("i32", DataType(Id::Int32)), field("flag", DataType(Id::Boolean))};
  std::vector<ArrayPtr> cols;
  for (const Field& f : fields) cols.push_back(test::random_array(f.type, true, 5000, 0.1, rng));
  const Table t = test::table_of(fields, cols);
  WriteOptions o;
  o.bloom_filter = BloomFilterOptions{0.01, std::nullopt};
  o.column("i32").bloom_filter = BloomFilterOptions{0.05, 1000000};
  o.column("str").dictionary = false;
  o.row_group_rows = 2500;
  const FileMetadata md = write_table(t, path(), o);
  FileReader r = FileReader::open(path());
  for (int32_t g = 0; g < 2; ++g) {
    EXPECT_FALSE(r.bloom_filter(g, 5)) << "no bloom filter for booleans";
    for (int32_t c = 0; c < 5; ++c) {
      SCOPED_TRACE(fields[static_cast<size_t>(c)].name);
      std::optional<BloomFilter> f = r.bloom_filter(g, c);
      ASSERT_TRUE(f);
      const ArrayData& a = *cols[static_cast<size_t>(c)];
      const int64_t w = c == 0 || c == 1 ? 8 : c == 3 ? 3 : 4;
      std::set<std::string> values;
      for (int64_t i = g * 2500; i < (g + 1) * 2500; ++i) {
        if (!a.is_valid(i)) continue;
        std::string v;
        if (c == 2) {
          const int32_t* off = a.buffers[1]->as<int32_t>();
          v.assign(reinterpret_cast<const char*>(a.buffers[2]->data()) + off[i], static_cast<size_t>(off[i + 1] - off[i]));
        } else {
          v.assign(reinterpret_cast<const char*>(a.buffers[1]->data()) + i * w, static_cast<size_t>(w));
        }
        values.insert(v);
        EXPECT_TRUE(f->might_contain(BloomFilter::hash(v))) << "row " << i;
      }
      const double fpp = c == 4 ? 0.05 : 0.01;
      // Sizes by hand from BloomFilter.md: bits = -8 ndv / ln(1 - fpp^(1/8)), bytes rounded up
      // to a power of two within 32 bytes .. 128 MiB.
      // fpp 0.01: 0.01^(1/8) = 0.562341, ln(0.437659) = -0.826316, so bits = 9.6815 ndv and a
      // filter of B bytes holds ndv <= 8 B / 9.6815: 256 -> 211, 512 -> 423, 1024 -> 846,
      // 2048 -> 1692, 4096 -> 3384. Distinct values of this data (seed 7), row group 0 / 1:
      //   i64  408 /  403:  3950 /  3902 bits =  494 /  488 bytes ->  512
      //   f64  822 /  838:  7958 /  8113 bits =  995 / 1014 bytes -> 1024
      //   str 1149 / 1176: 11124 / 11385 bits = 1391 / 1423 bytes -> 2048
      //   fsb 2169 / 2145: 20999 / 20767 bits = 2625 / 2596 bytes -> 4096
      // i32, ndv 1,000,000 given, fpp 0.05: 0.05^(1/8) = 0.687656, ln(0.312344) = -1.163650,
      //   bits = 8e6 / 1.163650 = 6,874,918 = 859,365 bytes -> 1,048,576 (1 MiB).
      struct Size {
        int64_t ndv_above, ndv_at_most, bytes;  // the ndv range for which `bytes` is right
      };
      constexpr Size kSizes[] = {{211, 423, 512}, {423, 846, 1024}, {846, 1692, 2048}, {1692, 3384, 4096}};
      if (c == 4) {
        EXPECT_EQ(f->num_bytes(), 1048576);
      } else {
        const Size& want = kSizes[c];
        const auto ndv = static_cast<int64_t>(values.size());
        ASSERT_GT(ndv, want.ndv_above) << "the data changed: derive the size again";
        ASSERT_LE(ndv, want.ndv_at_most) << "the data changed: derive the size again";
        EXPECT_EQ(f->num_bytes(), want.bytes) << "ndv " << ndv;
      }
      int false_positives = 0, probes = 0;
      for (int i = 0; probes < 20000; ++i) {
        std::string probe = c == 2 ? "probe" + std::to_string(i) : bytes_of(static_cast<int64_t>(rng())).substr(0, static_cast<size_t>(w));
        if (values.count(probe)) continue;
        ++probes;
        false_positives += f->might_contain(BloomFilter::hash(probe));
      }
      EXPECT_LT(false_positives, probes * fpp * 2 + 10);
    }
  }
  WriteOptions bad;
  bad.column("flag").bloom_filter = BloomFilterOptions{};
  EXPECT_ERROR(write_table(t, path("bad.parquet"), bad), ErrorKind::InvalidArgument,
               "column 'flag' is BOOLEAN, which bloom filters do not hold");
  bad = {};
  bad.bloom_filter = BloomFilterOptions{1.5, std::nullopt};
  EXPECT_ERROR(write_table(t, path("bad.parquet"), bad), ErrorKind::InvalidArgument, "bloom filter fpp 1.5");
}

TEST_F(WriterOptionsTest, DistinctCountsAreExactWithAndWithoutDictionary) {
  std::vector<std::optional<std::string>> v;
  std::set<std::string> distinct;
  for (int i = 0; i < 3000; ++i) {
    if (i % 7 == 0) {
      v.emplace_back();
      continue;
    }
    v.push_back("value " + std::to_string((i * 7919) % (i < 1500 ? 40 : 900)));
    distinct.insert(*v.back());
  }
  const Table t = test::table_of({field("a", DataType(Id::String)), field("b", DataType(Id::String)), field("c", DataType(Id::String))},
                                 {test::string_array(v), test::string_array(v), test::string_array(v)});
  WriteOptions o;
  o.distinct_count = true;
  o.max_dictionary_keys = 100;  // "b" falls back
  o.column("c").dictionary = false;
  o.column("a").dictionary = true;
  o.write_batch_size = 100;
  o.data_page_size = 1000;
  o.column("a").distinct_count = true;
  const FileMetadata md = write_table(t, path(), o);
  for (int32_t c = 0; c < 3; ++c) EXPECT_EQ(md.row_group(0).column(c).statistics()->distinct_count(), static_cast<int64_t>(distinct.size())) << c;
  WriteOptions none;
  EXPECT_FALSE(write_table(t, path("none.parquet"), none).row_group(0).column(0).statistics()->distinct_count());
}

// The dictionary is judged on a chunk's first page: kept when its size is expected to stay
// within the limits (even when the first page is mostly new values, as with keys drawn at
// random from a few thousand), dropped when it would outgrow them and compresses no better
// than plain (sorted keys, unique prices). Values read back either way.
TEST_F(WriterOptionsTest, DictionaryIsDroppedOnlyWhenItWouldOutgrowItsLimitsAndNotPay) {
  constexpr int64_t kRows = 400000;
  std::mt19937_64 rng(5);
  std::vector<int64_t> sorted_keys, few_keys, unique_values;
  for (int64_t i = 0; i < kRows; ++i) {
    sorted_keys.push_back(1000000 + i / 4);                           // 100,000 keys, in order
    few_keys.push_back(static_cast<int64_t>(rng() % 8000));           // 8,000 keys at random
    unique_values.push_back(static_cast<int64_t>(rng() % 1000000000));  // nearly all distinct
  }
  const DataType i64(Id::Int64);
  const Table t = test::table_of({field("sorted", i64), field("few", i64), field("unique", i64)},
                                 {test::array_of(i64, sorted_keys), test::array_of(i64, few_keys), test::array_of(i64, unique_values)});
  for (Compression codec : {Compression::Snappy, Compression::Zstd, Compression::Uncompressed}) {
    SCOPED_TRACE(to_string(codec));
    WriteOptions o;
    o.compression.codec = codec;
    o.max_dictionary_keys = 20000;  // the first page (20,000 rows) sees 8,000 of "few": more than a linear guess allows
    const FileMetadata md = write_table(t, path(), o);
    const RowGroupMetadata rg = md.row_group(0);
    // Uncompressed, the sorted keys' dictionary pages are smaller than plain ones, so it is
    // kept until it falls back; compressed, the plain pages of sorted keys are smaller.
    EXPECT_EQ(rg.column(0).has_dictionary_page(), codec == Compression::Uncompressed);
    EXPECT_TRUE(rg.column(1).has_dictionary_page());
    EXPECT_FALSE(rg.column(2).has_dictionary_page());
    for (Encoding e : rg.column(2).encodings()) EXPECT_NE(e, Encoding::RleDictionary);
    EXPECT_EQ(test::table_difference(t, read_table(path())), "");
    // Without limits to outgrow, every column keeps its dictionary.
    o.max_dictionary_keys = kRows;
    o.max_dictionary_bytes = kRows * 8;
    const FileMetadata all = write_table(t, path(), o);
    for (int32_t c = 0; c < 3; ++c) EXPECT_TRUE(all.row_group(0).column(c).has_dictionary_page()) << c;
  }
}

TEST_F(WriterOptionsTest, NanCountsAndTotalOrder) {
  const double nan = std::nan(""), neg_nan = -std::nan("");
  const std::vector<double> values = {1.5, nan, -0.0, 0.0, neg_nan, -3.0, nan, 2.0};
  const std::vector<double> all_nan = {nan, neg_nan, nan, nan, nan, nan, nan, nan};
  const Table t = test::table_of({field("x", DataType(Id::Float64)), field("n", DataType(Id::Float64))},
                                 {test::array_of(DataType(Id::Float64), values), test::array_of(DataType(Id::Float64), all_nan)});
  for (const bool total : {false, true}) {
    SCOPED_TRACE(total ? "total order" : "type order");
    WriteOptions o;
    o.ieee754_total_order = total;
    o.max_rows_per_page = 4;
    const FileMetadata md = write_table(t, path(), o);
    EXPECT_EQ(md.column_order(0), total ? ColumnOrder::Ieee754TotalOrder : ColumnOrder::TypeDefined);
    const Statistics x = *md.row_group(0).column(0).statistics();
    EXPECT_EQ(x.nan_count(), 3);
    ASSERT_TRUE(x.has_min_max());
    EXPECT_EQ(std::get<double>(x.min()), -3.0);
    EXPECT_EQ(std::get<double>(x.max()), 2.0);
    const Statistics n = *md.row_group(0).column(1).statistics();
    EXPECT_EQ(n.nan_count(), 8);
    // Only NaNs: no min/max in the type order; the smallest and largest NaN in total order.
    EXPECT_EQ(n.encoded_min().empty(), !total);
    if (total) {
      EXPECT_TRUE(std::signbit(*reinterpret_cast<const double*>(n.encoded_min().data())));
      EXPECT_FALSE(std::signbit(*reinterpret_cast<const double*>(n.encoded_max().data())));
    }
    // The page index: nan_counts per page; all-NaN pages allow a column index only in total order.
    const std::string file = slurp(path());
    for (int32_t c = 0; c < 2; ++c) {
      auto chunk = md.row_group(0).column(c);
      EXPECT_EQ(chunk.column_index_offset().has_value(), total || c == 0);
      if (!chunk.column_index_offset()) continue;
      format::ColumnIndex ci;
      format::deserialize(reinterpret_cast<const uint8_t*>(file.data()) + *chunk.column_index_offset(),
                          static_cast<size_t>(*chunk.column_index_length()), ci);
      ASSERT_TRUE(ci.nan_counts);
      EXPECT_EQ(*ci.nan_counts, (c == 0 ? std::vector<int64_t>{1, 2} : std::vector<int64_t>{4, 4}));
      if (c == 0) {
        // Page 1 holds -0.0 and 0.0 as bounds: total order keeps them apart, the type order
        // writes a zero min as -0.0.
        double lo;
        std::memcpy(&lo, ci.min_values[0].data(), 8);
        EXPECT_TRUE(lo == 0.0 && std::signbit(lo));
      }
    }
  }
}

TEST_F(WriterOptionsTest, SortingColumnsAreWrittenInEveryRowGroup) {
  std::vector<int64_t> v(100);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i);
  const Table t = test::table_of({field("a", DataType(Id::Int64)), field("s", DataType::structure({field("b", DataType(Id::Int64))}))},
                                 {test::array_of(DataType(Id::Int64), v), nullptr});
  Table t2 = t;
  auto s = std::make_shared<ArrayData>();
  s->type = t.schema.fields[1].type;
  s->length = 100;
  s->buffers.push_back(nullptr);
  s->children.push_back(test::array_of(DataType(Id::Int64), v));
  t2.batches[0].columns[1] = s;
  WriteOptions o;
  o.row_group_rows = 30;
  o.sorting_columns = {{"s.b", true, true}, {"a", false, false}};
  const FileMetadata md = write_table(t2, path(), o);
  ASSERT_EQ(md.num_row_groups(), 4);
  for (int32_t g = 0; g < 4; ++g) {
    const std::vector<SortingColumn> sc = md.row_group(g).sorting_columns();
    ASSERT_EQ(sc.size(), 2u);
    EXPECT_EQ(sc[0].column_index, 1);
    EXPECT_TRUE(sc[0].descending && sc[0].nulls_first);
    EXPECT_EQ(sc[1].column_index, 0);
    EXPECT_FALSE(sc[1].descending || sc[1].nulls_first);
  }
  o.sorting_columns = {{"nope"}};
  EXPECT_ERROR(write_table(t2, path("bad.parquet"), o), ErrorKind::InvalidArgument,
               "sorting column 'nope' is no leaf column");
}

TEST_F(WriterOptionsTest, RenamedColumnsKeepTheirValues) {
  std::mt19937_64 rng(3);
  const DataType st = DataType::structure({field("inner", DataType(Id::Int32)), field("other", DataType(Id::String))});
  const Table t = test::table_of({field("a", DataType(Id::Int64)), field("s", st)},
                                 {test::random_array(DataType(Id::Int64), true, 50, 0.1, rng), test::random_array(st, true, 50, 0.1, rng)});
  WriteOptions o;
  o.rename = {{"a", "renamed a"}, {"s.inner", "deep"}};
  o.column("s.deep").compression = parse_codec("zstd");  // options follow the new names
  write_table(t, path(), o);
  FileReader r = FileReader::open(path());
  EXPECT_EQ(r.metadata().schema().column(0).dotted_path, "renamed a");
  EXPECT_EQ(r.metadata().schema().column(1).dotted_path, "s.deep");
  EXPECT_EQ(r.metadata().row_group(0).column(1).compression(), Compression::Zstd);
  EXPECT_EQ(test::table_difference(t, r.read_table()), "");
  o.rename = {{"s.missing", "x"}};
  o.columns.clear();
  EXPECT_ERROR(write_table(t, path("bad.parquet"), o), ErrorKind::InvalidArgument,
               "rename names 's.missing', which is no field");
}

Table timestamps(TimeUnit unit, std::vector<int64_t> v) {
  return test::table_of({field("ts", DataType::timestamp(unit, "UTC"))}, {test::array_of(DataType::timestamp(unit, "UTC"), v)});
}

int64_t first_value(const Table& t) { return t.batches[0].columns[0]->buffers[1]->as<int64_t>()[t.batches[0].columns[0]->offset]; }

TEST_F(WriterOptionsTest, FormatVersionsDecideTypesAndEncodings) {
  const std::vector<uint32_t> u = {0, 4000000000u, 7};
  const Table t = test::table_of({field("u", DataType(Id::UInt32))}, {test::array_of(DataType(Id::UInt32), u)});
  WriteOptions o;
  o.format_version = FormatVersion::V1_0;
  FileMetadata md = write_table(t, path(), o);
  EXPECT_EQ(md.version(), 1);
  EXPECT_EQ(md.schema().column(0).physical_type, PhysicalType::Int64);
  const std::vector<Encoding> enc = md.row_group(0).column(0).encodings();
  EXPECT_NE(std::find(enc.begin(), enc.end(), Encoding::PlainDictionary), enc.end());
  EXPECT_EQ(test::table_difference(t, read_table(path())), "");
  o.format_version = FormatVersion::V2_6;
  md = write_table(t, path(), o);
  EXPECT_EQ(md.version(), 2);
  EXPECT_EQ(md.schema().column(0).physical_type, PhysicalType::Int32);

  // Nanoseconds: kept in 2.6, microseconds before; a lossy value is an error unless allowed.
  const Table ns = timestamps(TimeUnit::Nano, {1700000000123456789, 1700000000123456000});
  o.format_version = FormatVersion::V2_6;
  write_table(ns, path(), o);
  EXPECT_EQ(first_value(read_table(path())), 1700000000123456789);
  o.format_version = FormatVersion::V2_4;
  try {
    write_table(ns, path(), o);
    ADD_FAILURE() << "a lossy coercion was written";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("lose precision"), std::string::npos) << e.what();
    EXPECT_EQ(e.context().column, "ts");
  }
  EXPECT_EQ(first_value(read_table(path())), 1700000000123456789) << "the failed write left the old file";
  o.allow_truncated_timestamps = true;
  write_table(ns, path(), o);
  FileReader r = FileReader::open(path());
  EXPECT_EQ(r.metadata().schema().node(r.metadata().schema().column(0).node).logical_type.unit, TimeUnit::Micro);
  EXPECT_EQ(first_value(r.read_table()), 1700000000123456);
}

TEST_F(WriterOptionsTest, TimestampCoercion) {
  const Table us = timestamps(TimeUnit::Micro, {1700000000123000, -1500});
  WriteOptions o;
  o.coerce_timestamps = TimeUnit::Milli;
  // -1500 us is not whole milliseconds
  EXPECT_ERROR(write_table(us, path(), o), ErrorKind::InvalidArgument,
               "the timestamp -1500 microseconds would lose precision in milliseconds");
  o.allow_truncated_timestamps = true;
  write_table(us, path(), o);
  const Table back = read_table(path());
  EXPECT_EQ(back.schema.fields[0].type.unit(), TimeUnit::Milli);
  EXPECT_EQ(back.batches[0].columns[0]->buffers[1]->as<int64_t>()[1], -2);  // floored
  o.coerce_timestamps = TimeUnit::Nano;
  write_table(us, path(), o);
  EXPECT_EQ(first_value(read_table(path())), 1700000000123000000);
  o.coerce_timestamps = TimeUnit::Second;
  EXPECT_ERROR(write_table(us, path(), o), ErrorKind::InvalidArgument,
               "timestamps can be coerced to milliseconds or microseconds");
}

// Decimals keep their precision's physical width: values that need more bytes are refused
// (naming the column) whether stored as INT32, INT64 or FIXED_LEN_BYTE_ARRAY; negative values
// that fit are stored exactly.
TEST_F(WriterOptionsTest, DecimalsWiderThanTheirPrecisionAreRefused) {
  auto decimals = [](int32_t precision, std::vector<std::pair<int64_t, int64_t>> words) {  // (low, high) words
    std::vector<int64_t> raw;
    for (const auto& [lo, hi] : words) raw.insert(raw.end(), {lo, hi});
    return test::table_of({field("d", DataType::decimal(precision, 2))},
                          {test::fixed_array(DataType::decimal(precision, 2), raw.data(), static_cast<int64_t>(words.size()))});
  };
  for (bool as_integers : {true, false}) {
    WriteOptions o;
    o.decimals_as_integers = as_integers;
    SCOPED_TRACE(as_integers ? "integers" : "fixed_len_byte_array");
    const Table fits = decimals(9, {{-999999999, -1}, {999999999, 0}, {-1, -1}, {0, 0}});
    write_table(fits, path(), o);
    EXPECT_EQ(test::table_difference(fits, read_table(path())), "");
    for (const auto& bad : std::vector<std::pair<int64_t, int64_t>>{{int64_t{1} << 31, 0}, {-(int64_t{1} << 31) - 1, -1}, {5, 1}}) {
      try {
        write_table(decimals(9, {{1, 0}, bad}), path(), o);
        ADD_FAILURE() << "a decimal(9, 2) of " << bad.first << " was written";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
        EXPECT_NE(std::string(e.what()).find("index 1 does not fit 4 bytes"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'d'"), std::string::npos) << e.what();
      }
    }
    const Table wide = decimals(18, {{INT64_MIN, -1}, {INT64_MAX, 0}});
    write_table(wide, path(), o);
    EXPECT_EQ(test::table_difference(wide, read_table(path())), "");
    // the high word is no sign extension
    EXPECT_ERROR(write_table(decimals(18, {{INT64_MAX, -1}}), path(), o), ErrorKind::InvalidArgument,
                 "index 0 does not fit 8 bytes");
  }
}

TEST_F(WriterOptionsTest, Int96TimestampsAndTheSparkFlavor) {
  const Table s = test::table_of({field("a b", DataType::timestamp(TimeUnit::Second)), field("d", DataType::decimal(9, 2)),
                                  field("s", DataType::structure({field("in ner", DataType(Id::Int32))}))},
                                 {test::array_of(DataType::timestamp(TimeUnit::Second), std::vector<int64_t>{-86401, 1700000000}),
                                  nullptr, nullptr});
  std::mt19937_64 rng(5);
  Table t = s;
  t.batches[0].columns[1] = test::random_array(DataType::decimal(9, 2), true, 2, 0, rng);
  t.batches[0].columns[2] = test::random_array(t.schema.fields[2].type, true, 2, 0, rng);
  WriteOptions o;
  o.int96_timestamps = true;
  write_table(t, path(), o);
  FileReader r = FileReader::open(path());
  EXPECT_EQ(r.metadata().schema().column(0).physical_type, PhysicalType::Int96);
  EXPECT_EQ(r.metadata().schema().column(1).physical_type, PhysicalType::Int32);
  EXPECT_EQ(test::table_difference(t, r.read_table()), "");
  o = {};
  o.spark_flavor = true;
  write_table(t, path(), o);
  r = FileReader::open(path());
  const ParquetSchema& ps = r.metadata().schema();
  EXPECT_EQ(ps.column(0).dotted_path, "a_b");
  EXPECT_EQ(ps.column(0).physical_type, PhysicalType::Int96);
  EXPECT_EQ(ps.column(1).physical_type, PhysicalType::FixedLenByteArray);
  EXPECT_EQ(ps.column(2).dotted_path, "s.in ner");  // nested names stay, as in pyarrow
  EXPECT_EQ(test::table_difference(t, r.read_table()), "");
}

TEST_F(WriterOptionsTest, PagesCloseAtWriteBatchBoundaries) {
  std::vector<int64_t> v(10000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i * 31);
  const Table t = test::table_of({field("a", DataType(Id::Int64))}, {test::array_of(DataType(Id::Int64), v)});
  // Pages by hand: PLAIN INT64 takes 8 bytes a value, so 1000 bytes are 125 values.
  //   batch 1: a page closes after 125 values: 10000 / 125 = 80 pages.
  //   batch 1024: one batch is 8192 bytes >= 1000, so every batch closes a page:
  //     9 x 1024 + 784 = 10000 rows, 10 pages.
  //   batch 3000: likewise, 3 x 3000 + 1000 = 10000 rows, 4 pages.
  struct Case {
    int64_t batch;
    int32_t pages;
  };
  for (const Case c : {Case{1, 80}, Case{1024, 10}, Case{3000, 4}}) {
    const int64_t batch = c.batch;
    WriteOptions o;
    o.dictionary = false;
    o.data_page_size = 1000;  // 125 values
    o.write_batch_size = batch;
    const FileMetadata md = write_table(t, path(), o);
    int32_t pages = 0;
    const auto stats = md.row_group(0).column(0).encoding_stats();
    for (const auto& s : *stats) {
      if (s.page_type == PageType::DataPage) pages += s.count;
    }
    EXPECT_EQ(pages, c.pages) << batch;
  }
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

TEST_F(WriterOptionsTest, StoredArrowSchemaRestoresWhatParquetCannotSay) {
  Field tagged = field("tagged", DataType(Id::Int32));
  tagged.metadata = {{"origin", "sensor 7"}};
  const std::vector<Field> fields = {
      field("paris", DataType::timestamp(TimeUnit::Micro, "Europe/Paris")),
      field("large_str", DataType(Id::LargeString)),
      field("large_bin", DataType(Id::LargeBinary)),
      field("large_list", DataType::list(field("item", DataType(Id::String)), true)),
      field("list", DataType::list(field("item", DataType(Id::Int32)))),
      field("dict", DataType::dictionary(DataType(Id::String))),
      field("struct", DataType::structure({field("tokyo", DataType::timestamp(TimeUnit::Milli, "Asia/Tokyo")),
                                           field("inner", DataType(Id::LargeString))})),
      field("sorted_map", DataType::map(field("key", DataType(Id::String), false), field("value", DataType(Id::Int64)), true)),
      tagged,
  };
  std::mt19937_64 rng(11);
  std::vector<ArrayPtr> cols;
  for (const Field& f : fields) cols.push_back(test::random_array(f.type, true, 200, 0.2, rng));
  const Table t = test::table_of(fields, cols);
  write_table(t, path());
  const Table back = read_table(path());
  ASSERT_EQ(back.schema.fields.size(), fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(back.schema.fields[i].type.to_string(), fields[i].type.to_string()) << fields[i].name;
    EXPECT_EQ(back.batches[0].columns[i]->type, back.schema.fields[i].type) << fields[i].name;
  }
  EXPECT_EQ(back.schema.fields[8].metadata, tagged.metadata);
  EXPECT_EQ(back.schema.fields[7].type.keys_sorted(), true);
  EXPECT_EQ(test::table_difference(t, back), "");
  // Without the stored schema: what the Parquet schema alone says.
  ReadOptions plain;
  plain.use_arrow_schema = false;
  const Table bare = read_table(path(), plain);
  EXPECT_EQ(bare.schema.fields[0].type.timezone(), "UTC");
  EXPECT_EQ(bare.schema.fields[1].type.id(), Id::String);
  EXPECT_EQ(bare.schema.fields[4].type.to_string(), "list<element: int32>");
  EXPECT_EQ(test::table_difference(t, bare), "");
  // A writer told not to store it.
  WriteOptions o;
  o.store_arrow_schema = false;
  write_table(t, path("bare.parquet"), o);
  EXPECT_EQ(read_table(path("bare.parquet")).schema.fields[1].type.id(), Id::String);
}

TEST(ArrowSchemaCorpus, SchemasStoredByPyarrowAndArrowRsDecode) {
  int decoded = 0;
  for (const auto& entry : fs::directory_iterator(test::data_file(""))) {
    if (entry.path().extension() != ".parquet") continue;
    FileMetadata md;
    try {
      md = FileReader::open(entry.path().string()).metadata();
    } catch (const Error&) {
      continue;  // encrypted and the like: not what this test is about
    }
    for (const auto& [k, v] : md.key_value_metadata()) {
      if (k != "ARROW:schema" || !v) continue;
      SCOPED_TRACE(entry.path().filename().string());
      schema::ArrowSchema s;
      ASSERT_NO_THROW(s = schema::decode_arrow_schema(*v));
      // The stored top-level names are the Parquet ones.
      const ParquetSchema& ps = md.schema();
      ASSERT_EQ(s.fields.size(), ps.root().children.size());
      for (size_t i = 0; i < s.fields.size(); ++i) EXPECT_EQ(s.fields[i].name, ps.node(ps.root().children[i]).name);
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 10);
}

TEST(ArrowSchemaCorpus, MalformedValuesAreErrorsNotCrashes) {
  std::mt19937_64 rng(1);
  Schema s;
  s.fields = {field("a", DataType::list(field("item", DataType::timestamp(TimeUnit::Nano, "UTC")))),
              field("b", DataType::dictionary(DataType(Id::String)))};
  const std::string good = schema::encode_arrow_schema(s);
  EXPECT_EQ(schema::decode_arrow_schema(good).fields.size(), 2u);
  for (int i = 0; i < 2000; ++i) {
    std::string bad = good;
    for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng() % 64];
    try {
      schema::decode_arrow_schema(bad.substr(0, rng() % (bad.size() + 1)));
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    }
  }
}

}  // namespace
// Codec names as pyarrow, Spark, DuckDB and polars spell them; "lz4" writes LZ4_RAW (the
// footer says which codec each chunk has), Hadoop's LZ4 only by its own name.
TEST_F(WriterOptionsTest, CodecNamesInAnyCaseAndLz4MeansLz4Raw) {
  const std::vector<std::pair<std::string, Compression>> names = {
      {"NONE", Compression::Uncompressed}, {"none", Compression::Uncompressed},
      {"Uncompressed", Compression::Uncompressed}, {"SNAPPY", Compression::Snappy},
      {"gzip", Compression::Gzip}, {"Brotli", Compression::Brotli},
      {"lz4", Compression::Lz4Raw}, {"LZ4", Compression::Lz4Raw},
      {"lz4raw", Compression::Lz4Raw}, {"LZ4_RAW", Compression::Lz4Raw},
      {"lz4_hadoop", Compression::Lz4}, {"ZSTD", Compression::Zstd}, {"lzo", Compression::Lzo}};
  std::vector<int64_t> values(5000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i % 97);
  const Table t = test::table_of({field("v", DataType(Id::Int64))}, {test::array_of(DataType(Id::Int64), values)});
  for (const auto& [name, codec] : names) {
    SCOPED_TRACE(name);
    WriteOptions o;
    o.compression = parse_codec(name);
    write_table(t, path("c.parquet"), o);
    const FileReader r = FileReader::open(path("c.parquet"));
    EXPECT_EQ(r.metadata().row_group(0).column(0).compression(), codec);
    EXPECT_EQ(test::table_difference(t, r.read_table()), "");
  }
  EXPECT_EQ(parse_codec("Zstd:7").level, 7);
  EXPECT_ERROR(parse_codec("lz5"), ErrorKind::InvalidArgument, "codec 'lz5': expected uncompressed (or none)");
  EXPECT_ERROR(parse_codec("zstd:high"), ErrorKind::InvalidArgument, "an integer level");
}

// row_group_bytes splits a batch larger than it (by the batch's average row size), not
// only between batches.
TEST_F(WriterOptionsTest, RowGroupBytesSplitsOneLargeBatch) {
  std::vector<int64_t> values(100000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i);
  const Table t = test::table_of({field("v", DataType(Id::Int64), false)}, {test::array_of(DataType(Id::Int64), values)});
  WriteOptions o;
  // The writer counts 8 bytes a value and a validity bit: 8.125 bytes a row, 10,000 rows.
  o.row_group_bytes = 81250;
  write_table(t, path("g.parquet"), o);
  const FileReader r = FileReader::open(path("g.parquet"));
  ASSERT_EQ(r.metadata().num_row_groups(), 10);
  for (int32_t g = 0; g < 10; ++g) EXPECT_EQ(r.metadata().row_group(g).num_rows(), 10000) << g;
  EXPECT_EQ(test::table_difference(t, r.read_table()), "");
}

}  // namespace parkett

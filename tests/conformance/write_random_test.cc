// Property-style round trips: random tables of every type the writer takes (nested
// included), with edge cases (no rows, one row, all nulls, NaNs, -0.0, extremes, empty and
// huge strings, empty lists), written in many option combinations and read back. The values
// read must equal the values written, row by row.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "arrays.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

using Id = DataType::Id;

using test::field;

// Every type, flat and nested. Without nanosecond timestamps when `with_nanos` is false
// (format versions before 2.6 store them as microseconds, which is lossy).
std::vector<Field> all_types(bool with_nanos) {
  std::vector<Field> f = {
      field("bool", DataType(Id::Boolean)),
      field("i8", DataType(Id::Int8)),
      field("i16", DataType(Id::Int16)),
      field("i32", DataType(Id::Int32)),
      field("i64 required", DataType(Id::Int64), false),
      field("u8", DataType(Id::UInt8)),
      field("u16", DataType(Id::UInt16)),
      field("u32", DataType(Id::UInt32)),
      field("u64", DataType(Id::UInt64)),
      field("f16", DataType(Id::Float16)),
      field("f32", DataType(Id::Float32)),
      field("f64", DataType(Id::Float64)),
      field("str", DataType(Id::String)),
      field("large_str", DataType(Id::LargeString)),
      field("bin", DataType(Id::Binary), false),
      field("large_bin", DataType(Id::LargeBinary)),
      field("fsb", DataType::fixed_size_binary(5)),
      field("date", DataType(Id::Date32)),
      field("time_s", DataType::time(TimeUnit::Second)),
      field("time_ms", DataType::time(TimeUnit::Milli)),
      field("time_us", DataType::time(TimeUnit::Micro)),
      field("ts_s", DataType::timestamp(TimeUnit::Second)),
      field("ts_ms_utc", DataType::timestamp(TimeUnit::Milli, "UTC")),
      field("ts_us", DataType::timestamp(TimeUnit::Micro, "Europe/Paris")),
      field("dec9", DataType::decimal(9, 2)),
      field("dec18", DataType::decimal(18, 0)),
      field("dec38", DataType::decimal(38, 10)),
      field("dec60", DataType::decimal(60, 5)),
      field("interval", DataType(Id::IntervalMonthDayNano)),
      field("null", DataType(Id::Null)),
      field("dict", DataType::dictionary(DataType(Id::String))),
      field("list", DataType::list(field("item", DataType(Id::Int32)))),
      field("large_list", DataType::list(field("item", DataType(Id::String), false), true)),
      field("list_of_lists", DataType::list(field("item", DataType::list(field("item", DataType(Id::Float64)))))),
      field("struct", DataType::structure({field("a", DataType(Id::Int64), false), field("b", DataType(Id::String)),
                                           field("c", DataType::list(field("item", DataType(Id::Boolean))))})),
      field("list_of_structs", DataType::list(field("item", DataType::structure({field("x", DataType(Id::Int32)),
                                                                                 field("y", DataType::decimal(25, 3))})))),
      field("map", DataType::map(field("key", DataType(Id::String), false), field("value", DataType(Id::Float32)))),
      field("map_of_lists", DataType::map(field("key", DataType(Id::Int64), false),
                                          field("value", DataType::list(field("item", DataType(Id::Date32)))))),
  };
  if (with_nanos) {
    f.push_back(field("time_ns", DataType::time(TimeUnit::Nano)));
    f.push_back(field("ts_ns", DataType::timestamp(TimeUnit::Nano)));
  }
  return f;
}

Table random_table(const std::vector<Field>& fields, int64_t rows, double null_rate, std::mt19937_64& rng) {
  std::vector<ArrayPtr> columns;
  for (const Field& f : fields) columns.push_back(test::random_array(f.type, f.nullable, rows, null_rate, rng));
  return test::table_of(fields, std::move(columns));
}

struct Config {
  const char* name;
  WriteOptions options;
  bool with_nanos = true;
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.name; }

std::vector<Config> configs() {
  std::vector<Config> out;
  auto add = [&](const char* name, auto&& set, bool with_nanos = true) {
    WriteOptions o;
    o.threads = 2;
    set(o);
    out.push_back({name, o, with_nanos});
  };
  add("default", [](WriteOptions&) {});
  add("v2_zstd_no_dictionary", [](WriteOptions& o) {
    o.data_page_version = 2;
    o.compression = parse_codec("zstd:7");
    o.dictionary = false;
  });
  add("plain_uncompressed_no_statistics", [](WriteOptions& o) {
    o.encoding = Encoding::Plain;
    o.dictionary = false;
    o.compression = parse_codec("uncompressed");
    o.statistics = StatisticsLevel::None;
    o.page_index = false;
  });
  add("delta_binary_packed_gzip_v2", [](WriteOptions& o) {
    o.encoding = Encoding::DeltaBinaryPacked;
    o.dictionary = false;
    o.compression = parse_codec("gzip:9");
    o.data_page_version = 2;
  });
  add("delta_length_byte_array_lz4_raw", [](WriteOptions& o) {
    o.encoding = Encoding::DeltaLengthByteArray;
    o.dictionary = false;
    o.compression = parse_codec("lz4_raw");
  });
  add("delta_byte_array_brotli_v2", [](WriteOptions& o) {
    o.encoding = Encoding::DeltaByteArray;
    o.dictionary = false;
    o.compression = parse_codec("brotli:3");
    o.data_page_version = 2;
  });
  add("byte_stream_split_hadoop_lz4", [](WriteOptions& o) {
    o.encoding = Encoding::ByteStreamSplit;
    o.dictionary = false;
    o.compression = parse_codec("lz4_hadoop");
  });
  add("alp_lzo", [](WriteOptions& o) {
    o.encoding = Encoding::Alp;
    o.dictionary = false;
    o.compression = parse_codec("lzo");
  });
  add("rle_booleans_v1", [](WriteOptions& o) { o.encoding = Encoding::Rle; });
  add("tiny_pages_and_row_groups_with_fallback_and_crc", [](WriteOptions& o) {
    o.data_page_size = 64;
    o.write_batch_size = 1;
    o.max_rows_per_page = 3;
    o.max_dictionary_keys = 5;
    o.row_group_rows = 37;
    o.page_crc = true;
  });
  add("format_1_0", [](WriteOptions& o) { o.format_version = FormatVersion::V1_0; }, false);
  add("format_2_4_v2", [](WriteOptions& o) {
    o.format_version = FormatVersion::V2_4;
    o.data_page_version = 2;
  }, false);
  add("int96_timestamps", [](WriteOptions& o) { o.int96_timestamps = true; });
  add("spark_flavor", [](WriteOptions& o) { o.spark_flavor = true; });
  add("total_order_distinct_counts_bloom_filters", [](WriteOptions& o) {
    o.ieee754_total_order = true;
    o.distinct_count = true;
    o.bloom_filter = BloomFilterOptions{};
  });
  add("one_thread_decimals_in_fixed_bytes", [](WriteOptions& o) {
    o.threads = 1;
    o.decimals_as_integers = false;
  });
  return out;
}

class WriteRandom : public ::testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parkett-random-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(WriteRandom, ValuesReadBackAsWritten) {
  const Config& config = GetParam();
  const std::vector<Field> fields = all_types(config.with_nanos);
  std::mt19937_64 rng(std::hash<std::string>{}(config.name));
  struct Shape {
    int64_t rows;
    double null_rate;
  };
  for (const Shape shape : {Shape{0, 0.2}, Shape{1, 0.0}, Shape{1, 1.0}, Shape{300, 1.0}, Shape{500, 0.0}, Shape{1500, 0.3}}) {
    SCOPED_TRACE(std::to_string(shape.rows) + " rows, null rate " + std::to_string(shape.null_rate));
    const Table written = random_table(fields, shape.rows, shape.null_rate, rng);
    const std::string path = (dir_ / (std::string(config.name) + ".parquet")).string();
    // Two batches, so that row groups are also fed from several writes.
    FileWriter w = FileWriter::open(path, written.schema, config.options);
    const RecordBatch& all = written.batches[0];
    const int64_t half = all.num_rows / 2;
    for (auto [offset, length] : {std::pair<int64_t, int64_t>{0, half}, {half, all.num_rows - half}}) {
      RecordBatch part = all;
      part.num_rows = length;
      for (auto& c : part.columns) {
        auto s = std::make_shared<ArrayData>(*c);
        s->offset += offset;
        s->length = length;
        s->null_count = -1;
        c = s;
      }
      w.write(part);
    }
    const FileMetadata md = w.close();
    ASSERT_EQ(md.num_rows(), shape.rows);
    const Table back = read_table(path);
    EXPECT_EQ(test::table_difference(written, back), "");
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, WriteRandom, ::testing::ValuesIn(configs()),
                         [](const ::testing::TestParamInfo<Config>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace parkett

// Every table of the corpus crosses the Arrow C Data Interface both ways unchanged: export,
// import, and the canonical rendering of what came back equals the original's. Covers every
// type parkett reads (nested included).
#include <gtest/gtest.h>

#include <filesystem>

#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "arrays.h"
#include "expect_error.h"
#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

TEST(CDataInterface, CorpusTablesRoundTrip) {
  int tables = 0;
  for (const auto& e : fs::directory_iterator(PARKETT_TESTING_EXPECTED_DIR)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".jsonl") || name.starts_with("large_string_map")) continue;
    const std::string file = name.substr(0, name.size() - 6);
    std::string path;
    for (const auto& rel : test::corpus_parquet_files()) {
      if (fs::path(rel).filename() == file) path = test::corpus_dir() + "/" + rel;
    }
    SCOPED_TRACE(file);
    FileReader reader = FileReader::open(path);
    Table original = reader.read_table();

    Table back;
    ArrowSchema c_schema;
    export_schema(original.schema, &c_schema);
    Field as_struct = import_field(&c_schema);
    ASSERT_EQ(c_schema.release, nullptr);  // imported: released by the importer
    back.schema.fields = as_struct.type.children();
    EXPECT_EQ(back.schema, original.schema);
    for (const auto& batch : original.batches) {
      ArrowArray c_array;
      export_record_batch(batch, &c_array);
      ArrayPtr imported = import_array(&c_array, as_struct.type);
      ASSERT_EQ(c_array.release, nullptr);
      RecordBatch b;
      b.schema = back.schema;
      b.num_rows = imported->length;
      b.columns = imported->children;
      back.batches.push_back(std::move(b));
    }
    const ParquetSchema& ps = reader.metadata().schema();
    EXPECT_EQ(convert::to_canonical_jsonl(ps, back), convert::to_canonical_jsonl(ps, original));
    ++tables;
  }
  EXPECT_GT(tables, 60);
}

TEST(CDataInterface, StreamHandsOutEveryBatchThenEnds) {
  Table t = read_table(test::data_file("floating_orders_nan_count.parquet"));
  ASSERT_GT(t.batches.size(), 1u);
  const int64_t rows = t.num_rows();
  ArrowArrayStream stream;
  export_stream(std::move(t), &stream);
  ArrowSchema schema;
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  EXPECT_STREQ(schema.format, "+s");
  schema.release(&schema);
  int64_t seen = 0;
  while (true) {
    ArrowArray a;
    ASSERT_EQ(stream.get_next(&stream, &a), 0);
    if (!a.release) break;  // end of stream
    seen += a.length;
    a.release(&a);
    EXPECT_EQ(a.release, nullptr);
  }
  EXPECT_EQ(seen, rows);
  EXPECT_EQ(stream.get_last_error(&stream), nullptr);
  stream.release(&stream);
  EXPECT_EQ(stream.release, nullptr);
}

TEST(CDataInterface, UnknownFormatsAreRefused) {
  Field f{"x", DataType(DataType::Id::Int32), true, {}};
  ArrowSchema s;
  export_field(f, &s);
  EXPECT_STREQ(s.format, "i");
  const char* kBad = "vu";  // string view: no parkett type yet
  s.format = kBad;
  EXPECT_ERROR(import_field(&s), ErrorKind::Unsupported, "Arrow format 'vu' has no parkett type");
  EXPECT_EQ(s.release, nullptr);  // released even when refused
}

// A producer may export an unknown null count (-1): the import counts it from the
// validity bitmap (at the array's offset), so that nulls are never taken for values.
TEST(CDataInterface, UnknownNullCountsAreCounted) {
  const DataType int32(DataType::Id::Int32);
  ArrayPtr a = test::array_of<int32_t>(int32, {1, 2, 3, 4, 5}, {true, false, true, false, false});
  ArrowArray c;
  export_array(slice(a, 1, 4), &c);  // rows 2..5: null, 3, null, null
  ASSERT_EQ(c.null_count, 3);
  c.null_count = -1;
  EXPECT_EQ(import_array(&c, int32)->null_count, 3);
  export_array(test::array_of<int32_t>(int32, {1, 2}), &c);
  c.null_count = -1;
  EXPECT_EQ(import_array(&c, int32)->null_count, 0);
  export_array(a, &c);
  c.null_count = 9;
  EXPECT_ERROR(import_array(&c, int32), ErrorKind::InvalidArgument, "null count");
}

}  // namespace
}  // namespace parkett

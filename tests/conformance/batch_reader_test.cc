// Streaming reads: batches of any size, across row groups, flat and nested, give the rows
// of a full read; the stream crosses the C Data Interface lazily.
#include <gtest/gtest.h>

#include <filesystem>

#include "convert/jsonl_writer.h"
#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

std::string render(const FileReader& r, const Table& t) {
  return convert::to_canonical_jsonl(r.metadata().schema(), t);
}

TEST(BatchReader, BatchesOfAnySizeGiveTheFullRead) {
  for (const char* name : {"floating_orders_nan_count.parquet", "nested_lists.snappy.parquet",
                           "nulls.snappy.parquet", "nested_maps.snappy.parquet",
                           "alltypes_plain.parquet", "repeated_no_annotation.parquet"}) {
    SCOPED_TRACE(name);
    FileReader r = FileReader::open(test::data_file(name));
    const std::string full = render(r, r.read_table());
    for (int64_t size : {1, 3, 7, 0}) {
      ReadOptions o;
      o.batch_size = size;
      RecordBatchReader batches = r.batches(o);
      Table t;
      t.schema = batches.schema();
      RecordBatch b;
      while (batches.next(b)) {
        if (size > 0) {
          EXPECT_LE(b.num_rows, size);
        }
        t.batches.push_back(b);
      }
      EXPECT_EQ(render(r, t), full) << "batch size " << size;
    }
  }
}

// Every readable file of the corpus, in batches of sizes that cut pages and rows of
// nested columns anywhere, with strings as dictionaries, from a mapped file or read with
// pread: the same rows as the full read, or the same kind of error.
TEST(BatchReader, EveryCorpusFileStreamsAsItReadsWhole) {
  int files = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("data/") || rel.ends_with(".encrypted") || rel.find("large_string") != std::string::npos) continue;
    SCOPED_TRACE(rel);
    const std::string path = test::corpus_dir() + "/" + rel;
    FileReader r = FileReader::open(path);
    ReadOptions o;
    for (const Field& f : r.arrow_schema().fields) o.read_dictionary.push_back(f.name);
    Table full;
    try {
      full = r.read_table(o);
    } catch (const Error& e) {
      o.batch_size = 5;
      EXPECT_ERROR(([&] {
                     RecordBatchReader batches = r.batches(o);
                     for (RecordBatch b; batches.next(b);) {
                     }
                   }()),
                   e.kind());
      continue;
    }
    for (int64_t size : {int64_t{5}, int64_t{97}, int64_t{4096}}) {
      for (bool mapped : {false, true}) {
        o.batch_size = size;
        o.memory_map = mapped;
        RecordBatchReader batches = FileReader::open(path, o).batches();
        Table t;
        t.schema = batches.schema();
        for (RecordBatch b; batches.next(b);) {
          EXPECT_LE(b.num_rows, size);
          t.batches.push_back(b);
        }
        EXPECT_EQ(test::table_difference(full, t), "") << "batches of " << size << (mapped ? ", mapped" : "");
      }
    }
    ++files;
  }
  EXPECT_GT(files, 60);
}

// Options fixed at open (here the INT96 unit) hold for every scan; a scan's options are an
// aggregate, given inline.
TEST(BatchReader, ScansKeepTheOptionsGivenAtOpen) {
  ReadOptions open;
  open.int96_unit = TimeUnit::Micro;
  open.batch_size = 1;
  const FileReader r = FileReader::open(test::data_file("int96_from_spark.parquet"), open);
  const std::string micros = DataType::timestamp(TimeUnit::Micro, "").to_string();
  EXPECT_EQ(r.arrow_schema().fields.at(0).type.to_string(), micros);
  ScanOptions just_a;
  just_a.columns = {"a"};
  EXPECT_EQ(r.read_table(just_a).schema.fields.at(0).type.to_string(), micros);
  ScanOptions pairs;
  pairs.batch_size = 2;
  RecordBatchReader batches = r.batches(pairs);
  EXPECT_EQ(batches.schema().fields.at(0).type.to_string(), micros);
  int64_t rows = 0;
  for (RecordBatch b; batches.next(b);) {
    EXPECT_LE(b.num_rows, 2);
    rows += b.num_rows;
  }
  EXPECT_EQ(rows, r.metadata().num_rows());
  // Without scan options: those given at open (batches of one row).
  RecordBatchReader ones = r.batches();
  RecordBatch b;
  ASSERT_TRUE(ones.next(b));
  EXPECT_EQ(b.num_rows, 1);
}

TEST(BatchReader, StreamExportsLazily) {
  FileReader r = FileReader::open(test::data_file("floating_orders_nan_count.parquet"));
  const int64_t rows = r.metadata().num_rows();
  ReadOptions o;
  o.batch_size = 4;
  ArrowArrayStream stream;
  export_stream(r.batches(o), &stream);
  ArrowSchema schema;
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  Field f = import_field(&schema);
  int64_t seen = 0;
  while (true) {
    ArrowArray a;
    ASSERT_EQ(stream.get_next(&stream, &a), 0);
    if (!a.release) break;
    EXPECT_LE(a.length, 4);
    ArrayPtr batch = import_array(&a, f.type);
    seen += batch->length;
  }
  EXPECT_EQ(seen, rows);
  stream.release(&stream);
}

TEST(BatchReader, ErrorsComeThroughTheStream) {
  const std::string rel = "bad_data/ARROW-GH-41321.parquet";
  FileReader r = FileReader::open(test::corpus_dir() + "/" + rel);
  ArrowArrayStream stream;
  export_stream(r.batches(), &stream);
  ArrowArray a;
  EXPECT_NE(stream.get_next(&stream, &a), 0);
  ASSERT_NE(stream.get_last_error(&stream), nullptr);
  EXPECT_NE(std::string(stream.get_last_error(&stream)).find(rel), std::string::npos);
  stream.release(&stream);
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

TEST(MemoryMap, MappedFilesDecodeInPlaceToTheSameTables) {
  int files = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("data/") || rel.ends_with(".encrypted") || rel.find("large_string") != std::string::npos) continue;
    SCOPED_TRACE(rel);
    const std::string path = test::corpus_dir() + "/" + rel;
    ReadOptions mapped;
    mapped.memory_map = true;
    FileReader a = FileReader::open(path);
    FileReader b = FileReader::open(path, mapped);
    std::string plain, in_place;
    try {
      plain = render(a, a.read_table());
    } catch (const Error& e) {
      // The same kind of failure either way (not the same message: columns decode in parallel
      // and the first of several failures to be reported may differ).
      EXPECT_ERROR(b.read_table(), e.kind());
      continue;
    }
    in_place = render(b, b.read_table());
    EXPECT_EQ(in_place, plain);
    ++files;
  }
  EXPECT_GT(files, 60);
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// 2 GiB of map keys in one row group (4 GiB of memory to read): the stream's schema says
// large_string from the start, as its metadata warns, and the batch matches it.
TEST(BatchReader, AStreamOverTwoGiBOfStringsIsLargeFromTheStart) {
  FileReader r = FileReader::open(test::data_file("large_string_map.brotli.parquet"));
  EXPECT_EQ(r.arrow_schema().fields.at(0).type.to_string(), "map<string, int32>");
  RecordBatchReader batches = r.batches();
  const DataType& type = batches.schema().fields.at(0).type;
  EXPECT_EQ(type.to_string(), "map<large_string, int32>");
  RecordBatch b;
  ASSERT_TRUE(batches.next(b));
  EXPECT_EQ(b.columns.at(0)->type, type);
  EXPECT_EQ(b.num_rows, 2);
  EXPECT_FALSE(batches.next(b));
}
#endif

}  // namespace
}  // namespace parkett

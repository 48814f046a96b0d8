// What Spark users need of a Parquet reader beyond the format (issue 15): strings that
// their writers never annotated, and every column nullable.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "arrays.h"
#include "corpus.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;

// Calls fn on the field and every field below it (list elements, struct fields, map
// entries).
void each_field(const Field& f, const std::function<void(const Field&, bool map_key)>& fn, bool map_key = false) {
  fn(f, map_key);
  const DataType& t = f.type;
  if (t.id() == Id::Map) {
    const Field& entries = t.children()[0];
    each_field(entries.type.children()[0], fn, true);
    each_field(entries.type.children()[1], fn);
    return;
  }
  if (t.id() == Id::List || t.id() == Id::LargeList || t.id() == Id::Struct) {
    for (const Field& c : t.children()) each_field(c, fn);
  }
}

TEST(SparkReadOptions, BinaryAsStringReadsUnannotatedByteArraysAsStrings) {
  // Impala wrote alltypes_plain's string columns as BYTE_ARRAY without an annotation.
  const std::string file = test::data_file("alltypes_plain.parquet");
  const Table binary = read_table(file);
  ReadOptions o;
  o.binary_as_string = true;
  const Table strings = read_table(file, o);
  for (const char* name : {"date_string_col", "string_col"}) {
    const auto c = static_cast<size_t>(binary.schema.field_index(name));
    EXPECT_EQ(binary.schema.fields[c].type.id(), Id::Binary) << name;
    EXPECT_EQ(strings.schema.fields[c].type.id(), Id::String) << name;
  }
  // Same bytes: "03/01/09", "0", ... (the first row's values, written out by hand).
  const auto string_col = static_cast<size_t>(strings.schema.field_index("string_col"));
  const auto date_col = static_cast<size_t>(strings.schema.field_index("date_string_col"));
  const ArrayData& s = *strings.batches[0].columns[string_col];
  const ArrayData& d = *strings.batches[0].columns[date_col];
  auto value = [](const ArrayData& a, int64_t r) {
    const auto* off = a.buffers[1]->as<int32_t>() + a.offset;
    return std::string(reinterpret_cast<const char*>(a.buffers[2]->data()) + off[r], static_cast<size_t>(off[r + 1] - off[r]));
  };
  EXPECT_EQ(value(s, 0), "0");
  EXPECT_EQ(value(s, 1), "1");
  EXPECT_EQ(value(d, 0), "03/01/09");
  // Read as dictionaries: dictionaries of strings.
  o.read_dictionary = {"string_col"};
  EXPECT_EQ(read_table(file, o).schema.fields[string_col].type, DataType::dictionary(DataType(Id::String)));
  // Annotated columns keep their types; binary that says so stays binary only without the
  // option (a file whose ByteArray columns are all annotated reads the same either way).
  const std::string annotated = test::data_file("nonnullable.impala.parquet");
  EXPECT_EQ(read_table(annotated, o).schema.to_string(), read_table(annotated).schema.to_string());
}

TEST(SparkReadOptions, AllNullableMakesEveryFieldButMapKeysNullable) {
  // nonnullable.impala: every field REQUIRED, at every depth (lists, maps, structs).
  const std::string file = test::data_file("nonnullable.impala.parquet");
  const Table as_written = read_table(file);
  // Counted by hand from its schema: ID 1, Int_Array 2, int_array_array 3, Int_Map 3 (map,
  // key, value), int_map_array 4, nested_Struct 16; 3 of them map keys.
  int required = 0;
  for (const Field& f : as_written.schema.fields) each_field(f, [&](const Field& g, bool) { required += !g.nullable; });
  EXPECT_EQ(required, 29);
  ReadOptions o;
  o.all_nullable = true;
  const Table nullable = read_table(file, o);
  int fields = 0;
  for (const Field& f : nullable.schema.fields) {
    each_field(f, [&](const Field& g, bool map_key) {
      ++fields;
      EXPECT_EQ(g.nullable, !map_key) << g.name;
    });
  }
  EXPECT_EQ(fields, 29);
  EXPECT_EQ(test::table_difference(as_written, nullable), "");
}

class SparkLegacyFormat : public test::TempDirTest {};

TEST_F(SparkLegacyFormat, WritesTheOldListMapAndDecimalLayoutsAndReadsThemBack) {
  const Field element = test::field("element", DataType(Id::Int32));
  Schema schema;
  schema.fields = {test::field("tags", DataType::list(test::field("element", DataType(Id::String)))),
                       test::field("ids", DataType::list(test::field("element", DataType(Id::Int64), false))),
                       test::field("pts", DataType::list(test::field("element", DataType::structure({element}), false))),
                       test::field("m", DataType::map(test::field("key", DataType(Id::String), false),
                                                      test::field("value", DataType(Id::Int32)))),
                       test::field("price", DataType::decimal(9, 2))};
  std::mt19937_64 rng(15);
  Table t;
  t.schema = schema;
  RecordBatch b;
  b.schema = schema;
  b.num_rows = 500;
  for (const Field& f : schema.fields) b.columns.push_back(test::random_array(f.type, true, b.num_rows, 0.2, rng));
  t.batches.push_back(b);
  WriteOptions o;
  o.spark_legacy_format = true;
  o.store_arrow_schema = false;  // read back from the Parquet schema alone
  write_table(t, path(), o);
  // The layouts, written out from Spark's ParquetSchemaConverter (writeLegacyParquetFormat):
  // nullable elements in bag/array, required ones repeated directly as `array`.
  EXPECT_EQ(FileReader::open(path()).metadata().schema().to_string(),
            "required group field_id=-1 schema {\n"
            "  optional group field_id=-1 tags (List) {\n"
            "    repeated group field_id=-1 bag {\n"
            "      optional binary field_id=-1 array (String);\n"
            "    }\n"
            "  }\n"
            "  optional group field_id=-1 ids (List) {\n"
            "    repeated int64 field_id=-1 array;\n"
            "  }\n"
            "  optional group field_id=-1 pts (List) {\n"
            "    repeated group field_id=-1 array {\n"
            "      optional int32 field_id=-1 element;\n"
            "    }\n"
            "  }\n"
            "  optional group field_id=-1 m (Map) {\n"
            "    repeated group field_id=-1 map (MAP_KEY_VALUE) {\n"
            "      required binary field_id=-1 key (String);\n"
            "      optional int32 field_id=-1 value;\n"
            "    }\n"
            "  }\n"
            "  optional fixed_len_byte_array(4) field_id=-1 price (Decimal(precision=9, scale=2));\n"
            "}\n");
  EXPECT_EQ(test::table_difference(t, read_table(path())), "");
}

}  // namespace
}  // namespace parkett

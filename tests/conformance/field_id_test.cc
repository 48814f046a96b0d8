// Parquet field ids (issue 15): Arrow field metadata PARQUET:field_id written as the
// schema's field_id and read back, and columns chosen by id instead of by name (Spark's
// parquet.fieldId.read.enabled, Iceberg), in files and across a dataset whose files call
// the same column by different names.
#include <gtest/gtest.h>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "parkett/dataset.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
using test::rows_of;

Field with_id(std::string name, DataType type, int32_t id) {
  Field f = test::field(std::move(name), std::move(type));
  f.metadata.emplace_back("PARQUET:field_id", std::to_string(id));
  return f;
}

ArrayPtr ints(std::vector<int32_t> v) { return test::array_of(DataType(Id::Int32), v); }

ArrayPtr struct_of(const DataType& type, std::vector<ArrayPtr> children) {
  auto a = std::make_shared<ArrayData>();
  a->type = type;
  a->length = children.at(0)->length;
  a->buffers = {nullptr};
  a->children = std::move(children);
  return a;
}

class FieldIds : public test::TempDirTest {
 protected:
  // a (id 1), s (id 2) = struct<c (id 3), d (id 4)>, e (no id).
  std::string write_sample(const std::string& name = "ids.parquet") {
    const DataType s = DataType::structure({with_id("c", DataType(Id::Int32), 3), with_id("d", DataType(Id::Int32), 4)});
    WriteOptions o;
    o.store_arrow_schema = false;  // the ids must come from the Parquet schema alone
    write_table(test::table_of({with_id("a", DataType(Id::Int32), 1), with_id("s", s, 2), test::field("e", DataType(Id::Int32))},
                               {ints({1, 2}), struct_of(s, {ints({30, 31}), ints({40, 41})}), ints({5, 6})}),
                path(name), o);
    return path(name);
  }
};

TEST_F(FieldIds, WrittenIntoTheParquetSchemaAndReadBackAsFieldMetadata) {
  const FileReader reader = FileReader::open(write_sample());
  const ParquetSchema& schema = reader.metadata().schema();
  std::vector<std::pair<std::string, std::optional<int32_t>>> ids;
  for (size_t n = 1; n < schema.nodes().size(); ++n) ids.emplace_back(schema.nodes()[n].name, schema.nodes()[n].field_id);
  EXPECT_EQ(ids, (std::vector<std::pair<std::string, std::optional<int32_t>>>{
                     {"a", 1}, {"s", 2}, {"c", 3}, {"d", 4}, {"e", std::nullopt}}));
  const Schema arrow = reader.arrow_schema();
  EXPECT_EQ(arrow.fields[0].metadata, (std::vector<std::pair<std::string, std::string>>{{"PARQUET:field_id", "1"}}));
  EXPECT_EQ(arrow.fields[1].type.children()[1].metadata,
            (std::vector<std::pair<std::string, std::string>>{{"PARQUET:field_id", "4"}}));
  EXPECT_TRUE(arrow.fields[2].metadata.empty());
}

TEST_F(FieldIds, ColumnsChosenById) {
  const std::string file = write_sample();
  ReadOptions o;
  o.column_ids = {2};
  EXPECT_EQ(rows_of(read_table(file, o)), (std::vector<std::string>{"{30,40}", "{31,41}"}));
  // A struct's field by its own id is read within its struct; columns come in the order
  // asked for, as by name.
  o.column_ids = {4, 1};
  const Table t = read_table(file, o);
  EXPECT_EQ(test::names_of(t.schema), (std::vector<std::string>{"s:struct<d: int32>", "a:int32"}));
  EXPECT_EQ(rows_of(t), (std::vector<std::string>{"{40}|1", "{41}|2"}));
  // With a filter on another column, and as batches.
  o.column_ids = {1};
  o.filter = col("e") == 6;
  EXPECT_EQ(rows_of(read_table(file, o)), (std::vector<std::string>{"2"}));
  ScanOptions scan;
  scan.column_ids = {3};
  RecordBatchReader batches = FileReader::open(file).batches(scan);
  EXPECT_EQ(rows_of(test::drain(batches)), (std::vector<std::string>{"{30}", "{31}"}));
}

TEST_F(FieldIds, MissingDuplicatedOrMixedIdsAreRefused) {
  const std::string file = write_sample();
  ReadOptions o;
  o.column_ids = {9};
  EXPECT_ERROR(read_table(file, o), ErrorKind::NotFound, "no field has field id 9");
  o.column_ids = {1};
  o.columns = {"e"};
  EXPECT_ERROR(read_table(file, o), ErrorKind::InvalidArgument, "by name or by field id, not both");
  // A file without ids (Spark refuses to match such a file by id too).
  write_table(test::table_of({test::field("a", DataType(Id::Int32))}, {ints({1})}), path("plain.parquet"));
  ReadOptions by_id;
  by_id.column_ids = {1};
  EXPECT_ERROR(read_table(path("plain.parquet"), by_id), ErrorKind::NotFound, "has no field ids");
  // Two fields of one id: which was meant cannot be told.
  WriteOptions w;
  w.store_arrow_schema = false;
  write_table(test::table_of({with_id("x", DataType(Id::Int32), 7), with_id("y", DataType(Id::Int32), 7)}, {ints({1}), ints({2})}),
              path("twice.parquet"), w);
  by_id.column_ids = {7};
  EXPECT_ERROR(read_table(path("twice.parquet"), by_id), ErrorKind::InvalidArgument,
               "field id 7 is carried by both 'x' and 'y'");
}

TEST_F(FieldIds, DatasetFilesMatchedByIdWhateverTheyCallTheColumn) {
  // The column of id 1 was renamed from "amount" to "total" between the two files; id 2
  // kept its name.
  WriteOptions w;
  write_table(test::table_of({with_id("amount", DataType(Id::Int32), 1), with_id("k", DataType(Id::Int32), 2)},
                             {ints({10, 20}), ints({1, 2})}),
              file("part-0.parquet"), w);
  write_table(test::table_of({with_id("k", DataType(Id::Int32), 2), with_id("total", DataType(Id::Int32), 1)},
                             {ints({3}), ints({30})}),
              file("part-1.parquet"), w);
  DatasetOptions d;
  d.schema_merge = SchemaMerge::Union;
  const Dataset ds = Dataset::open(dir_.string(), d);
  // By name, the two are different columns, each null where its file lacks it (columns in
  // the dataset's order).
  ScanOptions by_name;
  by_name.columns = {"k", "amount"};
  EXPECT_EQ(rows_of(ds.read_table(by_name)), (std::vector<std::string>{"10|1", "20|2", "null|3"}));
  // By id, one column under the dataset's (first file's) name.
  ScanOptions by_id;
  by_id.column_ids = {2, 1};
  const Table t = ds.read_table(by_id);
  EXPECT_EQ(test::names_of(t.schema), (std::vector<std::string>{"amount:int32", "k:int32"}));
  EXPECT_EQ(rows_of(t), (std::vector<std::string>{"10|1", "20|2", "30|3"}));
  // A filter on the column matched by id reads the right file column.
  by_id.filter = col("amount") >= 20;
  EXPECT_EQ(rows_of(ds.read_table(by_id)), (std::vector<std::string>{"20|2", "30|3"}));
  by_id.filter = {};
  by_id.column_ids = {5};
  EXPECT_ERROR(ds.read_table(by_id), ErrorKind::NotFound, "no field of field id 5");
}

}  // namespace
}  // namespace parkett

// Datasets whose files differ in schema (parkett/dataset.h): fields added, dropped and
// reordered at the top and inside structs and lists, types widened, names in other cases, a
// schema given by the caller; and files that cannot be read. Expected rows are written out
// by hand from the files each test writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "parkett/dataset.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
namespace fs = std::filesystem;
using test::field;
using test::names_of;
using test::rows_of;

ArrayPtr struct_of(std::vector<Field> fields, std::vector<ArrayPtr> children) {
  auto a = std::make_shared<ArrayData>();
  a->type = DataType::structure(std::move(fields));
  a->length = children.at(0)->length;
  a->buffers = {nullptr};
  a->children = std::move(children);
  return a;
}

// A list array of `values` cut at `offsets`.
ArrayPtr list_of(const ArrayPtr& values, const std::vector<int32_t>& offsets) {
  auto a = std::make_shared<ArrayData>();
  a->type = DataType::list(field("element", values->type));
  a->length = static_cast<int64_t>(offsets.size()) - 1;
  a->buffers = {nullptr, test::array_of(DataType(Id::Int32), offsets)->buffers[1]};
  a->children = {values};
  return a;
}

ArrayPtr ints(std::vector<int32_t> v) { return test::array_of(DataType(Id::Int32), v); }
ArrayPtr longs(std::vector<int64_t> v) { return test::array_of(DataType(Id::Int64), v); }

DatasetOptions merging(SchemaMerge how) {
  DatasetOptions o;
  o.schema_merge = how;
  return o;
}

class DatasetSchemaTest : public test::TempDirTest {
 protected:
  std::string root() const { return dir_.string(); }
};

TEST_F(DatasetSchemaTest, UnionMergesStructFieldsByNameRecursively) {
  const Field a = field("a", DataType(Id::Int32)), b = field("b", DataType(Id::String)),
              c = field("c", DataType(Id::Int64));
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("s", DataType::structure({a, b})),
                              field("l", DataType::list(field("element", DataType::structure({a}))))},
                             {ints({1, 2}), struct_of({a, b}, {ints({10, 20}), test::string_array({"x", "y"})}),
                              list_of(struct_of({a}, {ints({5, 6, 7})}), {0, 2, 3})}),
              file("1.parquet"));
  // Fields reordered, one dropped and one added, in the struct and in the list's structs.
  write_table(test::table_of({field("s", DataType::structure({c, b})), field("id", DataType(Id::Int32)),
                              field("l", DataType::list(field("element", DataType::structure({c, a}))))},
                             {struct_of({c, b}, {longs({7}), test::string_array({"z"})}), ints({3}),
                              list_of(struct_of({c, a}, {longs({8, 9}), ints({1, 2})}), {0, 2})}),
              file("2.parquet"));
  const Dataset ds = Dataset::open(root(), merging(SchemaMerge::Union));
  EXPECT_EQ(names_of(ds.schema()),
            (std::vector<std::string>{"id:int32", "s:struct<a: int32, b: string, c: int64>",
                                      "l:list<element: struct<a: int32, c: int64>>"}));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|{10,x,null}|[{5,null},{6,null}]",
                                                                "2|{20,y,null}|[{7,null}]",
                                                                "3|{null,z,7}|[{1,8},{2,9}]"}));
  // A filter on a struct field the files hold in other shapes.
  ScanOptions o;
  o.filter = col("s.b") == "z" || col("s.a") == 10;
  o.columns = {"id"};
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1", "3"}));
  // Dotted names select struct fields: those a file lacks read as nulls there.
  o.filter = {};
  o.columns = {"s.c", "id", "s.b"};
  EXPECT_EQ(names_of(ds.scan(o).schema()), (std::vector<std::string>{"id:int32", "s:struct<b: string, c: int64>"}));
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1|{x,null}", "2|{y,null}", "3|{z,7}"}));
  o.columns = {"s.c"};
  o.filter = col("s.a") == 20 || col("s.c") == 7;  // `s` read whole for the filter, then narrowed
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"{null}", "{7}"}));
  o.columns = {"s.nope"};
  EXPECT_ERROR(ds.read_table(o), ErrorKind::InvalidArgument, "the dataset has no column 's.nope'");
  // Without merging, the second file's struct does not have the first one's fields.
  EXPECT_ERROR(Dataset::open(root()).read_table(), ErrorKind::InvalidArgument,
               "field 's.a' of '" + file("2.parquet") + "' is struct<c: int64, b: string>");
  // A struct field whose types do not widen names the field's path and two files: the
  // one that brought the field's merged type last, and the one that does not fit.
  write_table(test::table_of({field("s", DataType::structure({field("b", DataType(Id::Int32))}))},
                             {struct_of({field("b", DataType(Id::Int32))}, {ints({4})})}),
              file("3.parquet"));
  EXPECT_ERROR(Dataset::open(root(), merging(SchemaMerge::Union)), ErrorKind::InvalidArgument,
               "field 's.b' is string in '" + file("2.parquet") + "' and int32 in '" + file("3.parquet") + "'");
}

TEST_F(DatasetSchemaTest, TimestampsAndNumbersWidenWithoutLoss) {
  const DataType ms = DataType::timestamp(TimeUnit::Milli), us = DataType::timestamp(TimeUnit::Micro);
  write_table(test::table_of({field("t", ms), field("x", DataType(Id::Int32))},
                             {test::array_of(ms, std::vector<int64_t>{1000, -2}), ints({1 << 30, -5})}),
              file("1.parquet"));
  write_table(test::table_of({field("t", us), field("x", DataType(Id::Float64))},
                             {test::array_of(us, std::vector<int64_t>{5}), test::array_of(DataType(Id::Float64), std::vector<double>{0.5})}),
              file("2.parquet"));
  const Dataset ds = Dataset::open(root(), merging(SchemaMerge::Union));
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"t:timestamp[us]", "x:double"}));
  EXPECT_EQ(rows_of(ds.read_table()),
            (std::vector<std::string>{"1000000|1073741824.000000", "-2000|-5.000000", "5|0.500000"}));
  ScanOptions o;
  o.filter = col("x") < 0 || col("x") > 1e9;  // int32 in one file, double in the other
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1000000|1073741824.000000", "-2000|-5.000000"}));
  // Milliseconds past 2262 do not fit nanoseconds: an error naming the column, not wrapped values.
  const DataType ns = DataType::timestamp(TimeUnit::Nano);
  write_table(test::table_of({field("t", ns)}, {test::array_of(ns, std::vector<int64_t>{1})}), file("3.parquet"));
  write_table(test::table_of({field("t", ms)}, {test::array_of(ms, std::vector<int64_t>{int64_t{100000000000000}})}),
              file("4.parquet"));
  DatasetOptions late = merging(SchemaMerge::Union);
  const Dataset wide = Dataset::open(std::vector<std::string>{file("3.parquet"), file("4.parquet")}, late);
  EXPECT_EQ(names_of(wide.schema()), (std::vector<std::string>{"t:timestamp[ns]"}));
  EXPECT_ERROR(wide.read_table(), ErrorKind::InvalidArgument,
               "column 't' of '" + file("4.parquet") + "': the value 100000000000000 of timestamp[ms] does not fit timestamp[ns]");
  // Zones differ: not the same kind of value.
  write_table(test::table_of({field("t", DataType::timestamp(TimeUnit::Micro, "UTC"))},
                             {test::array_of(DataType::timestamp(TimeUnit::Micro, "UTC"), std::vector<int64_t>{1})}),
              file("5.parquet"));
  EXPECT_ERROR(Dataset::open(std::vector<std::string>{file("2.parquet"), file("5.parquet")}, late),
               ErrorKind::InvalidArgument, "field 't' is timestamp[us] in");
}

TEST_F(DatasetSchemaTest, NamesMayMatchIgnoringCase) {
  const Field upper = field("Name", DataType(Id::String)), lower = field("name", DataType(Id::String));
  write_table(test::table_of({field("ID", DataType(Id::Int32)), field("s", DataType::structure({upper}))},
                             {ints({1}), struct_of({upper}, {test::string_array({"a"})})}),
              file("1.parquet"));
  write_table(test::table_of({field("s", DataType::structure({lower})), field("id", DataType(Id::Int64))},
                             {struct_of({lower}, {test::string_array({"b"})}), longs({2})}),
              file("2.parquet"));
  DatasetOptions o = merging(SchemaMerge::Union);
  EXPECT_EQ(names_of(Dataset::open(root(), o).schema()),
            (std::vector<std::string>{"ID:int32", "s:struct<Name: string, name: string>", "id:int64"}));
  o.case_insensitive = true;
  const Dataset ds = Dataset::open(root(), o);
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"ID:int64", "s:struct<Name: string>"}));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|{a}", "2|{b}"}));
  ScanOptions scan;
  scan.filter = col("ID") == 2;  // the second file spells it `id`
  EXPECT_EQ(rows_of(ds.read_table(scan)), (std::vector<std::string>{"2|{b}"}));
  // SchemaMerge::None: the same fields, in any case.
  const Field shout = field("NAME", DataType(Id::String));
  write_table(test::table_of({field("iD", DataType(Id::Int32)), field("S", DataType::structure({shout}))},
                             {ints({3}), struct_of({shout}, {test::string_array({"c"})})}),
              file("3.parquet"));
  DatasetOptions first;
  first.case_insensitive = true;
  const std::vector<std::string> same = {file("1.parquet"), file("3.parquet")};
  EXPECT_EQ(rows_of(Dataset::open(same, first).read_table()), (std::vector<std::string>{"1|{a}", "3|{c}"}));
  first.case_insensitive = false;
  EXPECT_ERROR(Dataset::open(same, first).read_table(), ErrorKind::InvalidArgument, "has the field 'iD'");
}

TEST_F(DatasetSchemaTest, WithoutMergingEveryFileHasEveryColumnOnce) {
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("name", DataType(Id::String))},
                             {ints({1}), test::string_array({"a"})}),
              file("1.parquet"));
  write_table(test::table_of({field("id", DataType(Id::Int32))}, {ints({2})}), file("2.parquet"));
  EXPECT_ERROR(Dataset::open(root()).read_table(), ErrorKind::InvalidArgument,
               "file '" + file("2.parquet") + "' lacks the column 'name' of the dataset");
  EXPECT_EQ(rows_of(Dataset::open(root(), merging(SchemaMerge::Union)).read_table()),
            (std::vector<std::string>{"1|a", "2|null"}));
  // Two columns of one name but for case cannot be matched ignoring case.
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("ID", DataType(Id::Int32))}, {ints({3}), ints({4})}),
              file("3.parquet"));
  DatasetOptions o = merging(SchemaMerge::Union);
  o.case_insensitive = true;
  EXPECT_ERROR(Dataset::open(root(), o), ErrorKind::InvalidArgument,
               "file '" + file("3.parquet") + "' has the fields 'id' and 'ID'");
  o.schema_merge = SchemaMerge::None;  // the first file's footer alone is read at open
  const Dataset ds = Dataset::open(std::vector<std::string>{file("2.parquet"), file("3.parquet")}, o);
  EXPECT_ERROR(ds.read_table(), ErrorKind::InvalidArgument, "has two columns named 'ID' but for case");
}

TEST_F(DatasetSchemaTest, AGivenSchemaReadsEveryFileIntoIt) {
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("name", DataType(Id::String)),
                              field("junk", DataType(Id::Int32))},
                             {ints({1, 2}), test::string_array({"a", "b"}), ints({0, 0})}),
              file("k=1/a.parquet"));
  write_table(test::table_of({field("name", DataType(Id::String)), field("id", DataType(Id::Int64))},
                             {test::string_array({"c"}), longs({int64_t{1} << 40})}),
              file("k=2/b.parquet"));
  std::ofstream(file("k=3/c.parquet")) << "not parquet";
  DatasetOptions o;
  o.schema.fields = {field("id", DataType(Id::Int64)), field("extra", DataType(Id::Float64)),
                     field("name", DataType(Id::String)), field("k", DataType(Id::String))};
  // No footer is read to open it: the broken file is found when a scan reaches it.
  const Dataset ds = Dataset::open(root(), o);
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"id:int64", "extra:double", "name:string", "k:string"}));
  ScanOptions first_two;
  first_two.filter = col("k") != "3";
  EXPECT_EQ(rows_of(ds.read_table(first_two)),
            (std::vector<std::string>{"1|null|a|1", "2|null|b|1", "1099511627776|null|c|2"}));
  EXPECT_ERROR(ds.read_table(), ErrorKind::Corrupt, "k=3/c.parquet");
  // A type the file's does not read as.
  o.schema.fields = {field("name", DataType(Id::Int32))};
  first_two.filter = col("k") == 1;  // an int32 now
  EXPECT_ERROR(Dataset::open(root(), o).read_table(first_two), ErrorKind::InvalidArgument,
               "field 'name' of '" + file("k=1/a.parquet") + "' is string, which does not read as the dataset's int32");
}

TEST_F(DatasetSchemaTest, UnreadableFilesAreSkippedWhenAsked) {
  for (int i : {1, 2, 3}) {
    write_table(test::table_of({field("id", DataType(Id::Int32))}, {ints({i * 10, i * 10 + 1})}),
                file("p" + std::to_string(i) + ".parquet"));
  }
  // The second file cut short; a fourth named that is not there.
  fs::resize_file(file("p2.parquet"), fs::file_size(file("p2.parquet")) - 9);
  const std::vector<std::string> files = {file("p1.parquet"), file("p2.parquet"), file("p3.parquet"),
                                          file("p4.parquet")};
  for (SchemaMerge how : {SchemaMerge::None, SchemaMerge::Union}) {
    DatasetOptions o = merging(how);
    if (how == SchemaMerge::Union) {
      EXPECT_ERROR(Dataset::open(files, o), ErrorKind::Corrupt, "p2.parquet");
    } else {
      EXPECT_ERROR(Dataset::open(files, o).read_table(), ErrorKind::Corrupt, "p2.parquet");
    }
    o.skip_unreadable_files = true;
    const Dataset ds = Dataset::open(files, o);
    // Read at open (Union), they are not fragments; else the scan finds them.
    EXPECT_EQ(ds.fragments().size(), how == SchemaMerge::Union ? 2u : 4u);
    for (int threads : {1, 2}) {
      ScanOptions scan;
      scan.threads = threads;
      RecordBatchReader r = ds.scan(scan);
      EXPECT_EQ(rows_of(test::drain(r)), (std::vector<std::string>{"10", "11", "30", "31"}));
      EXPECT_EQ(r.counts().files_unreadable, how == SchemaMerge::Union ? 0 : 2);
    }
  }
  // A file of another schema is not unreadable: still an error.
  write_table(test::table_of({field("id", DataType(Id::String))}, {test::string_array({"x"})}), file("p5.parquet"));
  DatasetOptions o;
  o.skip_unreadable_files = true;
  EXPECT_ERROR(Dataset::open(std::vector<std::string>{file("p1.parquet"), file("p5.parquet")}, o).read_table(),
               ErrorKind::InvalidArgument, "p5.parquet");
}

TEST_F(DatasetSchemaTest, UnorderedScansKeepEachFilesOrder) {
  std::vector<std::string> all;
  for (int k = 0; k < 10; ++k) {
    std::vector<int32_t> ids;
    for (int i = 0; i < 40 + 13 * (k % 3); ++i) ids.push_back(k * 1000 + i);
    write_table(test::table_of({field("id", DataType(Id::Int32))}, {ints(ids)}),
                file("f" + std::to_string(k) + ".parquet"));
    for (int32_t id : ids) all.push_back(std::to_string(id));
  }
  const Dataset ds = Dataset::open(root());
  ScanOptions o;
  o.batch_size = 8;
  o.threads = 3;
  o.ordered = false;
  std::vector<std::string> got = rows_of(ds.read_table(o));
  // Each file's ids ascend in the order read.
  std::vector<int> last(10, -1);
  for (const std::string& r : got) {
    const int id = std::stoi(r);
    EXPECT_GT(id % 1000, last[static_cast<size_t>(id / 1000)]) << r;
    last[static_cast<size_t>(id / 1000)] = id % 1000;
  }
  std::sort(got.begin(), got.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(got, all);
  // Holding no bytes ahead still reads every file, in order.
  o.ordered = true;
  o.read_ahead_bytes = 0;
  std::vector<std::string> in_order = rows_of(ds.read_table(o));
  EXPECT_TRUE(std::is_sorted(in_order.begin(), in_order.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(a) < std::stoi(b);
  }));
  EXPECT_EQ(in_order.size(), all.size());
  o.read_ahead_bytes = -1;
  EXPECT_ERROR(ds.read_table(o), ErrorKind::InvalidArgument, "read_ahead_bytes");
}

}  // namespace
}  // namespace parkett

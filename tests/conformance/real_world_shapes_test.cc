// Shapes that real writers produce and well-behaved ones do not: groups without leaf columns
// (parquet-go), empty Thrift lists whose element type is 0 (fastparquet 2024.5), TIME values
// outside a day (PostgreSQL-based exporters), and repeated or empty column names. Each file
// is made here: written by parkett, then its footer rewritten as those writers write it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "temp_dir.h"
#include "arrays.h"
#include "convert/jsonl_writer.h"
#include "crafted.h"
#include "expect_error.h"
#include "file/arrow_schema_hint.h"
#include "format/serde.h"
#include "parkett/c_data.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "run_cli.h"
#include "thrift/compact_protocol.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

using Id = DataType::Id;

class RealWorldShapes : public test::TempDirTest {
 protected:
  std::string written(const Table& t, const WriteOptions& options = {}) const {
    write_table(t, path("written.parquet"), options);
    std::ifstream in(path("written.parquet"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string saved(const std::string& bytes, const std::string& name) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
    return path(name);
  }

};

uint32_t footer_length(const std::string& file) {
  uint32_t n;
  std::memcpy(&n, file.data() + file.size() - 8, 4);
  return n;
}

format::FileMetaData footer_of(const std::string& file) {
  const uint32_t n = footer_length(file);
  format::FileMetaData md;
  format::deserialize(reinterpret_cast<const uint8_t*>(file.data()) + file.size() - 8 - n, n, md);
  return md;
}

// `file` with its footer replaced by `footer` (serialized FileMetaData); the data pages stay.
std::string with_footer_bytes(const std::string& file, const std::string& footer) {
  std::string out = file.substr(0, file.size() - 8 - footer_length(file));
  out += footer;
  const auto n = static_cast<uint32_t>(footer.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  return out + "PAR1";
}

std::string with_footer(const std::string& file, const format::FileMetaData& md) {
  std::string footer;
  format::serialize(md, footer);
  return with_footer_bytes(file, footer);
}

// Offsets of the headers of every empty list or set in a compact-encoded struct.
void find_empty_lists(thrift::CompactReader& r, std::vector<size_t>& out) {
  int16_t last = 0;
  while (true) {
    thrift::FieldHeader h = r.read_field_header(last);
    if (h.type == thrift::kStop) return;
    if (h.type == thrift::kStruct) {
      find_empty_lists(r, out);
    } else if (h.type == thrift::kList || h.type == thrift::kSet) {
      const size_t at = r.position();
      thrift::ListHeader l = r.read_list_header();
      if (l.size == 0) out.push_back(at);
      for (uint32_t i = 0; i < l.size; ++i) {
        if (l.elem_type == thrift::kStruct) {
          find_empty_lists(r, out);
        } else if (l.elem_type == thrift::kBoolTrue || l.elem_type == thrift::kBoolFalse) {
          r.read_byte();
        } else {
          r.skip(l.elem_type);
        }
      }
    } else {
      r.skip(h.type);
    }
  }
}

std::string canonical(const FileReader& r) {
  return convert::to_canonical_jsonl(r.metadata().schema(), r.read_table());
}

std::string canonical_rows(const std::string& bytes) {
  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(bytes), {}, "shapes.parquet");
  std::string all = canonical(r);
  return all.substr(all.find('\n') + 1);
}

using CliRun = test::CliResult;
using test::run_cli;

// A struct array of `length` rows over `children`, null where `valid` says.
ArrayPtr struct_array(std::vector<Field> fields, std::vector<ArrayPtr> children, int64_t length,
                      const std::vector<bool>& valid = {}) {
  auto a = std::make_shared<ArrayData>();
  a->type = DataType::structure(std::move(fields));
  a->length = length;
  a->children = std::move(children);
  a->buffers.push_back(nullptr);
  if (!valid.empty()) {
    auto bits = Buffer::allocate((valid.size() + 7) / 8, true);
    for (size_t i = 0; i < valid.size(); ++i) {
      if (valid[i]) bits->data()[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
      else ++a->null_count;
    }
    a->buffers[0] = bits;
  }
  return a;
}

Field field(const std::string& name, DataType type, bool nullable = true) {
  return Field{name, std::move(type), nullable, {}};
}

const DataType kEmptyStruct = DataType::structure({});

// id, nested {inner {}}, s {a, e {}} with s null in row 1: parquet-go's shape.
Table empty_group_table() {
  ArrayPtr id = test::array_of<int32_t>(DataType(Id::Int32), {1, 2, 3});
  ArrayPtr inner = struct_array({}, {}, 3);
  ArrayPtr nested = struct_array({field("inner", kEmptyStruct)}, {inner}, 3);
  ArrayPtr a = test::array_of<int32_t>(DataType(Id::Int32), {10, 0, 30}, {true, false, true});
  ArrayPtr e = struct_array({}, {}, 3, {true, false, true});
  ArrayPtr s = struct_array({field("a", DataType(Id::Int32)), field("e", kEmptyStruct)}, {a, e}, 3,
                            {true, false, true});
  return test::table_of({field("id", DataType(Id::Int32)), field("nested", nested->type),
                         field("s", s->type)},
                        {id, nested, s});
}

const char* const kEmptyGroupRows =
    "{\"id\":1,\"nested\":{\"inner\":{}},\"s\":{\"a\":10,\"e\":{}}}\n"
    "{\"id\":2,\"nested\":{\"inner\":{}},\"s\":null}\n"
    "{\"id\":3,\"nested\":{\"inner\":{}},\"s\":{\"a\":30,\"e\":{}}}\n";

TEST_F(RealWorldShapes, GroupsWithoutLeafColumnsAreStructsOfTheRightLength) {
  const std::string bytes = written(empty_group_table());
  // The footer holds the groups as parquet-go writes them: no type, no children.
  const format::FileMetaData md = footer_of(bytes);
  ASSERT_EQ(md.schema.size(), 7u);  // schema, id, nested, inner, s, a, e
  EXPECT_EQ(md.schema[3].name, "inner");
  EXPECT_EQ(md.schema[3].num_children, 0);
  EXPECT_FALSE(md.schema[3].type.has_value());
  EXPECT_EQ(md.schema[6].name, "e");
  EXPECT_EQ(md.row_groups.at(0).columns.size(), 2u);  // id and s.a only

  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(bytes), {}, "go.parquet");
  EXPECT_EQ(r.metadata().schema().to_arrow().fields.at(1).type.to_string(), "struct<inner: struct<>>");
  Table t = r.read_table();
  const ArrayData& s = *t.batches.at(0).columns.at(2);
  EXPECT_EQ(s.children.at(1)->length, 3);
  EXPECT_EQ(s.children.at(1)->null_count, 1);  // e is null where s is
  EXPECT_EQ(t.batches[0].columns[1]->children.at(0)->length, 3);
  std::string rows = canonical(r);
  EXPECT_EQ(rows.substr(rows.find('\n') + 1), kEmptyGroupRows);

  // Through the C Data Interface and back.
  ArrowSchema c_schema;
  export_schema(t.schema, &c_schema);
  Field as_struct = import_field(&c_schema);
  ArrowArray c_array;
  export_record_batch(t.batches[0], &c_array);
  ArrayPtr back = import_array(&c_array, as_struct.type);
  Table round;
  round.schema.fields = as_struct.type.children();
  RecordBatch b;
  b.schema = round.schema;
  b.num_rows = back->length;
  b.columns = back->children;
  round.batches.push_back(b);
  EXPECT_EQ(test::table_difference(t, round), "");

  // Projections: the empty group alone, and a struct holding one.
  ReadOptions only_nested;
  only_nested.columns = {"nested", "s"};
  Table projected = r.read_table(only_nested);
  EXPECT_EQ(projected.batches.at(0).columns.at(0)->length, 3);
  EXPECT_EQ(projected.schema.fields.at(1).type.to_string(), "struct<a: int32, e: struct<>>");

  // The command line prints what the library reads.
  const std::string file = saved(bytes, "go.parquet");
  CliRun cat = run_cli("cat " + file);
  ASSERT_EQ(cat.code, 0) << cat.out;
  EXPECT_EQ(cat.out.substr(cat.out.find('\n') + 1), kEmptyGroupRows);
  CliRun csv = run_cli("cat --format csv " + file);
  EXPECT_EQ(csv.code, 0) << csv.out;
  EXPECT_NE(csv.out.find("\n2,\"{\"\"inner\"\":{}}\",\n"), std::string::npos) << csv.out;
}

TEST_F(RealWorldShapes, EmptyRootAndColumnlessListsAreHandled) {
  // A schema without any column: the rows exist, the values do not.
  format::FileMetaData md = test::metadata_with_root(0);
  md.num_rows = 4;
  format::RowGroup rg;
  rg.num_rows = 4;
  rg.total_byte_size = 0;
  md.row_groups = {rg};
  const std::string empty = test::with_trailer("PAR1", md);
  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(empty), {}, "empty.parquet");
  Table t = r.read_table();
  EXPECT_TRUE(t.schema.fields.empty());
  ASSERT_EQ(t.batches.size(), 1u);
  EXPECT_EQ(t.batches[0].num_rows, 4);
  CliRun cat = run_cli("cat " + saved(empty, "empty.parquet"));
  EXPECT_EQ(cat.code, 0) << cat.out;
  EXPECT_EQ(cat.out, "{\"columns\":[]}\n{}\n{}\n{}\n{}\n");

  // A list whose element is a group without columns: its lengths are stored nowhere.
  Table ids = test::table_of({field("id", DataType(Id::Int32))},
                             {test::array_of<int32_t>(DataType(Id::Int32), {7, 8})});
  format::FileMetaData with_list = footer_of(written(ids));
  auto group = [](const std::string& name, format::FieldRepetitionType rep, int32_t children) {
    format::SchemaElement e;
    e.name = name;
    e.repetition_type = rep;
    e.num_children = children;
    return e;
  };
  format::SchemaElement list = group("l", format::FieldRepetitionType::OPTIONAL, 1);
  list.converted_type = format::ConvertedType::LIST;
  with_list.schema.push_back(list);
  with_list.schema.push_back(group("list", format::FieldRepetitionType::REPEATED, 1));
  with_list.schema.push_back(group("element", format::FieldRepetitionType::OPTIONAL, 0));
  with_list.schema[0].num_children = 2;
  const std::string listed = with_footer(written(ids), with_list);
  FileReader lr = FileReader::open_buffer(std::make_shared<const std::string>(listed), {}, "list.parquet");
  EXPECT_ERROR(lr.read_table(), ErrorKind::Unsupported, "'l' has no leaf columns");
  ReadOptions just_id;
  just_id.columns = {"id"};
  EXPECT_EQ(lr.read_table(just_id).batches.at(0).num_rows, 2);

  // The writer refuses to make such a list, and says why.
  Schema schema;
  schema.fields = {field("l", DataType::list(field("element", kEmptyStruct)))};
  EXPECT_ERROR(FileWriter::open(path("l.parquet"), schema), ErrorKind::Unsupported, "structs without fields");
  EXPECT_FALSE(fs::exists(path("l.parquet")));
}

TEST_F(RealWorldShapes, EmptyListsOfElementTypeZeroAreRead) {
  Table t = test::table_of({field("id", DataType(Id::Int64)), field("name", DataType(Id::String))},
                           {test::array_of<int64_t>(DataType(Id::Int64), {1, 2, 3}),
                            test::string_array({"a", std::nullopt, "c"})});
  const std::string original = written(t);
  format::FileMetaData md = footer_of(original);
  md.key_value_metadata = std::vector<format::KeyValue>{};
  for (auto& rg : md.row_groups) {
    rg.sorting_columns = std::vector<format::SortingColumn>{};
    for (auto& c : rg.columns) {
      c.meta_data->encoding_stats = std::vector<format::PageEncodingStats>{};
      c.meta_data->key_value_metadata = std::vector<format::KeyValue>{};
    }
  }
  std::string footer;
  format::serialize(md, footer);
  thrift::CompactReader walker(reinterpret_cast<const uint8_t*>(footer.data()), footer.size());
  std::vector<size_t> empty_lists;
  find_empty_lists(walker, empty_lists);
  ASSERT_EQ(empty_lists.size(), 6u);  // key_value_metadata, sorting_columns, 2 x 2 per chunk
  for (size_t at : empty_lists) footer[at] = '\0';  // size 0, element type 0: fastparquet's bytes
  const std::string patched = with_footer_bytes(original, footer);

  const std::string expected = canonical_rows(original);
  EXPECT_EQ(canonical_rows(patched), expected);
  for (bool lazy : {true, false}) {
    ReadOptions o;
    o.footer.lazy = lazy;
    FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(patched), o, "fp.parquet");
    EXPECT_EQ(r.metadata().row_group(0).column(1).encodings().size(),
              FileReader::open_buffer(std::make_shared<const std::string>(original), o)
                  .metadata().row_group(0).column(1).encodings().size());
    std::string all = canonical(r);
    EXPECT_EQ(all.substr(all.find('\n') + 1), expected);
  }
  CliRun meta = run_cli("meta --json " + saved(patched, "fp.parquet"));
  EXPECT_EQ(meta.code, 0) << meta.out;

  // A list that is not empty still needs a valid element type.
  std::string bad = footer;
  const size_t at = empty_lists.front();
  bad[at] = '\x10';  // one element of type 0
  auto bad_file = std::make_shared<const std::string>(with_footer_bytes(original, bad));
  EXPECT_ERROR(FileReader::open_buffer(bad_file, {}, "bad.parquet").read_table(), ErrorKind::Corrupt,
               "unknown list element type 0");
}

TEST_F(RealWorldShapes, AnnotationsThatDoNotFitThePhysicalTypeAreIgnored) {
  // Values of four bytes annotated as eight-byte types (and the reverse) must not be read
  // through the annotation: that would read past the values or cut them.
  Table t = test::table_of({field("i32", DataType(Id::Int32)), field("i64", DataType(Id::Int64)),
                            field("d", DataType(Id::Float64)), field("dec", DataType(Id::Int32))},
                           {test::array_of<int32_t>(DataType(Id::Int32), {1, -2, 3}),
                            test::array_of<int64_t>(DataType(Id::Int64), {int64_t{1} << 40, -5, 6}),
                            test::array_of<double>(DataType(Id::Float64), {1.5, 2.5, -3.5}),
                            test::array_of<int32_t>(DataType(Id::Int32), {7, 8, 9})});
  const std::string original = written(t);
  format::FileMetaData md = footer_of(original);
  format::LogicalType int64_on_int32;
  int64_on_int32.INTEGER = format::IntType{64, true};
  md.schema[1].logicalType = int64_on_int32;
  format::LogicalType time_millis_on_int64;
  time_millis_on_int64.TIME = format::TimeType{false, format::TimeUnit{format::Empty{}, std::nullopt, std::nullopt}};
  md.schema[2].logicalType = time_millis_on_int64;
  format::LogicalType decimal;
  decimal.DECIMAL = format::DecimalType{2, 10};
  md.schema[3].logicalType = decimal;  // on DOUBLE
  decimal.DECIMAL = format::DecimalType{INT32_MAX, 5};  // scale above the precision, on INT32
  md.schema[4].logicalType = decimal;
  const std::string patched = with_footer(original, md);
  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(patched), {}, "mislabelled.parquet");
  EXPECT_EQ(r.arrow_schema().fields.at(0).type.to_string(), "int32");
  EXPECT_EQ(r.arrow_schema().fields.at(1).type.to_string(), "int64");
  EXPECT_EQ(r.arrow_schema().fields.at(2).type.to_string(), "double");
  EXPECT_EQ(r.arrow_schema().fields.at(3).type.to_string(), "int32");
  EXPECT_EQ(canonical_rows(patched), canonical_rows(original));
  // Statistics print as the physical values too.
  CliRun meta = run_cli("meta --json " + saved(patched, "mislabelled.parquet"));
  ASSERT_EQ(meta.code, 0) << meta.out;
  EXPECT_NE(meta.out.find("\"min\":-5,\"max\":1099511627776"), std::string::npos) << meta.out;
}

TEST(LargeOffsets, ArraysDecodedWithLargeOffsetsKeepThem) {
  // A chunk over 2 GiB is decoded with 64-bit offsets (column/to_arrow.cc) although its plan
  // says string: conforming it to the plan must not relabel those offsets as 32-bit ones.
  ArrayPtr large = test::string_array({"a", "bc"}, DataType(Id::LargeString));
  ArrayPtr keys = test::string_array({"k"}, DataType(Id::String));
  const DataType planned = DataType::map(field("key", DataType(Id::String), false), field("value", DataType(Id::String)));
  EXPECT_EQ(file::conform(large, DataType(Id::String))->type.id(), Id::LargeString);
  EXPECT_EQ(file::with_large_offsets(planned, DataType::map(field("key", DataType(Id::LargeString), false),
                                                               field("value", DataType(Id::String))))
                .to_string(),
            "map<large_string, string>");
  // Small offsets still widen when the stored Arrow schema asks for large ones.
  ArrayPtr widened = file::conform(test::string_array({"x", "yz"}), DataType(Id::LargeString));
  ASSERT_EQ(widened->type.id(), Id::LargeString);
  EXPECT_EQ(widened->buffers.at(1)->as<int64_t>()[2], 3);
}

TEST_F(RealWorldShapes, TimesOutsideADayPrintAsSignedElapsedTime) {
  // time32[ms] and time64[us] values as PostgreSQL-based exporters write them.
  ArrayPtr ms = test::array_of<int32_t>(DataType::time(TimeUnit::Milli),
                                        {-13899000, -1, 86400000, 90061001, 45000000});
  ArrayPtr us = test::array_of<int64_t>(DataType::time(TimeUnit::Micro),
                                        {-1, 86400000000, int64_t{200} * 3600 * 1000000, 0, 1});
  Table t = test::table_of({field("t_ms", ms->type), field("t_us", us->type)}, {ms, us});
  const std::string file = saved(written(t), "times.parquet");
  const std::string rows =
      "{\"t_ms\":\"-03:51:39.000000\",\"t_us\":\"-00:00:00.000001\"}\n"
      "{\"t_ms\":\"-00:00:00.001000\",\"t_us\":\"24:00:00.000000\"}\n"
      "{\"t_ms\":\"24:00:00.000000\",\"t_us\":\"200:00:00.000000\"}\n"
      "{\"t_ms\":\"25:01:01.001000\",\"t_us\":\"00:00:00.000000\"}\n"
      "{\"t_ms\":\"12:30:00.000000\",\"t_us\":\"00:00:00.000001\"}\n";
  CliRun cat = run_cli("cat " + file);
  ASSERT_EQ(cat.code, 0) << cat.out;
  EXPECT_EQ(cat.out.substr(cat.out.find('\n') + 1), rows);
  CliRun csv = run_cli("cat --format csv " + file);
  EXPECT_EQ(csv.out, "t_ms,t_us\n-03:51:39.000000,-00:00:00.000001\n-00:00:00.001000,24:00:00.000000\n"
                     "24:00:00.000000,200:00:00.000000\n25:01:01.001000,00:00:00.000000\n"
                     "12:30:00.000000,00:00:00.000001\n");
  // Statistics use the same rendering.
  CliRun meta = run_cli("meta --json " + file);
  EXPECT_NE(meta.out.find("\"min\":\"-03:51:39.000000\""), std::string::npos) << meta.out;
  EXPECT_NE(meta.out.find("\"max\":\"200:00:00.000000\""), std::string::npos) << meta.out;
}

TEST_F(RealWorldShapes, RepeatedAndEmptyNamesAreDistinctInTextOutput) {
  ArrayPtr a = test::array_of<int32_t>(DataType(Id::Int32), {1});
  ArrayPtr b = test::array_of<int32_t>(DataType(Id::Int32), {2});
  ArrayPtr c = test::array_of<int32_t>(DataType(Id::Int32), {3});
  ArrayPtr d = test::array_of<int32_t>(DataType(Id::Int32), {4});
  ArrayPtr e = test::array_of<int32_t>(DataType(Id::Int32), {5});
  ArrayPtr x = test::array_of<int32_t>(DataType(Id::Int32), {6});
  ArrayPtr y = test::array_of<int32_t>(DataType(Id::Int32), {7});
  ArrayPtr inner = struct_array({field("x", x->type), field("X", y->type)}, {x, y}, 1);
  Table t = test::table_of({field("column", a->type), field("COLUMN", b->type), field("Column", c->type),
                            field("", d->type), field("column_1", e->type), field("s", inner->type)},
                           {a, b, c, d, e, inner});
  const std::string file = saved(written(t), "names.parquet");
  // The library keeps the real names.
  FileReader r = FileReader::open(file);
  EXPECT_EQ(r.metadata().schema().node(r.metadata().schema().root().children[1]).name, "COLUMN");
  EXPECT_EQ(r.read_table().schema.fields.at(3).name, "");
  CliRun cat = run_cli("cat " + file);
  ASSERT_EQ(cat.code, 0) << cat.out;
  EXPECT_EQ(cat.out.substr(cat.out.find('\n') + 1),
            "{\"column\":1,\"COLUMN_2\":2,\"Column_3\":3,\"C4\":4,\"column_1\":5,\"s\":{\"x\":6,\"X_1\":7}}\n");
  EXPECT_NE(cat.out.find("{\"name\":\"COLUMN_2\",\"type\":\"int32\"}"), std::string::npos) << cat.out;
  CliRun csv = run_cli("cat --format csv " + file);
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "column,COLUMN_2,Column_3,C4,column_1,s");
  CliRun jsonl = run_cli("convert " + file + " " + path("names.jsonl"));
  ASSERT_EQ(jsonl.code, 0) << jsonl.out;
  std::ifstream in(path("names.jsonl"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "{\"column\":1,\"COLUMN_2\":2,\"Column_3\":3,\"C4\":4,\"column_1\":5,\"s\":{\"x\":6,\"X_1\":7}}");
}

}  // namespace
}  // namespace parkett

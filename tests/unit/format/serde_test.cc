#include "format/serde.h"

#include <gtest/gtest.h>

#include "expect_error.h"
#include "parkett/error.h"

namespace parkett::format {
namespace {

template <class T>
T round_trip(const T& in, std::string* bytes_out = nullptr) {
  std::string bytes;
  serialize(in, bytes);
  T out;
  DecodeInfo info = deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out);
  EXPECT_EQ(info.bytes_read, bytes.size());
  EXPECT_EQ(info.unknown_fields, 0);
  if (bytes_out) *bytes_out = bytes;
  return out;
}

TEST(Serde, PageHeaderWithEveryKindOfField) {
  PageHeader h;
  h.type = PageType::DATA_PAGE_V2;
  h.uncompressed_page_size = 1234;
  h.compressed_page_size = 567;
  h.crc = -12345;
  DataPageHeaderV2 v2;
  v2.num_values = 10;
  v2.num_nulls = 2;
  v2.num_rows = 10;
  v2.encoding = Encoding::DELTA_BINARY_PACKED;
  v2.definition_levels_byte_length = 3;
  v2.repetition_levels_byte_length = 0;
  v2.is_compressed = false;
  Statistics s;
  s.min_value = std::string("\x00\x01", 2);
  s.max_value = "zz";
  s.null_count = 2;
  s.is_max_value_exact = true;
  s.nan_count = 0;
  v2.statistics = s;
  h.data_page_header_v2 = v2;
  EXPECT_EQ(round_trip(h), h);
}

TEST(Serde, FileMetaDataWithUnionsListsAndBools) {
  FileMetaData md;
  md.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.name = "ts";
  leaf.type = Type::INT64;
  leaf.repetition_type = FieldRepetitionType::OPTIONAL;
  LogicalType lt;
  lt.TIMESTAMP = TimestampType{true, TimeUnit{std::nullopt, std::nullopt, Empty{}}};
  leaf.logicalType = lt;
  md.schema = {root, leaf};
  md.num_rows = 3;
  RowGroup rg;
  ColumnChunk cc;
  ColumnMetaData cmd;
  cmd.type = Type::INT64;
  cmd.encodings = {Encoding::PLAIN, Encoding::RLE};
  cmd.path_in_schema = {"ts"};
  cmd.codec = CompressionCodec::ZSTD;
  cmd.num_values = 3;
  cmd.data_page_offset = 4;
  cmd.encoding_stats = std::vector<PageEncodingStats>{{PageType::DATA_PAGE, Encoding::PLAIN, 1}};
  cc.meta_data = cmd;
  rg.columns = {cc};
  rg.num_rows = 3;
  rg.ordinal = 0;
  rg.sorting_columns = std::vector<SortingColumn>{{0, true, false}};
  md.row_groups = {rg};
  md.column_orders = std::vector<ColumnOrder>{ColumnOrder{Empty{}, std::nullopt, std::nullopt}};
  md.created_by = "parkett test";
  EXPECT_EQ(round_trip(md), md);
}

TEST(Serde, ColumnIndexBoolListRoundTrips) {
  ColumnIndex ci;
  ci.null_pages = {true, false, true};
  ci.min_values = {"", "a", ""};
  ci.max_values = {"", "z", ""};
  ci.boundary_order = BoundaryOrder::ASCENDING;
  ci.null_counts = std::vector<int64_t>{5, 0, 7};
  std::string bytes;
  EXPECT_EQ(round_trip(ci, &bytes), ci);
}

TEST(Serde, MissingRequiredFieldIsCorruptAndNamed) {
  // KeyValue without its required key: just a stop byte.
  std::string bytes(1, '\0');
  ColumnMetaData out;
  try {
    deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_NE(std::string(e.what()).find("ColumnMetaData is missing required field 'type'"),
              std::string::npos)
        << e.what();
  }
}

TEST(Serde, UnknownFieldsAreSkippedAndCounted) {
  KeyValue kv;
  kv.key = "k";
  std::string bytes;
  serialize(kv, bytes);
  bytes.pop_back();  // drop the stop byte, append two fields this version does not know
  bytes += std::string("\x78\x03xyz", 5);  // field 8 (delta 7), binary "xyz"
  bytes += std::string("\x1c\x15\x02\x00", 4);  // field 9, struct {1: i32 1}
  bytes.push_back('\0');
  KeyValue out;
  DecodeInfo info = deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out);
  EXPECT_EQ(out.key, "k");
  EXPECT_EQ(info.unknown_fields, 2);
  EXPECT_EQ(info.bytes_read, bytes.size());
}

TEST(Serde, WrongWireTypeForKnownIdIsSkipped) {
  // SortingColumn where field 1 arrives as a binary: skipped, so the required field is missing.
  std::string bytes("\x18\x01x\x21\x31\x00", 6);
  SortingColumn out;
  EXPECT_ERROR(deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out),
               ErrorKind::Corrupt, "SortingColumn is missing required field 'column_idx'");
}

}  // namespace
}  // namespace parkett::format

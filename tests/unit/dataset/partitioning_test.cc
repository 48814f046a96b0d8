// Partition values from paths (dataset/partitioning.h): decoding, type inference, errors.
#include <gtest/gtest.h>

#include "dataset/partitioning.h"
#include "expect_error.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

PartitionValues hive(const std::vector<std::vector<std::string>>& segments) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < segments.size(); ++i) paths.push_back("file" + std::to_string(i));
  Partitioning p;
  p.kind = Partitioning::Kind::Hive;
  return partition_files(segments, paths, p);
}

DataType type_of(const std::vector<std::string>& values) {
  std::vector<std::vector<std::string>> segments;
  for (const auto& v : values) segments.push_back({"k=" + v});
  return hive(segments).schema.fields.at(0).type;
}

TEST(Partitioning, UrlDecoding) {
  EXPECT_EQ(url_decode("a%2Fb%3Dc%25d%20e"), "a/b=c%d e");
  EXPECT_EQ(url_decode("%C3%BC"), "\xc3\xbc");
  EXPECT_EQ(url_decode("100%"), "100%");    // a lone % stays
  EXPECT_EQ(url_decode("%zz%4"), "%zz%4");  // so do escapes that are not two hex digits
}

TEST(Partitioning, TypesAreTheNarrowestEveryValueReadsAs) {
  EXPECT_EQ(type_of({"1", "-7", "2147483647"}).id(), Id::Int32);
  EXPECT_EQ(type_of({"1", "2147483648"}).id(), Id::Int64);
  EXPECT_EQ(type_of({"1", "2.5", "-1e3"}).id(), Id::Float64);
  // Whole numbers beyond int64: decimal(digits, 0) up to 38 digits, as Spark infers them.
  const DataType big = type_of({"1", "-12345678901234567890"});
  EXPECT_EQ(big.id(), Id::Decimal128);
  EXPECT_EQ(big.precision(), 20);
  EXPECT_EQ(big.scale(), 0);
  EXPECT_EQ(type_of({std::string(38, '9')}).precision(), 38);
  EXPECT_EQ(type_of({std::string(39, '9')}).id(), Id::Float64);
  EXPECT_EQ(type_of({"1.5", "99999999999999999999"}).id(), Id::Float64);
  EXPECT_EQ(type_of({"2024-01-02", "1999-12-31"}).id(), Id::Date32);
  EXPECT_EQ(type_of({"2024-01-02", "2024-01-02 10:00:00"}).id(), Id::Timestamp);
  EXPECT_EQ(type_of({"2024-02-30"}).id(), Id::String);  // no such day
  EXPECT_EQ(type_of({"1", "x"}).id(), Id::String);
  EXPECT_EQ(type_of({"nan", "inf"}).id(), Id::String);
  EXPECT_EQ(type_of({""}).id(), Id::String);  // `k=` is the empty string
  EXPECT_EQ(type_of({"2024-01-02 10:00:00+01:00"}).id(), Id::String);  // a zone: not a local time
  // Nulls do not count: a column of nulls only is a string column.
  EXPECT_EQ(type_of({"__HIVE_DEFAULT_PARTITION__", "5"}).id(), Id::Int32);
  EXPECT_EQ(type_of({"__HIVE_DEFAULT_PARTITION__"}).id(), Id::String);
}

TEST(Partitioning, ValuesAreDecodedAndHiveDefaultsAreNull) {
  const PartitionValues v = hive({{"a=x%2Fy", "b=__HIVE_DEFAULT_PARTITION__"}, {"a=", "b=3"}, {"data", "a=NULL", "b=4"}});
  ASSERT_EQ(v.values.size(), 3u);
  EXPECT_EQ(v.values[0][0], std::optional<std::string>("x/y"));
  EXPECT_EQ(v.values[0][1], std::nullopt);
  EXPECT_EQ(v.values[1][0], std::optional<std::string>(""));
  EXPECT_EQ(v.values[2][0], std::optional<std::string>("NULL"));  // a value, not a null
  EXPECT_EQ(v.schema.fields.at(1).type.id(), Id::Int32);
}

TEST(Partitioning, PathsThatDisagreeAreRefused) {
  EXPECT_ERROR(hive({{"a=1", "b=2"}, {"a=1"}}), ErrorKind::InvalidArgument,
               "paths 'file0' and 'file1' disagree on the partition columns (a, b against a)");
  EXPECT_ERROR(hive({{"a=1", "a=2"}}), ErrorKind::InvalidArgument, "names the partition column 'a' twice");
}

TEST(Partitioning, ConstantArrays) {
  const ArrayPtr s = constant_array(DataType(Id::String), std::string("ab"), 3);
  EXPECT_EQ(s->length, 3);
  EXPECT_EQ(s->null_count, 0);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(s->buffers[2]->data()), 6), "ababab");
  EXPECT_EQ(s->buffers[1]->as<int32_t>()[3], 6);
  const ArrayPtr n = constant_array(DataType(Id::Int64), std::nullopt, 2);
  EXPECT_EQ(n->null_count, 2);
  EXPECT_FALSE(n->is_valid(0));
  const ArrayPtr d = constant_array(DataType(Id::Date32), std::string("1970-01-03"), 1);
  EXPECT_EQ(d->buffers[1]->as<int32_t>()[0], 2);
  // Decimals: 16 little-endian bytes of the unscaled value at the type's scale.
  const ArrayPtr m = constant_array(DataType::decimal(20, 2), std::string("-1.5"), 1);
  EXPECT_EQ(m->buffers[1]->as<int64_t>()[0], -150);
  EXPECT_EQ(m->buffers[1]->as<int64_t>()[1], -1);
}

}  // namespace
}  // namespace parkett::dataset

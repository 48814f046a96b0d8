// Spark's calendar rebasing through whole files (issue 15): which calendar a file holds is
// decided by its Spark keys as Spark 3 decides it, values are rebased, checked or taken as
// they are, and the writer stores hybrid-calendar values with the keys Spark reads.
//
// Every number below was worked out by hand (the Julian Day Number of the civil date in
// each calendar, minus 2440588 for the Unix epoch), as in Spark's RebaseDateTimeSuite:
//   civil date    proleptic Gregorian day   hybrid (Julian before 1582-10-15) day
//   0001-01-01    -719162                   -719164
//   1000-03-01    -354226                   -354220
//   1582-10-04    -141438                   -141428
//   1582-10-15    -141427                   -141427
//   2020-01-01     18262                     18262
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "arrays.h"
#include "expect_error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;

using test::array_of;
using test::field;
using test::table_of;

class CalendarRebaseFiles : public test::TempDirTest {
 protected:
  // A file of one column `name` holding `values` exactly as given, with Spark's keys as
  // `keys` (what Spark 2.x or 3.x would have written), and no rebasing by the writer.
  template <class T>
  std::string stored(const std::string& file, const DataType& type, const std::vector<T>& values,
                     std::vector<std::pair<std::string, std::string>> keys, bool int96 = false) {
    WriteOptions o;
    o.key_value_metadata = std::move(keys);
    o.int96_timestamps = int96;
    o.store_arrow_schema = false;
    write_table(table_of({field("v", type)}, {array_of(type, values)}), path(file), o);
    return path(file);
  }

  template <class T>
  static std::vector<T> column_values(const Table& t) {
    std::vector<T> out;
    for (const RecordBatch& b : t.batches) {
      const ArrayData& a = *b.columns.at(0);
      for (int64_t i = 0; i < a.length; ++i) out.push_back(a.buffers[1]->as<T>()[a.offset + i]);
    }
    return out;
  }
};

const std::vector<int32_t> kHybridDays = {-719164, -354220, -141428, -141427, 18262};
const std::vector<int32_t> kGregorianDays = {-719162, -354226, -141438, -141427, 18262};

TEST_F(CalendarRebaseFiles, SparkTwoFilesAreRebasedFromTheHybridCalendar) {
  // Spark 2.4.5 wrote the version but no legacy key: a version before 3.0.0 means hybrid.
  const std::string file = stored("spark245.parquet", DataType(DataType::Id::Date32), kHybridDays,
                                  {{"org.apache.spark.version", "2.4.5"}});
  EXPECT_EQ(column_values<int32_t>(read_table(file)), kGregorianDays);
  // The file decides: the modes for files that do not say are not consulted.
  ReadOptions exception;
  exception.datetime_rebase = CalendarRebase::Exception;
  EXPECT_EQ(column_values<int32_t>(read_table(file, exception)), kGregorianDays);
}

TEST_F(CalendarRebaseFiles, LegacyKeyMarksAHybridFileOfSparkThree) {
  const std::string legacy = stored("legacy.parquet", DataType(DataType::Id::Date32), kHybridDays,
                                    {{"org.apache.spark.version", "3.2.1"}, {"org.apache.spark.legacyDateTime", ""}});
  EXPECT_EQ(column_values<int32_t>(read_table(legacy)), kGregorianDays);
  // Spark 3 without the key wrote proleptic values: taken as they are, whatever the options.
  const std::string corrected = stored("corrected.parquet", DataType(DataType::Id::Date32), kGregorianDays,
                                       {{"org.apache.spark.version", "3.0.0"}});
  ReadOptions exception;
  exception.datetime_rebase = CalendarRebase::Exception;
  EXPECT_EQ(column_values<int32_t>(read_table(corrected, exception)), kGregorianDays);
}

TEST_F(CalendarRebaseFiles, FilesThatDoNotSayFollowTheOptions) {
  const std::string file = stored("plain.parquet", DataType(DataType::Id::Date32), kHybridDays, {});
  EXPECT_EQ(column_values<int32_t>(read_table(file)), kHybridDays);  // Corrected: as stored
  ReadOptions legacy;
  legacy.datetime_rebase = CalendarRebase::Legacy;
  EXPECT_EQ(column_values<int32_t>(read_table(file, legacy)), kGregorianDays);
  ReadOptions exception;
  exception.datetime_rebase = CalendarRebase::Exception;
  EXPECT_ERROR(read_table(file, exception), ErrorKind::InvalidArgument, "the date stored as day -719164 (0000-12-30 in the proleptic Gregorian calendar, 0001-01-01 in the hybrid one) lies before 1582-10-15");
  try {
    read_table(file, exception);
  } catch (const Error& e) {
    EXPECT_EQ(e.context().column, "v");
    EXPECT_EQ(e.context().row_group, 0);
    EXPECT_NE(std::string(e.what()).find("datetime_rebase = LEGACY"), std::string::npos) << e.what();
  }
  // The first day both calendars share passes, the day before does not (Spark's bounds).
  const std::string edge = stored("edge.parquet", DataType(DataType::Id::Date32), std::vector<int32_t>{-141427, 18262}, {});
  EXPECT_EQ(column_values<int32_t>(read_table(edge, exception)), (std::vector<int32_t>{-141427, 18262}));
  const std::string before = stored("before.parquet", DataType(DataType::Id::Date32), std::vector<int32_t>{18262, -141428}, {});
  EXPECT_ERROR(read_table(before, exception), ErrorKind::InvalidArgument, "1582-10-14 in the proleptic Gregorian calendar, 1582-10-04 in the hybrid one");
  // The INT96 mode is separate: dates are not checked by it.
  ReadOptions int96_only;
  int96_only.int96_rebase = CalendarRebase::Exception;
  EXPECT_EQ(column_values<int32_t>(read_table(file, int96_only)), kHybridDays);
}

TEST_F(CalendarRebaseFiles, TimestampsKeepTheirTimeOfDay) {
  // 1582-01-01T00:00:00.123456Z: proleptic -12244089599876544 us; in the hybrid calendar the
  // same civil time is 10 days later on the count, -12243225599876544.
  const std::vector<int64_t> hybrid = {-12243225599876544, -2208988800000000, 1577836800000000};
  const std::vector<int64_t> gregorian = {-12244089599876544, -2208988800000000, 1577836800000000};
  const std::string micros = stored("micros.parquet", DataType::timestamp(TimeUnit::Micro, "UTC"), hybrid,
                                    {{"org.apache.spark.version", "2.4.8"}});
  EXPECT_EQ(column_values<int64_t>(read_table(micros)), gregorian);
  // Milliseconds: the same days, the sub-millisecond part gone.
  const std::vector<int64_t> hybrid_ms = {-12243225599877, 0};
  const std::string millis = stored("millis.parquet", DataType::timestamp(TimeUnit::Milli, "UTC"), hybrid_ms,
                                    {{"org.apache.spark.version", "2.4.8"}});
  EXPECT_EQ(column_values<int64_t>(read_table(millis)), (std::vector<int64_t>{-12244089599877, 0}));
  // Timestamps without a zone (isAdjustedToUTC = false) are never rebased: Spark never wrote
  // them in the hybrid calendar.
  const std::string local = stored("local.parquet", DataType::timestamp(TimeUnit::Micro), hybrid,
                                   {{"org.apache.spark.version", "2.4.8"}});
  EXPECT_EQ(column_values<int64_t>(read_table(local)), hybrid);
  // Exception refuses every timestamp before 1900-01-01T00:00:00Z, in UTC too, where the
  // calendars already agree: the bound is Spark's, the latest switch of any zone.
  const std::string plain = stored("plain.parquet", DataType::timestamp(TimeUnit::Micro, "UTC"),
                                   std::vector<int64_t>{-2208988800000000, -2208988800000001}, {});
  ReadOptions exception;
  exception.datetime_rebase = CalendarRebase::Exception;
  EXPECT_ERROR(read_table(plain, exception), ErrorKind::InvalidArgument,
               "the timestamp 1899-12-31T23:59:59.999999Z lies before 1900-01-01T00:00:00Z");
}

TEST_F(CalendarRebaseFiles, Int96FollowsItsOwnKeyAndVersion) {
  // 1000-01-01T00:00:00Z is -30610224000000000 us proleptic; Spark 2.x stored the hybrid
  // count, 5 days later: -30609792000000000 (INT96 Julian day 2086308 instead of 2086303).
  const std::vector<int64_t> hybrid = {-30609792000000000, 1577836800000000};
  const std::vector<int64_t> gregorian = {-30610224000000000, 1577836800000000};
  ReadOptions micro;
  micro.int96_unit = TimeUnit::Micro;
  // Spark 3.0.x rebased INT96 without a key: a version before 3.1.0 means hybrid INT96
  // while its dates are proleptic.
  const std::string spark30 = stored("spark30.parquet", DataType::timestamp(TimeUnit::Micro), hybrid,
                                     {{"org.apache.spark.version", "3.0.3"}}, true);
  EXPECT_EQ(column_values<int64_t>(read_table(spark30, micro)), gregorian);
  const std::string spark31 = stored("spark31.parquet", DataType::timestamp(TimeUnit::Micro), hybrid,
                                     {{"org.apache.spark.version", "3.1.1"}}, true);
  EXPECT_EQ(column_values<int64_t>(read_table(spark31, micro)), hybrid);
  const std::string flagged = stored("flagged.parquet", DataType::timestamp(TimeUnit::Micro), hybrid,
                                     {{"org.apache.spark.version", "3.3.0"}, {"org.apache.spark.legacyINT96", ""}}, true);
  EXPECT_EQ(column_values<int64_t>(read_table(flagged, micro)), gregorian);
  // In nanoseconds (the default unit) the same values, times 1000.
  EXPECT_EQ(column_values<int64_t>(read_table(flagged))[1], gregorian[1] * 1000);
  // The INT96 mode for files that do not say; the date mode does not touch INT96.
  const std::string plain = stored("plain.parquet", DataType::timestamp(TimeUnit::Micro), hybrid, {}, true);
  ReadOptions legacy = micro;
  legacy.int96_rebase = CalendarRebase::Legacy;
  EXPECT_EQ(column_values<int64_t>(read_table(plain, legacy)), gregorian);
  ReadOptions dates_only = micro;
  dates_only.datetime_rebase = CalendarRebase::Legacy;
  EXPECT_EQ(column_values<int64_t>(read_table(plain, dates_only)), hybrid);
  ReadOptions exception = micro;
  exception.int96_rebase = CalendarRebase::Exception;
  EXPECT_ERROR(read_table(plain, exception), ErrorKind::InvalidArgument, "int96_rebase = LEGACY");
}

TEST_F(CalendarRebaseFiles, OnlyUtcRebasingOfTimestampsBefore1900) {
  // Spark 3.2.1+ names the zone it rebased timestamps in. Other zones' tables differ from
  // UTC's before 1900 by their local mean time: refused rather than read a few minutes off.
  const std::string file = stored("la.parquet", DataType::timestamp(TimeUnit::Micro, "UTC"),
                                  std::vector<int64_t>{1577836800000000, -12243225599876544},
                                  {{"org.apache.spark.version", "3.3.0"},
                                   {"org.apache.spark.legacyDateTime", ""},
                                   {"org.apache.spark.timeZone", "America/Los_Angeles"}});
  EXPECT_ERROR(read_table(file), ErrorKind::Unsupported, "America/Los_Angeles");
  // Timestamps from 1900 on are the same in every zone's tables, and dates have no zone.
  const std::string recent = stored("recent.parquet", DataType::timestamp(TimeUnit::Micro, "UTC"),
                                    std::vector<int64_t>{1577836800000000, -2208988800000000},
                                    {{"org.apache.spark.version", "3.3.0"},
                                     {"org.apache.spark.legacyDateTime", ""},
                                     {"org.apache.spark.timeZone", "America/Los_Angeles"}});
  EXPECT_EQ(column_values<int64_t>(read_table(recent)), (std::vector<int64_t>{1577836800000000, -2208988800000000}));
  const std::string dates = stored("dates.parquet", DataType(DataType::Id::Date32), kHybridDays,
                                   {{"org.apache.spark.version", "3.3.0"},
                                    {"org.apache.spark.legacyDateTime", ""},
                                    {"org.apache.spark.timeZone", "America/Los_Angeles"}});
  EXPECT_EQ(column_values<int32_t>(read_table(dates)), kGregorianDays);
  // "Etc/UTC" is UTC.
  const std::string utc = stored("utc.parquet", DataType::timestamp(TimeUnit::Micro, "UTC"),
                                 std::vector<int64_t>{-12243225599876544},
                                 {{"org.apache.spark.version", "3.3.0"},
                                  {"org.apache.spark.legacyDateTime", ""},
                                  {"org.apache.spark.timeZone", "Etc/UTC"}});
  EXPECT_EQ(column_values<int64_t>(read_table(utc)), (std::vector<int64_t>{-12244089599876544}));
}

TEST_F(CalendarRebaseFiles, StatisticsOfRebasedColumnsDoNotPrune) {
  // Stored hybrid values: the chunk's statistics say [-719164, 18262]. Proleptic 0001-01-01
  // (-719162) lies inside; proleptic 1000-03-01 (-354226) too, but the value stored for it
  // is -354220: a filter judged by the stored bounds or bloom filter would be wrong.
  WriteOptions o;
  o.key_value_metadata = {{"org.apache.spark.version", "2.4.0"}};
  o.bloom_filter = BloomFilterOptions{};
  write_table(table_of({field("v", DataType(DataType::Id::Date32))}, {array_of(DataType(DataType::Id::Date32), kHybridDays)}),
              path(), o);
  const FileReader reader = FileReader::open(path());
  const auto st = reader.metadata().row_group(0).column(0).statistics();
  ASSERT_TRUE(st && st->has_min_max());
  EXPECT_EQ(std::get<int32_t>(st->min()), -719164);  // the file's calendar
  ReadOptions filter;
  filter.filter = col("v") == Literal::date(-354226);
  EXPECT_EQ(column_values<int32_t>(read_table(path(), filter)), (std::vector<int32_t>{-354226}));
  filter.filter = col("v") < Literal::date(-719163);
  EXPECT_EQ(column_values<int32_t>(read_table(path(), filter)), (std::vector<int32_t>{}));
  filter.filter = col("v") <= Literal::date(-719162);
  EXPECT_EQ(column_values<int32_t>(read_table(path(), filter)), (std::vector<int32_t>{-719162}));
}

TEST_F(CalendarRebaseFiles, LegacyWritesStoreTheHybridCalendarWithSparksKeys) {
  WriteOptions o;
  o.datetime_rebase = CalendarRebase::Legacy;
  const Table dates = table_of({field("d", DataType(DataType::Id::Date32))}, {array_of(DataType(DataType::Id::Date32), kGregorianDays)});
  write_table(dates, path("dates.parquet"), o);
  {
    const FileReader reader = FileReader::open(path("dates.parquet"));
    const auto st = reader.metadata().row_group(0).column(0).statistics();
    ASSERT_TRUE(st && st->has_min_max());
    // The stored bounds are hybrid day counts (Gregorian 1582-10-05..14 would all become
    // 1582-10-15; none is here).
    EXPECT_EQ(std::get<int32_t>(st->min()), -719164);
    const KeyValueMetadata& kv = reader.metadata().key_value_metadata();
    auto value_of = [&kv](const std::string& key) -> std::optional<std::string> {
      for (const auto& [k, v] : kv) {
        if (k == key) return v.value_or("");
      }
      return std::nullopt;
    };
    EXPECT_EQ(value_of("org.apache.spark.version"), "3.5.0");
    EXPECT_EQ(value_of("org.apache.spark.legacyDateTime"), "");
    EXPECT_EQ(value_of("org.apache.spark.timeZone"), "UTC");
    EXPECT_EQ(value_of("org.apache.spark.legacyINT96"), std::nullopt);
  }
  // Read back as Spark 3 reads it: rebased by its keys, equal to what was written.
  EXPECT_EQ(column_values<int32_t>(read_table(path("dates.parquet"))), kGregorianDays);
  // 1582-01-01T00:00:00.123456Z, UTC-adjusted (rebased) and local (never rebased).
  const Table two = table_of({field("ts", DataType::timestamp(TimeUnit::Micro, "UTC")), field("local", DataType::timestamp(TimeUnit::Micro))},
                             {array_of(DataType::timestamp(TimeUnit::Micro, "UTC"), std::vector<int64_t>{-12244089599876544, 0}),
                              array_of(DataType::timestamp(TimeUnit::Micro), std::vector<int64_t>{-12244089599876544, 0})});
  write_table(two, path("ts.parquet"), o);
  {
    const FileReader reader = FileReader::open(path("ts.parquet"));
    EXPECT_EQ(std::get<int64_t>(reader.metadata().row_group(0).column(0).statistics()->min()), -12243225599876544);
    EXPECT_EQ(std::get<int64_t>(reader.metadata().row_group(0).column(1).statistics()->min()), -12244089599876544);
  }
  const Table back = read_table(path("ts.parquet"));
  EXPECT_EQ(test::table_difference(two, back), "");
  // The ten Gregorian days the hybrid calendar lacks all become 1582-10-15.
  write_table(table_of({field("d", DataType(DataType::Id::Date32))},
                       {array_of(DataType(DataType::Id::Date32), std::vector<int32_t>{-141437, -141428})}),
              path("gap.parquet"), o);
  const FileReader gap = FileReader::open(path("gap.parquet"));
  EXPECT_EQ(std::get<int32_t>(gap.metadata().row_group(0).column(0).statistics()->min()), -141427);
  EXPECT_EQ(std::get<int32_t>(gap.metadata().row_group(0).column(0).statistics()->max()), -141427);
}

TEST_F(CalendarRebaseFiles, Int96LegacyWrites) {
  WriteOptions o;
  o.int96_timestamps = true;
  o.int96_rebase = CalendarRebase::Legacy;
  o.compression.codec = Compression::Uncompressed;
  const Table t = table_of({field("ts", DataType::timestamp(TimeUnit::Micro))},
                           {array_of(DataType::timestamp(TimeUnit::Micro), std::vector<int64_t>{-30610224000000000, 0})});
  write_table(t, path(), o);
  // Read as a file that does not say would read it: the stored hybrid count.
  const KeyValueMetadata kv = FileReader::open(path()).metadata().key_value_metadata();
  bool legacy_int96 = false, legacy_datetime = false;
  for (const auto& [k, v] : kv) {
    legacy_int96 |= k == "org.apache.spark.legacyINT96";
    legacy_datetime |= k == "org.apache.spark.legacyDateTime";
  }
  EXPECT_TRUE(legacy_int96);
  EXPECT_FALSE(legacy_datetime);
  ReadOptions micro;
  micro.int96_unit = TimeUnit::Micro;
  EXPECT_EQ(column_values<int64_t>(read_table(path(), micro)), (std::vector<int64_t>{-30610224000000000, 0}));
  // The stored INT96 (an uncompressed page of 12-byte values: 8 bytes of nanoseconds in the
  // day, 0 at midnight, then the Julian day): 2086308 (hybrid), not 2086303.
  const std::string bytes = [&] {
    std::ifstream in(path(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const std::string midnight(8, '\0');
  EXPECT_NE(bytes.find(midnight + std::string("\xa4\xd5\x1f\x00", 4)), std::string::npos);  // 2086308 LE
  EXPECT_EQ(bytes.find(midnight + std::string("\x9f\xd5\x1f\x00", 4)), std::string::npos);  // 2086303 LE
}

TEST_F(CalendarRebaseFiles, ExceptionWritesRefuseAncientValuesAndLeaveNoFile) {
  WriteOptions o;
  o.datetime_rebase = CalendarRebase::Exception;
  const Table t = table_of({field("when", DataType(DataType::Id::Date32))},
                           {array_of(DataType(DataType::Id::Date32), std::vector<int32_t>{18262, -141428})});
  EXPECT_ERROR(write_table(t, path(), o), ErrorKind::InvalidArgument, "the date 1582-10-14 lies before 1582-10-15");
  EXPECT_FALSE(std::filesystem::exists(path()));
  // Values from the switch on are written as they are, with the version key only.
  const Table ok = table_of({field("when", DataType(DataType::Id::Date32))},
                            {array_of(DataType(DataType::Id::Date32), std::vector<int32_t>{18262, -141427})});
  write_table(ok, path(), o);
  EXPECT_EQ(column_values<int32_t>(read_table(path())), (std::vector<int32_t>{18262, -141427}));
  const KeyValueMetadata kv = FileReader::open(path()).metadata().key_value_metadata();
  int spark_keys = 0;
  for (const auto& [k, v] : kv) spark_keys += k.rfind("org.apache.spark.", 0) == 0;
  EXPECT_EQ(spark_keys, 1);
}

TEST_F(CalendarRebaseFiles, ReadSchemasDoNotCarryTheSourcesCalendarKeys) {
  // Read from a hybrid file, the values in memory are proleptic: written again without
  // rebase options, the file must not claim the hybrid calendar (else Spark would rebase twice).
  const std::string legacy = stored("legacy.parquet", DataType(DataType::Id::Date32), kHybridDays,
                                    {{"org.apache.spark.version", "2.4.5"}, {"other", "kept"}});
  Table t = read_table(legacy);
  t.schema.metadata = {{"org.apache.spark.version", "2.4.5"}, {"other", "kept"}};
  write_table(t, path("copy.parquet"));
  bool other = false, spark = false;
  const FileReader copy = FileReader::open(path("copy.parquet"));
  for (const auto& [k, v] : copy.metadata().key_value_metadata()) {
    other |= k == "other";
    spark |= k == "org.apache.spark.version";
  }
  EXPECT_TRUE(other);
  EXPECT_FALSE(spark);
  EXPECT_EQ(column_values<int32_t>(read_table(path("copy.parquet"))), kGregorianDays);
}

TEST_F(CalendarRebaseFiles, ModeNames) {
  EXPECT_EQ(to_string(CalendarRebase::Legacy), "LEGACY");
  EXPECT_EQ(parse_calendar_rebase("corrected"), CalendarRebase::Corrected);
  EXPECT_EQ(parse_calendar_rebase("EXCEPTION"), CalendarRebase::Exception);
  EXPECT_EQ(parse_calendar_rebase("proleptic"), std::nullopt);
}

}  // namespace
}  // namespace parkett

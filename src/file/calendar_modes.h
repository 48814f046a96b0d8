// Which calendar a file's dates and timestamps are in, decided per file as Spark decides it
// (DataSourceUtils.getRebaseSpec), and the keys a writer stores so that Spark decides it
// right for the files parkett writes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "column/calendar_rebase.h"
#include "parkett/metadata.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace parkett::file {

/// The key-value metadata keys Spark writes and reads.
inline constexpr const char* kSparkVersionKey = "org.apache.spark.version";
inline constexpr const char* kSparkLegacyDateTimeKey = "org.apache.spark.legacyDateTime";
inline constexpr const char* kSparkLegacyInt96Key = "org.apache.spark.legacyINT96";
inline constexpr const char* kSparkTimeZoneKey = "org.apache.spark.timeZone";

struct FileCalendar {
  CalendarRebase datetime = CalendarRebase::Corrected;  // DATE and INT64 timestamps
  CalendarRebase int96 = CalendarRebase::Corrected;
  std::string zone;  // Legacy: the zone Spark rebased timestamps in, when not UTC
};

/// A file with org.apache.spark.version holds the hybrid calendar if that version is older
/// than 3.0.0 (INT96: 3.1.0), compared as strings as Spark compares them, or if it has the
/// legacyDateTime (legacyINT96) key; else the proleptic one. A file without the version
/// key is read by `options`' modes.
FileCalendar file_calendar(const KeyValueMetadata& metadata, const OpenOptions& options);

/// The rule for each leaf column of `schema` whose values `calendar` refuses or rebases
/// on read (none when both modes are Corrected).
std::map<int32_t, column::CalendarRule> read_calendar_rules(const ParquetSchema& schema, const FileCalendar& calendar);

/// The rules for writing (leaf column -> rule) under `options`' rebase modes, and the
/// key-value entries that tell Spark which calendar the file holds.
std::map<int32_t, column::CalendarRule> write_calendar_rules(const ParquetSchema& schema, const WriteOptions& options);
std::vector<std::pair<std::string, std::string>> spark_calendar_keys(const WriteOptions& options);

}  // namespace parkett::file

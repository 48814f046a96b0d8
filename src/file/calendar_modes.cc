#include "file/calendar_modes.h"

#include <algorithm>

namespace parkett::file {
namespace {

// The Spark release whose rules parkett's keys follow: a version string from 3.1.0 on, so
// that INT96 values without legacyINT96 read as proleptic.
constexpr const char* kSparkRulesVersion = "3.5.0";

const std::optional<std::string>* find_key(const KeyValueMetadata& metadata, const char* key) {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

// Zone names meaning UTC, where timestamps rebase by whole days.
bool is_utc(const std::string& zone) {
  static const char* const kUtc[] = {"UTC",      "Etc/UTC",       "UCT",      "Etc/UCT",   "GMT",       "Etc/GMT",
                                     "GMT0",     "Etc/GMT0",      "Etc/GMT+0", "Etc/GMT-0", "Universal", "Etc/Universal",
                                     "Zulu",     "Etc/Zulu",      "Greenwich", "Etc/Greenwich", "Z",     "+00:00"};
  return std::find_if(std::begin(kUtc), std::end(kUtc), [&](const char* z) { return zone == z; }) != std::end(kUtc);
}

}  // namespace

FileCalendar file_calendar(const KeyValueMetadata& metadata, const OpenOptions& options) {
  FileCalendar out;
  const auto* version = find_key(metadata, kSparkVersionKey);
  if (!version || !*version) {
    out.datetime = options.datetime_rebase;
    out.int96 = options.int96_rebase;
  } else {
    const std::string& v = **version;
    out.datetime = v < "3.0.0" || find_key(metadata, kSparkLegacyDateTimeKey) ? CalendarRebase::Legacy
                                                                              : CalendarRebase::Corrected;
    out.int96 = v < "3.1.0" || find_key(metadata, kSparkLegacyInt96Key) ? CalendarRebase::Legacy
                                                                        : CalendarRebase::Corrected;
    const auto* zone = find_key(metadata, kSparkTimeZoneKey);
    if (zone && *zone && !is_utc(**zone)) out.zone = **zone;
  }
  return out;
}

std::map<int32_t, column::CalendarRule> read_calendar_rules(const ParquetSchema& schema, const FileCalendar& calendar) {
  std::map<int32_t, column::CalendarRule> out;
  if (calendar.datetime == CalendarRebase::Corrected && calendar.int96 == CalendarRebase::Corrected) return out;
  for (int32_t c = 0; c < schema.num_columns(); ++c) {
    const auto values = column::rebased_values(schema.node(schema.column(c).node));
    if (!values) continue;
    const CalendarRebase mode = *values == column::RebasedValues::Int96 ? calendar.int96 : calendar.datetime;
    if (mode == CalendarRebase::Corrected) continue;
    // Dates do not depend on a zone.
    const std::string zone = *values == column::RebasedValues::Days ? "" : calendar.zone;
    out[c] = column::CalendarRule{*values, mode, true, zone};
  }
  return out;
}

std::map<int32_t, column::CalendarRule> write_calendar_rules(const ParquetSchema& schema, const WriteOptions& options) {
  std::map<int32_t, column::CalendarRule> out;
  for (int32_t c = 0; c < schema.num_columns(); ++c) {
    const auto values = column::rebased_values(schema.node(schema.column(c).node));
    if (!values) continue;
    const auto mode = *values == column::RebasedValues::Int96 ? options.int96_rebase : options.datetime_rebase;
    if (!mode || *mode == CalendarRebase::Corrected) continue;
    out[c] = column::CalendarRule{*values, *mode, false, ""};
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> spark_calendar_keys(const WriteOptions& options) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!options.datetime_rebase && !options.int96_rebase) return out;
  out.emplace_back(kSparkVersionKey, kSparkRulesVersion);
  const bool legacy_datetime = options.datetime_rebase == CalendarRebase::Legacy;
  const bool legacy_int96 = options.int96_rebase == CalendarRebase::Legacy;
  if (legacy_datetime) out.emplace_back(kSparkLegacyDateTimeKey, "");
  if (legacy_int96) out.emplace_back(kSparkLegacyInt96Key, "");
  if (legacy_datetime || legacy_int96) out.emplace_back(kSparkTimeZoneKey, "UTC");
  return out;
}

}  // namespace parkett::file

// Calendar rebasing as Spark does it (RebaseDateTime, SPARK-31404): Spark 2.x and Hive
// wrote dates and timestamps in the hybrid calendar (Julian before 1582-10-15, Gregorian
// after), Spark 3 and every other writer in the proleptic Gregorian one. A value keeps its
// civil fields (year, month, day, time of day) and is re-encoded in the other calendar.
// Both calendars agree from 1582-10-15 on; timestamps are rebased in UTC, where they agree
// from the same instant (Spark's per-zone tables for other zones are not reproduced: a
// rule naming another zone refuses the values where the zones' tables would differ).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "encoding/value_buffer.h"
#include "parkett/schema.h"
#include "parkett/types.h"

namespace parkett::column {

/// The first day both calendars count alike: 1582-10-15, -141427 days from 1970-01-01.
constexpr int64_t kLastSwitchDay = -141427;
/// Spark's EXCEPTION mode refuses timestamps before 1900-01-01T00:00:00Z (the last switch
/// of any time zone's table), in microseconds since the epoch.
constexpr int64_t kLastSwitchMicros = -2208988800000000;

/// A hybrid-calendar day number (what Spark 2.x wrote) as the proleptic Gregorian one of
/// the same civil date. A Julian 29 February of a year that is no Gregorian leap year
/// becomes 1 March, as Spark reads it.
int64_t julian_to_gregorian_days(int64_t days);
/// The reverse (Spark's LEGACY write). The ten Gregorian days 1582-10-05..14, which the
/// hybrid calendar does not have, become 1582-10-15.
int64_t gregorian_to_julian_days(int64_t days);

/// Microseconds since the epoch, in UTC: the day rebased as above, the time of day kept.
int64_t julian_to_gregorian_micros(int64_t micros);
int64_t gregorian_to_julian_micros(int64_t micros);

/// The physical forms of the values Spark rebases.
enum class RebasedValues {
  Days,    // INT32 DATE
  Millis,  // INT64 TIMESTAMP(MILLIS) adjusted to UTC
  Micros,  // INT64 TIMESTAMP(MICROS) adjusted to UTC
  Int96,   // the legacy INT96 timestamp
};

/// Which of those `node` holds, if any. Local (not UTC-adjusted) and nanosecond timestamps
/// are not rebased: Spark never wrote them in the hybrid calendar.
std::optional<RebasedValues> rebased_values(const SchemaNode& node);

/// What to do with one leaf's values. `mode` is Exception or Legacy (Corrected needs no
/// pass). `reading`: from the file's calendar into memory; else the writer's way.
struct CalendarRule {
  RebasedValues values = RebasedValues::Days;
  CalendarRebase mode = CalendarRebase::Corrected;
  bool reading = true;
  /// Legacy timestamps: the time zone the file says they were rebased in (Spark's
  /// org.apache.spark.timeZone), when it is not UTC.
  std::string zone;
};

/// Applies `rule` in place to the fixed-width values of `values` (the physical form of
/// `rule.values`). Exception: Error(InvalidArgument) for the first value before the switch,
/// naming it and the options that read or write it. Legacy with a zone other than UTC:
/// Error(Unsupported) for a timestamp before 1900-01-01T00:00:00Z, naming the zone.
void apply_calendar_rule(encoding::ValueBuffer& values, const CalendarRule& rule);

}  // namespace parkett::column

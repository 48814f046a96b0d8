// Calendar rebasing against Spark's own switch tables (RebaseDateTime.scala: the day each
// difference starts, in the calendar rebased from) and dates worked out by hand.
#include <gtest/gtest.h>

#include <vector>

#include "column/calendar_rebase.h"

namespace parkett::column {
namespace {

// julianGregDiffSwitchDay / julianGregDiffs: Julian 0001-01-01, then 03-01 of the years
// 100, 200, 300, 500, 600, 700, 900, 1000, 1100, 1300, 1400, 1500, then 1582-10-15.
const std::vector<int64_t> kJulianSwitches = {-719164, -682945, -646420, -609895, -536845, -500320, -463795,
                                              -390745, -354220, -317695, -244645, -208120, -171595, -141427};
const std::vector<int64_t> kJulianDiffs = {2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 0};
// gregJulianDiffSwitchDay / gregJulianDiffs: the same dates in the Gregorian calendar, then
// 1582-10-06..15 one by one (the dates the hybrid calendar skips).
const std::vector<int64_t> kGregorianSwitches = {-719162, -682944, -646420, -609896, -536847, -500323, -463799, -390750,
                                                 -354226, -317702, -244653, -208129, -171605, -141436, -141435, -141434,
                                                 -141433, -141432, -141431, -141430, -141429, -141428, -141427};
const std::vector<int64_t> kGregorianDiffs = {-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};

TEST(CalendarRebase, DaysFollowSparksTablesAtEverySwitch) {
  for (size_t i = 0; i < kJulianSwitches.size(); ++i) {
    EXPECT_EQ(julian_to_gregorian_days(kJulianSwitches[i]), kJulianSwitches[i] + kJulianDiffs[i]) << i;
    EXPECT_EQ(julian_to_gregorian_days(kJulianSwitches[i] + 17), kJulianSwitches[i] + 17 + kJulianDiffs[i]) << i;
    if (i > 0) {
      EXPECT_EQ(julian_to_gregorian_days(kJulianSwitches[i] - 2), kJulianSwitches[i] - 2 + kJulianDiffs[i - 1]) << i;
    }
  }
  for (size_t i = 0; i < kGregorianSwitches.size(); ++i) {
    EXPECT_EQ(gregorian_to_julian_days(kGregorianSwitches[i]), kGregorianSwitches[i] + kGregorianDiffs[i]) << i;
    if (i > 0 && kGregorianSwitches[i] - kGregorianSwitches[i - 1] > 2) {
      EXPECT_EQ(gregorian_to_julian_days(kGregorianSwitches[i] - 2), kGregorianSwitches[i] - 2 + kGregorianDiffs[i - 1])
          << i;
    }
  }
}

TEST(CalendarRebase, DatesWorkedOutByHand) {
  // civil date: proleptic Gregorian day, hybrid (Julian before 1582-10-15) day.
  struct Case {
    int64_t gregorian, hybrid;
  };
  const Case cases[] = {
      {-719162, -719164},  // 0001-01-01
      {-719528, -719530},  // year 0 (1 BC), 1 January
      {-735160, -735162},  // 44 BC, 15 March (year -43)
      {-1121294, -1121305},  // year -1100, 1 January
      {-609896, -609895},  // 0300-03-01
      {-354285, -354280},  // 1000-01-01
      {-354226, -354220},  // 1000-03-01
      {-353920, -353914},  // 1001-01-01
      {-141714, -141704},  // 1582-01-01
      {-141438, -141428},  // 1582-10-04, the last Julian day
      {-141427, -141427},  // 1582-10-15
      {-25567, -25567},    // 1900-01-01
      {0, 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(julian_to_gregorian_days(c.hybrid), c.gregorian) << c.hybrid;
    EXPECT_EQ(gregorian_to_julian_days(c.gregorian), c.hybrid) << c.gregorian;
  }
  // Julian 1000-02-29 has no Gregorian twin: it reads as 1000-03-01, like Julian 1000-03-01.
  EXPECT_EQ(julian_to_gregorian_days(-354221), -354226);
  // Gregorian 1582-10-05..14 are not hybrid dates: written as 1582-10-15.
  for (int64_t d = -141437; d <= -141428; ++d) EXPECT_EQ(gregorian_to_julian_days(d), -141427) << d;
}

TEST(CalendarRebase, TimestampsKeepTheirTimeOfDayInUtc) {
  // 1000-01-01T00:00Z; 0001-01-01T00:00Z; 1582-01-01T00:00:00.123456Z: proleptic and hybrid.
  EXPECT_EQ(gregorian_to_julian_micros(-30610224000000000), -30609792000000000);
  EXPECT_EQ(julian_to_gregorian_micros(-30609792000000000), -30610224000000000);
  EXPECT_EQ(gregorian_to_julian_micros(-62135596800000000), -62135769600000000);
  EXPECT_EQ(gregorian_to_julian_micros(-12244089599876544), -12243225599876544);
  EXPECT_EQ(julian_to_gregorian_micros(-12243225599876544), -12244089599876544);
  // From 1582-10-15T00:00Z on, nothing changes (in UTC); a microsecond before, ten days.
  EXPECT_EQ(julian_to_gregorian_micros(-12219292800000000), -12219292800000000);
  EXPECT_EQ(julian_to_gregorian_micros(-12219292800000001), -12219292800000001 - int64_t{864000} * 1000000);
  EXPECT_EQ(gregorian_to_julian_micros(kLastSwitchMicros - 1), kLastSwitchMicros - 1);
}

}  // namespace
}  // namespace parkett::column

// Deephaven's RowSet byte format (the `dh_row_set` column of its data index sidecars):
// sorted row positions as single keys and closed ranges, each entry the delta from the
// previous absolute value (a range's end negated), packed in commands of a width:
//   command byte = kind | width; kind OFFSET (one value), SHORT_ARRAY / BYTE_ARRAY (a count,
//   then that many int16 / int8 deltas), END; width int8, int16, int32 or int64.
// Values are big-endian. Encoding picks the sizes Deephaven picks, so that files compare
// byte for byte; decoding accepts any valid sequence of commands.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "column/row_selection.h"

namespace parkett::file {

/// `ranges` of row positions ([begin, end), sorted, disjoint and not adjacent, as a
/// RowSelection holds them) in the format, where a range is closed: [begin, end - 1].
std::string encode_row_set(std::span<const column::RowRange> ranges);

/// The ranges `bytes` holds, positions below `limit` (a file's row count). Error(Corrupt)
/// for a bad command, a truncated value, positions that do not increase or reach `limit`,
/// or no END. At most one range per byte of input, and `limit` / 2.
std::vector<column::RowRange> decode_row_set(std::span<const uint8_t> bytes, int64_t limit);

}  // namespace parkett::file

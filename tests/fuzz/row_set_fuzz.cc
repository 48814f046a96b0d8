// libFuzzer target: Deephaven row set bytes (the dh_row_set column of data indexes). Decoding
// never crashes, hangs or allocates past the input's size; a refusal is Error(Corrupt); what
// decodes is sorted, disjoint ranges, and encodes to bytes that decode to the same ranges.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include "file/row_set_codec.h"
#include "parkett/error.h"

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<parkett::column::RowRange> ranges;
  try {
    ranges = parkett::file::decode_row_set({data, size}, kNoLimit);
  } catch (const parkett::Error& e) {
    if (e.kind() != parkett::ErrorKind::Corrupt) std::abort();
    return 0;
  }
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].begin < 0 || ranges[i].end <= ranges[i].begin) std::abort();
    if (i > 0 && ranges[i].begin <= ranges[i - 1].end - 1) std::abort();
  }
  // Adjacent ranges (a single key right after a range) are valid input but not what a row
  // set holds: merged before encoding.
  std::vector<parkett::column::RowRange> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && merged.back().end == r.begin) merged.back().end = r.end;
    else merged.push_back(r);
  }
  const std::string bytes = parkett::file::encode_row_set(merged);
  if (parkett::file::decode_row_set({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, kNoLimit) != merged) {
    std::abort();
  }
  return 0;
}

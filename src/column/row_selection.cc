#include "column/row_selection.h"

#include <algorithm>

namespace parkett::column {

RowSelection RowSelection::all(int64_t num_rows) {
  RowSelection s;
  if (num_rows > 0) s.ranges_.push_back({0, num_rows});
  return s;
}

RowSelection RowSelection::of(std::vector<RowRange> ranges) {
  std::erase_if(ranges, [](const RowRange& r) { return r.end <= r.begin; });
  std::sort(ranges.begin(), ranges.end(), [](const RowRange& a, const RowRange& b) { return a.begin < b.begin; });
  RowSelection s;
  for (const RowRange& r : ranges) {
    if (!s.ranges_.empty() && r.begin <= s.ranges_.back().end) {
      s.ranges_.back().end = std::max(s.ranges_.back().end, r.end);
    } else {
      s.ranges_.push_back(r);
    }
  }
  return s;
}

RowSelection RowSelection::from_mask(std::span<const uint8_t> keep) {
  RowSelection s;
  const auto n = static_cast<int64_t>(keep.size());
  for (int64_t i = 0; i < n;) {
    while (i < n && !keep[static_cast<size_t>(i)]) ++i;
    const int64_t begin = i;
    while (i < n && keep[static_cast<size_t>(i)]) ++i;
    if (i > begin) s.ranges_.push_back({begin, i});
  }
  return s;
}

int64_t RowSelection::row_count() const {
  int64_t n = 0;
  for (const RowRange& r : ranges_) n += r.end - r.begin;
  return n;
}

int64_t RowSelection::count_in(int64_t begin, int64_t end) const {
  int64_t n = 0;
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), begin,
                             [](int64_t row, const RowRange& r) { return row < r.end; });
  for (; it != ranges_.end() && it->begin < end; ++it) n += std::min(it->end, end) - std::max(it->begin, begin);
  return n;
}

bool RowSelection::intersects(int64_t begin, int64_t end) const {
  // The first range ending after `begin`.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), begin,
                             [](int64_t row, const RowRange& r) { return row < r.end; });
  return it != ranges_.end() && it->begin < end && begin < end;
}

RowSelection RowSelection::intersect(const RowSelection& other) const {
  RowSelection s;
  size_t i = 0, j = 0;
  while (i < ranges_.size() && j < other.ranges_.size()) {
    const RowRange& a = ranges_[i];
    const RowRange& b = other.ranges_[j];
    const int64_t begin = std::max(a.begin, b.begin), end = std::min(a.end, b.end);
    if (begin < end) s.ranges_.push_back({begin, end});
    (a.end < b.end ? i : j)++;
  }
  return s;
}

RowSelection RowSelection::unite(const RowSelection& other) const {
  std::vector<RowRange> all = ranges_;
  all.insert(all.end(), other.ranges_.begin(), other.ranges_.end());
  return of(std::move(all));
}

RowSelection RowSelection::compose(const RowSelection& inner) const {
  RowSelection s;
  size_t r = 0;
  int64_t skipped = 0;  // selected rows before ranges_[r]
  for (RowRange in : inner.ranges_) {
    while (in.begin < in.end) {
      while (r < ranges_.size() && skipped + (ranges_[r].end - ranges_[r].begin) <= in.begin) {
        skipped += ranges_[r].end - ranges_[r].begin;
        ++r;
      }
      if (r == ranges_.size()) return s;  // past the selection: nothing more to map
      const int64_t offset = in.begin - skipped;
      const int64_t take = std::min(in.end - in.begin, ranges_[r].end - ranges_[r].begin - offset);
      const int64_t begin = ranges_[r].begin + offset;
      if (!s.ranges_.empty() && s.ranges_.back().end == begin) {
        s.ranges_.back().end += take;
      } else {
        s.ranges_.push_back({begin, begin + take});
      }
      in.begin += take;
    }
  }
  return s;
}

std::vector<int64_t> RowSelection::positions_of(const RowSelection& subset) const {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(subset.row_count()));
  size_t r = 0;
  int64_t before = 0;  // selected rows before ranges_[r]
  for (const RowRange& sub : subset.ranges_) {
    for (int64_t row = sub.begin; row < sub.end;) {
      while (r < ranges_.size() && ranges_[r].end <= row) {
        before += ranges_[r].end - ranges_[r].begin;
        ++r;
      }
      if (r == ranges_.size() || ranges_[r].begin > row) return out;  // not a subset: stop
      const int64_t stop = std::min(sub.end, ranges_[r].end);
      for (; row < stop; ++row) out.push_back(before + (row - ranges_[r].begin));
    }
  }
  return out;
}

bool RowSelection::better_taken(const RowSelection& subset) const {
  // Runs of fewer than kShortRun selected rows on average (with the gaps between them): a
  // scan of lineitem keeping 8 % of the rows, spread out, reads 3x faster decoding them all.
  constexpr int64_t kShortRun = 64;
  return subset.ranges().size() > 1 && static_cast<int64_t>(subset.ranges().size()) * kShortRun > row_count();
}

}  // namespace parkett::column

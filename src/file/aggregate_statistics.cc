// COUNT, MIN and MAX of columns from their chunks' statistics alone (parkett/metadata.h,
// aggregate_statistics), saying where the statistics cannot answer, or not exactly.
#include <algorithm>

#include "column/value_statistics.h"
#include "parkett/error.h"
#include "parkett/metadata.h"

namespace parkett {
namespace {

// Orders where the deprecated min/max fields (written before ColumnOrder existed, in
// signed comparison) are right.
bool deprecated_bounds_hold(column::SortOrder order) {
  using column::SortOrder;
  return order == SortOrder::Boolean || order == SortOrder::Signed32 || order == SortOrder::Signed64 ||
         order == SortOrder::Float || order == SortOrder::Double;
}

class Aggregator {
 public:
  explicit Aggregator(std::string column) { out_.column = std::move(column); }

  // The rows of a file without the column: nulls.
  void absent(const FileMetadata& file) {
    out_.rows += file.num_rows();
    out_.values += file.num_rows();
    nulls_ += file.num_rows();
  }

  void add(const FileMetadata& file, int32_t c, const std::string& file_name) {
    const ParquetSchema& schema = file.schema();
    const bool total = file.has_column_orders() && file.column_order(c) == ColumnOrder::Ieee754TotalOrder;
    const column::SortOrder order = column::sort_order_of(schema.node(schema.column(c).node), total);
    if (order_ && *order_ != order) no_bounds("its type or order differs between files");
    order_ = order;
    for (int32_t g = 0; g < file.num_row_groups(); ++g) {
      const RowGroupMetadata rg = file.row_group(g);
      const ColumnChunkMetadata chunk = rg.column(c);
      out_.rows += rg.num_rows();
      out_.values += chunk.num_values();
      const std::string where = "row group " + std::to_string(g) + (file_name.empty() ? "" : " of " + file_name);
      if (chunk.metadata_encrypted()) {
        no_nulls(where + " has encrypted column metadata");
        no_bounds(where + " has encrypted column metadata");
        continue;
      }
      const std::optional<Statistics> st = chunk.statistics();
      if (!st) {
        no_nulls(where + " has no statistics");
        no_bounds(where + " has no statistics");
        continue;
      }
      if (st->null_count()) {
        nulls_ += *st->null_count();
      } else {
        no_nulls(where + " has no null count");
      }
      if (st->null_count() && *st->null_count() >= chunk.num_values()) continue;  // no value to bound
      if (!st->has_min_max() || order == column::SortOrder::None) {
        no_bounds(where + " has no min/max");
        continue;
      }
      if (st->from_deprecated_fields() && !deprecated_bounds_hold(order)) {
        no_bounds(where + " has only the deprecated min/max, unreliable for this type");
        continue;
      }
      if (st->is_min_value_exact() == false || st->is_max_value_exact() == false) {
        inexact(where + " has truncated bounds");
      }
      if (column::is_floating(order) && !(st->nan_count() && *st->nan_count() == 0)) {
        inexact(where + " may hold NaN, which its bounds leave out");
      }
      if (!min_ || column::less(st->encoded_min(), min_->encoded_min(), order)) min_ = st;
      if (!max_ || column::less(max_->encoded_max(), st->encoded_max(), order)) max_ = st;
    }
  }

  ColumnAggregate finish() {
    if (nulls_known_) out_.null_count = nulls_;
    out_.exact = bounds_ && exact_;
    if (bounds_ && min_ && max_) {
      out_.min = min_->min();
      out_.max = max_->max();
      out_.min_json = min_->min_json();
      out_.max_json = max_->max_json();
    }
    return std::move(out_);
  }

 private:
  void note(const std::string& why) {
    if (out_.note.empty()) out_.note = why;
  }
  void no_nulls(const std::string& why) {
    nulls_known_ = false;
    note(why);
  }
  void no_bounds(const std::string& why) {
    bounds_ = false;
    note(why);
  }
  void inexact(const std::string& why) {
    exact_ = false;
    note(why);
  }

  ColumnAggregate out_;
  std::optional<column::SortOrder> order_;
  int64_t nulls_ = 0;
  bool nulls_known_ = true, bounds_ = true, exact_ = true;
  std::optional<Statistics> min_, max_;  // the chunks' statistics holding the bounds
};

}  // namespace

std::vector<ColumnAggregate> aggregate_statistics(const std::vector<FileMetadata>& files,
                                                  const std::vector<std::string>& columns,
                                                  const std::vector<std::string>& file_names) {
  std::vector<std::string> names = columns;
  if (names.empty()) {
    for (const FileMetadata& f : files) {
      for (const ColumnDescriptor& d : f.schema().columns()) {
        if (std::find(names.begin(), names.end(), d.dotted_path) == names.end()) names.push_back(d.dotted_path);
      }
    }
  }
  std::vector<ColumnAggregate> out;
  for (const std::string& name : names) {
    Aggregator a(name);
    bool found = false;
    for (size_t i = 0; i < files.size(); ++i) {
      const int32_t c = files[i].schema().find_column(name);
      if (c < 0) {
        a.absent(files[i]);
        continue;
      }
      found = true;
      a.add(files[i], c, i < file_names.size() ? file_names[i] : files.size() > 1 ? "file " + std::to_string(i) : "");
    }
    if (!found) throw Error(ErrorKind::InvalidArgument, "no leaf column '" + name + "' in the statistics' files");
    out.push_back(a.finish());
  }
  return out;
}

}  // namespace parkett

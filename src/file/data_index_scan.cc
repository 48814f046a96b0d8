#include "file/data_index_scan.h"

#include <algorithm>
#include <map>
#include <string>

#include "file/data_index_layout.h"
#include "file/reader_access.h"
#include "file/row_set_codec.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

using Op = Expression::Op;

// The top-level AND's terms an index answers, by column: `=`, `IN`, `IS NULL` on a
// top-level column.
void index_terms(const Expression& e, std::map<std::string, std::vector<Expression>>& out) {
  if (e.empty()) return;
  if (e.op() == Op::And) {
    for (const Expression& operand : e.operands()) index_terms(operand, out);
    return;
  }
  if (e.op() != Op::Equal && e.op() != Op::IsIn && e.op() != Op::IsNull) return;
  const Expression& column = e.operands().at(0);
  if (column.op() != Op::Column || column.path().size() != 1) return;
  out[column.path()[0]].push_back(e);
}

// `term` on the column `name` instead.
Expression on_column(const Expression& term, const std::string& name) {
  const Expression c = col(std::vector<std::string>{name});
  switch (term.op()) {
    case Op::Equal: return c == term.literal();
    case Op::IsIn: return c.is_in(term.literals());
    default: return c.is_null();
  }
}

// The file's row positions in `rows` (sorted, disjoint) per row group.
std::vector<column::RowSelection> per_row_group(const FileMetadata& md, const std::vector<column::RowRange>& rows) {
  std::vector<column::RowSelection> out;
  int64_t group_begin = 0;
  size_t r = 0;
  for (int32_t g = 0; g < md.num_row_groups(); ++g) {
    const int64_t group_end = group_begin + md.row_group(g).num_rows();
    std::vector<column::RowRange> in_group;
    for (; r < rows.size() && rows[r].begin < group_end; ++r) {
      in_group.push_back({std::max(rows[r].begin, group_begin) - group_begin, std::min(rows[r].end, group_end) - group_begin});
      if (rows[r].end > group_end) break;  // continues in the next group
    }
    out.push_back(column::RowSelection::of(std::move(in_group)));
    group_begin = group_end;
  }
  return out;
}

// The token a file's footer carries, if any.
std::optional<std::string> index_token(const FileMetadata& md) {
  for (const auto& [key, value] : md.key_value_metadata()) {
    if (key == kIndexTokenKey) return value.value_or("");
  }
  return std::nullopt;
}

// The row ranges of `index`'s rows (read with the filter's terms) in a file of `num_rows`:
// each row's dh_row_set, or a grouping's [dh_begin_pos, dh_end_pos). Merged whenever they
// have doubled, so memory stays within twice what the file's rows can need however many
// rows repeat a key.
std::vector<column::RowRange> index_rows(const Table& index, bool grouping, int64_t num_rows) {
  std::vector<column::RowRange> rows;
  size_t merged_size = 0;
  const auto add = [&](const std::vector<column::RowRange>& more) {
    rows.insert(rows.end(), more.begin(), more.end());
    if (rows.size() > std::max<size_t>(size_t{1} << 16, 2 * merged_size)) {
      rows = column::RowSelection::of(std::move(rows)).ranges();
      merged_size = rows.size();
    }
  };
  for (const RecordBatch& b : index.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      if (grouping) {
        const ArrayData& begin = *b.columns.at(0);
        const ArrayData& end = *b.columns.at(1);
        if (begin.type.id() != DataType::Id::Int64 || end.type.id() != DataType::Id::Int64 || !begin.is_valid(r) ||
            !end.is_valid(r)) {
          throw Error(ErrorKind::Corrupt, "a grouping row without int64 dh_begin_pos and dh_end_pos");
        }
        const int64_t first = begin.buffers.at(1)->as<int64_t>()[begin.offset + r];
        const int64_t last = end.buffers.at(1)->as<int64_t>()[end.offset + r];
        if (first < 0 || last < first || last > num_rows) {
          throw Error(ErrorKind::Corrupt, "a grouping row of the rows [" + std::to_string(first) + ", " +
                                              std::to_string(last) + ") of a file of " + std::to_string(num_rows) + " rows");
        }
        add({{first, last}});
        continue;
      }
      const ArrayData& a = *b.columns.at(0);
      const DataType::Id id = a.type.id();
      if ((id != DataType::Id::Binary && id != DataType::Id::LargeBinary) || !a.is_valid(r)) {
        throw Error(ErrorKind::Corrupt, std::string("a ") + kRowSetColumn + " that is not a non-null binary value");
      }
      const int64_t at = a.offset + r;
      int64_t begin = 0, end = 0;
      if (id == DataType::Id::LargeBinary) {
        begin = a.buffers.at(1)->as<int64_t>()[at];
        end = a.buffers.at(1)->as<int64_t>()[at + 1];
      } else {
        begin = a.buffers.at(1)->as<int32_t>()[at];
        end = a.buffers.at(1)->as<int32_t>()[at + 1];
      }
      if (end < begin) throw Error(ErrorKind::Corrupt, std::string("a ") + kRowSetColumn + " of negative length");
      const uint8_t* data = end > begin ? a.buffers.at(2)->data() + begin : nullptr;
      add(decode_row_set({data, static_cast<size_t>(end - begin)}, num_rows));
    }
  }
  return rows;
}

}  // namespace

std::optional<std::vector<column::RowSelection>> rows_by_data_index(const FileReader& reader,
                                                                   const Expression& filter) {
  const auto& state = FileReaderAccess::state(reader);
  if (state.path.empty() || filter.empty()) return std::nullopt;
  const FileMetadata& md = reader.metadata();
  const std::string* table_info = nullptr;
  for (const auto& [key, value] : md.key_value_metadata()) {
    if (key == kDeephavenKey && value) table_info = &*value;
  }
  if (!table_info) return std::nullopt;
  std::map<std::string, std::vector<Expression>> terms;
  index_terms(filter, terms);
  const ListedIndex* chosen = nullptr;
  const std::vector<ListedIndex> listed = listed_indexes(*table_info);
  for (const ListedIndex& index : listed) {
    bool answered = true;
    for (const std::string& c : index.entry.columns) answered = answered && terms.count(c) > 0;
    if (answered && (!chosen || index.entry.columns.size() > chosen->entry.columns.size())) chosen = &index;
  }
  if (!chosen) return std::nullopt;

  // The index file read with the filter's terms on its columns.
  const std::string index_path = state.path.substr(0, state.path.find_last_of('/') + 1) + chosen->entry.path;
  Expression index_filter;
  for (const std::string& c : chosen->entry.columns) {
    for (const Expression& term : terms[c]) {
      const Expression t = chosen->grouping ? on_column(term, "dh_key") : term;
      index_filter = index_filter.empty() ? t : (index_filter && t);
    }
  }
  ReadOptions o;
  static_cast<OpenOptions&>(o) = state.options;
  o.decryption = nullptr;
  o.binary_as_string = false;  // dh_row_set is binary without an annotation
  o.filter = index_filter;
  o.use_data_index = false;
  o.threads = 1;
  o.columns = chosen->grouping ? std::vector<std::string>{"dh_begin_pos", "dh_end_pos"}
                               : std::vector<std::string>{kRowSetColumn};
  std::vector<column::RowRange> rows;
  try {
    FileReader index;
    try {
      index = FileReader::open(index_path, o);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound) return std::nullopt;
      throw;
    }
    // An index written with its data file carries the same token; one of an earlier write
    // of this file name (overwritten since, or a failed write) is not this file's.
    const std::optional<std::string> token = index_token(md);
    if (token && token != index_token(index.metadata())) return std::nullopt;
    rows = index_rows(index.read_table(), chosen->grouping, md.num_rows());
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Io || e.kind() == ErrorKind::ResourceLimit) throw;
    throw Error(ErrorKind::Corrupt, "its data index '" + index_path + "' cannot be used (" + e.what() +
                                        "); ScanOptions::use_data_index = false scans without it",
                ErrorContext{reader.name(), {}, {}, {}});
  }
  return per_row_group(md, column::RowSelection::of(std::move(rows)).ranges());
}

}  // namespace parkett::file

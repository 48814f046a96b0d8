#include "file/page_index.h"

#include <algorithm>
#include <string>

#include "file/file_metadata_impl.h"
#include "file/reader_access.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, what); }

struct Wanted {
  int32_t column;
  bool offsets;  // else the column index
  int64_t offset, length;
  std::shared_ptr<const crypto::ChunkCipher> cipher;  // encrypted columns' indexes are modules
};

// An encrypted index module's plaintext (Encryption.md: column and offset indexes of
// encrypted columns are encrypted with the column's key).
std::string decrypted(const Wanted& w, const std::string& module) {
  const auto type = w.offsets ? crypto::ModuleType::OffsetIndex : crypto::ModuleType::ColumnIndex;
  const auto* bytes = reinterpret_cast<const uint8_t*>(module.data());
  const size_t size = crypto::module_size({bytes, module.size()}, module.size(), crypto::Cipher::Gcm, to_string(type));
  std::string plain(w.cipher->plain_size(type, size), '\0');
  w.cipher->decrypt(type, -1, {bytes, size}, {reinterpret_cast<uint8_t*>(plain.data()), plain.size()});
  return plain;
}

// One index's bytes, parsed into a Thrift struct. `exact`: the struct must fill the bytes.
// Decrypted indexes need not: parquet-mr 1.14 pads the plaintext of encrypted offset
// indexes with zeros (authenticated, so they are the writer's own).
template <class T>
T parse(const std::string& bytes, const char* what, bool exact) {
  T out;
  try {
    const size_t used = format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out).bytes_read;
    if (exact && used != bytes.size()) {
      corrupt(std::string(what) + " of " + std::to_string(used) + " bytes is shorter than its recorded length " +
              std::to_string(bytes.size()));
    }
  } catch (Error& e) {
    throw Error(e.kind(), std::string("invalid ") + what + ": " + e.message(), e.context());
  }
  return out;
}

OffsetIndex to_offset_index(const format::OffsetIndex& t, const ColumnChunkMetadata& chunk, int64_t num_rows) {
  OffsetIndex out;
  const int64_t begin = chunk.file_offset_of_pages();
  int64_t end = 0;
  if (begin < 0 || chunk.total_compressed_size() < 0 || __builtin_add_overflow(begin, chunk.total_compressed_size(), &end)) {
    corrupt("the column chunk's offset and size are out of range");
  }
  if (t.page_locations.empty() && num_rows > 0) corrupt("offset index without pages");
  int64_t last_row = -1, last_end = begin;
  for (size_t i = 0; i < t.page_locations.size(); ++i) {
    const format::PageLocation& p = t.page_locations[i];
    const std::string where = "offset index, page " + std::to_string(i) + ": ";
    if (p.compressed_page_size <= 0 || p.offset < last_end || p.offset > end || p.compressed_page_size > end - p.offset) {
      corrupt(where + "bytes [" + std::to_string(p.offset) + ", +" + std::to_string(p.compressed_page_size) +
              ") overlap the page before it or lie outside the column chunk [" + std::to_string(begin) + ", " +
              std::to_string(end) + ")");
    }
    // Equal first rows: a row split over pages (writers have done it for nested columns).
    if ((i == 0 && p.first_row_index != 0) || p.first_row_index < last_row || p.first_row_index >= num_rows) {
      corrupt(where + "first row " + std::to_string(p.first_row_index) + " does not follow row " +
              std::to_string(last_row) + " within the row group's " + std::to_string(num_rows) + " rows");
    }
    last_row = p.first_row_index;
    last_end = p.offset + p.compressed_page_size;
    out.pages.push_back({p.offset, p.compressed_page_size, p.first_row_index});
  }
  if (t.unencoded_byte_array_data_bytes && t.unencoded_byte_array_data_bytes->size() == out.pages.size()) {
    out.unencoded_byte_array_data_bytes = t.unencoded_byte_array_data_bytes;
  }
  return out;
}

ColumnIndex to_column_index(const format::ColumnIndex& t, const FileMetadata& md, int32_t column) {
  const size_t n = t.null_pages.size();
  if (t.min_values.size() != n || t.max_values.size() != n) {
    corrupt("column index with " + std::to_string(n) + " pages but " + std::to_string(t.min_values.size()) +
            " minimums and " + std::to_string(t.max_values.size()) + " maximums");
  }
  auto sized = [n](const std::optional<std::vector<int64_t>>& v) {
    return v && v->size() == n ? v : std::nullopt;
  };
  ColumnIndex out;
  out.null_pages = t.null_pages;
  out.null_counts = sized(t.null_counts);
  out.nan_counts = sized(t.nan_counts);
  if (out.null_counts) {
    for (int64_t c : *out.null_counts) {
      if (c < 0) corrupt("column index with a negative null count");
    }
  }
  switch (t.boundary_order) {
    case format::BoundaryOrder::ASCENDING: out.boundary_order = BoundaryOrder::Ascending; break;
    case format::BoundaryOrder::DESCENDING: out.boundary_order = BoundaryOrder::Descending; break;
    default: out.boundary_order = BoundaryOrder::Unordered; break;
  }
  const PhysicalType physical = md.schema().column(column).physical_type;
  const ColumnOrder order = md.column_order(column);
  // The trust rules of chunk statistics (statistics.cc): no bounds under an order we do
  // not know, for INT96 outside its timestamp order, or NaN bounds without total order.
  const bool usable = order != ColumnOrder::Unknown &&
                      (physical != PhysicalType::Int96 || order == ColumnOrder::Int96Timestamp);
  out.has_min_max.assign(n, false);
  out.min_values.resize(n);
  out.max_values.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!usable || t.null_pages[i]) continue;
    StatValue lo = detail::decode_stat_value(physical, t.min_values[i]);
    StatValue hi = detail::decode_stat_value(physical, t.max_values[i]);
    if (std::holds_alternative<std::monostate>(lo) || std::holds_alternative<std::monostate>(hi)) continue;
    if (order != ColumnOrder::Ieee754TotalOrder && (detail::stat_is_nan(lo) || detail::stat_is_nan(hi))) continue;
    out.has_min_max[i] = true;
    out.min_values[i] = std::move(lo);
    out.max_values[i] = std::move(hi);
  }
  return out;
}

}  // namespace

RowGroupPageIndex read_page_index(const FileReader& reader, int32_t row_group, const std::vector<int32_t>& offset_columns,
                                  const std::vector<int32_t>& column_index_columns) {
  const FileMetadata& md = reader.metadata();
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
  const RowGroupMetadata rg = md.row_group(row_group);
  RowGroupPageIndex out;
  out.offsets.resize(static_cast<size_t>(md.num_columns()));
  out.columns.resize(static_cast<size_t>(md.num_columns()));
  std::vector<Wanted> wanted;
  auto want = [&](int32_t c, bool offsets) {
    const ColumnChunkMetadata chunk = rg.column(c);
    std::shared_ptr<const crypto::ChunkCipher> cipher;
    try {
      cipher = FileReaderAccess::cipher(reader, row_group, c);
    } catch (Error& e) {
      e.set_file(reader.name());
      e.set_row_group(row_group);
      e.set_column(md.schema().column(c).dotted_path);
      throw;
    }
    const auto offset = offsets ? chunk.offset_index_offset() : chunk.column_index_offset();
    const auto length = offsets ? chunk.offset_index_length() : chunk.column_index_length();
    if (!offset || !length) return;
    if (*offset < 0 || *length <= 0 || *offset > file.size() || *length > file.size() - *offset) {
      Error e(ErrorKind::Corrupt, std::string(offsets ? "offset" : "column") + " index at " + std::to_string(*offset) +
                                      " of " + std::to_string(*length) + " bytes lies outside the file");
      e.set_file(reader.name());
      e.set_row_group(row_group);
      e.set_column(md.schema().column(c).dotted_path);
      throw e;
    }
    wanted.push_back({c, offsets, *offset, *length, std::move(cipher)});
  };
  for (int32_t c : offset_columns) want(c, true);
  for (int32_t c : column_index_columns) want(c, false);
  if (wanted.empty()) return out;
  // One read over all of them when they lie close together (the usual layout), else one each.
  int64_t lo = INT64_MAX, hi = 0, sum = 0;
  for (const Wanted& w : wanted) {
    lo = std::min(lo, w.offset);
    hi = std::max(hi, w.offset + w.length);
    sum += w.length;
  }
  std::string block;
  const bool together = hi - lo <= std::max<int64_t>(2 * sum, int64_t{1} << 20);
  if (together) file.read_at(lo, hi - lo, block);
  for (const Wanted& w : wanted) {
    try {
      std::string bytes;
      if (together) {
        bytes = block.substr(static_cast<size_t>(w.offset - lo), static_cast<size_t>(w.length));
      } else {
        file.read_at(w.offset, w.length, bytes);
      }
      if (w.cipher) bytes = decrypted(w, bytes);
      if (w.offsets) {
        out.offsets[static_cast<size_t>(w.column)] =
            to_offset_index(parse<format::OffsetIndex>(bytes, "offset index", !w.cipher), rg.column(w.column), rg.num_rows());
      } else {
        out.columns[static_cast<size_t>(w.column)] =
            to_column_index(parse<format::ColumnIndex>(bytes, "column index", !w.cipher), md, w.column);
      }
    } catch (Error& e) {
      e.set_file(reader.name());
      e.set_row_group(row_group);
      e.set_column(md.schema().column(w.column).dotted_path);
      throw;
    }
  }
  return out;
}

}  // namespace parkett::file

namespace parkett {

std::optional<OffsetIndex> FileReader::offset_index(int32_t row_group, int32_t column) const {
  if (row_group < 0 || row_group >= metadata().num_row_groups() || column < 0 || column >= metadata().num_columns()) {
    throw Error(ErrorKind::InvalidArgument, "no column chunk (" + std::to_string(row_group) + ", " +
                                                std::to_string(column) + ")", ErrorContext{name(), {}, {}, {}});
  }
  return std::move(file::read_page_index(*this, row_group, {column}, {}).offsets[static_cast<size_t>(column)]);
}

std::optional<ColumnIndex> FileReader::column_index(int32_t row_group, int32_t column) const {
  if (row_group < 0 || row_group >= metadata().num_row_groups() || column < 0 || column >= metadata().num_columns()) {
    throw Error(ErrorKind::InvalidArgument, "no column chunk (" + std::to_string(row_group) + ", " +
                                                std::to_string(column) + ")", ErrorContext{name(), {}, {}, {}});
  }
  return std::move(file::read_page_index(*this, row_group, {}, {column}).columns[static_cast<size_t>(column)]);
}

}  // namespace parkett

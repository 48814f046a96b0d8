#include "file/field_reader.h"

#include <algorithm>
#include <climits>
#include <map>
#include <new>

#include "column/leaf_reader.h"
#include "file/reader_access.h"
#include "nested/assemble.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

// The parts of a chunk a window needs, when pages are found by `pages`: the bytes asked for
// ([offset, offset + size): the page the decoder is at, or what precedes the first page,
// the dictionary), then every later page starting before the window's end `to_row` (with a
// row the selection keeps, if there is one), however far apart; none past `chunk_end`.
std::vector<ByteRange> window_parts(int64_t offset, int64_t size, int64_t chunk_end,
                                    std::span<const format::PageLocation> pages, const column::RowSelection* selection,
                                    int64_t to_row, int64_t num_rows) {
  std::vector<ByteRange> out;
  auto add = [&out, chunk_end](int64_t b, int64_t e) {
    e = std::min(e, chunk_end);
    if (b >= e) return;
    if (!out.empty() && b <= out.back().end) out.back().end = std::max(out.back().end, e);
    else out.push_back({b, e});
  };
  add(offset, offset + size);
  for (size_t k = 0; k < pages.size(); ++k) {
    if (pages[k].offset < offset + size) continue;
    const int64_t first = pages[k].first_row_index;
    const int64_t last = k + 1 < pages.size() ? pages[k + 1].first_row_index : num_rows;
    if (first >= to_row) break;
    // As the decoder decides (column/leaf_reader.cc, next_located_page): a page starting in
    // the window is read unless the selection has no row of it.
    if (selection && !selection->intersects(first, std::min(last, to_row))) continue;
    add(pages[k].offset, pages[k].offset + pages[k].compressed_page_size);
  }
  return out;
}

template <class F>
auto with_context(const FileReader& reader, int32_t group, const std::string& column, const char* doing, F&& f) {
  try {
    return f();
  } catch (Error& e) {
    e.set_file(reader.name());
    e.set_row_group(group);
    e.set_column(column);
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::ResourceLimit, std::string("out of memory ") + doing,
                ErrorContext{reader.name(), group, column, {}});
  }
}

}  // namespace

struct FieldStream::Leaf {
  int32_t column = 0;
  const ColumnDescriptor* desc = nullptr;
  int64_t start = 0, size = 0;  // the chunk's bytes in the file
  std::vector<format::PageLocation> locations;
  std::unique_ptr<column::LeafDecoder> decoder;
  column::LeafColumn out;          // the window's levels and values so far
  bool window_done = false;        // `out` has all of the window
  bool fetched_whole = false;      // window_bytes 0: the chunk was given
  bool finished = false;           // read to the chunk's end
  std::shared_ptr<const void> bytes;  // keeps what the decoder was given alive
};

FieldStream::FieldStream(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                         int32_t row_group, const RowGroupPageIndex* page_index, int64_t window_bytes)
    : reader_(&reader), field_(&field), row_group_(row_group), window_bytes_(window_bytes) {
  coalesce_.gap = options.coalesce_gap;
  coalesce_.max_read = options.max_coalesced_read;
  const FileMetadata& md = reader.metadata();
  const ParquetSchema& schema = md.schema();
  const RowGroupMetadata rg = md.row_group(row_group);
  num_rows_ = rg.num_rows();
  page::PageReaderOptions page_options;
  page_options.verify_crc = options.verify_crc;
  page_options.max_page_size = options.max_page_size;
  for (int32_t c : field.plan.leaves) {
    const ColumnDescriptor& desc = schema.column(c);
    with_context(reader, row_group, desc.dotted_path, "opening the column chunk", [&] {
      auto leaf = std::make_unique<Leaf>();
      leaf->column = c;
      leaf->desc = &desc;
      ColumnChunkMetadata chunk = rg.column(c);
      page::PageReaderOptions leaf_options = page_options;
      leaf_options.cipher = FileReaderAccess::cipher(reader, row_group, c);
      leaf_options.dictionary_first = chunk.has_dictionary_page();
      const ByteRange span = chunk_range(reader, rg, c);
      const int64_t start = span.begin, size = span.end - span.begin;
      if (desc.max_repetition_level == 0 && chunk.num_values() != num_rows_) {
        throw Error(ErrorKind::Corrupt, "column chunk has " + std::to_string(chunk.num_values()) +
                                            " values, its row group " + std::to_string(num_rows_) + " rows");
      }
      leaf->start = start;
      leaf->size = size;
      // Flat columns only: writers have split rows of nested ones across pages (arrow-rs
      // before 42, arrow-go), which the offset index's row numbers cannot tell.
      if (page_index && desc.max_repetition_level == 0 && static_cast<size_t>(c) < page_index->offsets.size()) {
        const auto& o = page_index->offsets[static_cast<size_t>(c)];
        if (o && !o->pages.empty()) {
          for (const PageLocation& p : o->pages) leaf->locations.push_back({p.offset, p.compressed_page_size, p.first_row_index});
        }
      }
      column::ChunkInfo info;
      info.column = &desc;
      info.type_length = schema.node(desc.node).type_length;
      info.codec = chunk.compression();
      info.num_values = chunk.num_values();
      info.uncompressed_size = chunk.total_uncompressed_size();
      info.file_offset = start;
      info.size = size;
      info.keep_dictionary = field.dictionary_leaves.count(c) > 0;
      info.levels_as_validity = field.plan.kind == schema::FieldPlan::Kind::Leaf;
      info.num_rows = num_rows_;
      info.page_locations = leaf->locations;
      leaf->decoder = std::make_unique<column::LeafDecoder>(info, leaf_options);
      leaves_.push_back(std::move(leaf));
    });
  }
}

ByteRange chunk_range(const FileReader& reader, const RowGroupMetadata& row_group, int32_t column) {
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
  const ColumnChunkMetadata chunk = row_group.column(column);
  const int64_t start = chunk.file_offset_of_pages();
  int64_t size = chunk.total_compressed_size();
  if (FileReaderAccess::pads_dictionary_header(reader)) {
    // parquet-mr before 1.2.9 left the dictionary page header out of the chunk's size
    // (PARQUET-816, IMPALA-694): read up to 100 bytes more, as Arrow C++ does.
    size += std::min<int64_t>(100, std::max<int64_t>(0, file.size() - start - size));
  }
  if (start < 0 || size < 0 || start > file.size() || size > file.size() - start) {
    throw Error(ErrorKind::Corrupt, "column chunk at offset " + std::to_string(start) + " of " + std::to_string(size) +
                                        " bytes lies outside the file");
  }
  return {start, start + size};
}

FieldStream::~FieldStream() = default;
FieldStream::FieldStream(FieldStream&&) noexcept = default;

// What a leaf's decoder gets when it asks for the bytes at `offset` on (at least `size`):
// its whole chunk (the pages a selection needs, with locations and a selection) the first
// time, or a window of it.
ByteRequest FieldStream::request_for(Leaf& leaf, size_t index, int64_t offset, int64_t size) {
  const int64_t chunk_end = leaf.start + leaf.size;
  ByteRequest r;
  r.leaf = index;
  if (window_bytes_ == 0 && !leaf.locations.empty()) {
    // The pages this window's rows (those of its selection) need, all in one request: a
    // batch scan's later windows, whose selections are not known yet, ask again.
    r.parts = window_parts(offset, size, chunk_end, leaf.locations, selection_, end_, num_rows_);
    r.offset = r.parts.front().begin;
    r.size = r.parts.back().end - r.offset;
    return r;
  }
  if (window_bytes_ == 0) {
    if (leaf.fetched_whole) {
      throw Error(ErrorKind::Corrupt, "the column chunk ends inside a page", ErrorContext{{}, {}, {}, offset});
    }
    leaf.fetched_whole = true;
    r.offset = leaf.start;
    r.size = leaf.size;
    r.parts = {{leaf.start, chunk_end}};
    return r;
  }
  int64_t length = std::min(chunk_end - offset, std::max(size, window_bytes_));
  if (!leaf.locations.empty()) {
    // Pages found by location: the one asked for and the next ones with rows this window
    // wants, as far as they lie close together within the window.
    int64_t stop = offset + size;
    const auto& pages = leaf.locations;
    for (size_t k = 0; k < pages.size(); ++k) {
      const format::PageLocation& p = pages[k];
      if (p.offset < stop) continue;
      const int64_t first = p.first_row_index;
      const int64_t last = k + 1 < pages.size() ? pages[k + 1].first_row_index : num_rows_;
      if (first >= end_) break;
      const int64_t from = std::max(first, next_row_), until = std::min(last, end_);
      if (selection_ ? !selection_->intersects(from, until) : from >= until) continue;
      const int64_t page_end = p.offset + p.compressed_page_size;
      if (p.offset - stop > coalesce_.gap || page_end - offset > std::max(size, window_bytes_)) break;
      stop = page_end;
    }
    length = std::min(chunk_end, stop) - offset;
  }
  r.offset = offset;
  r.size = length;
  r.parts = {{offset, offset + length}};
  return r;
}

bool FieldStream::decode(int64_t end, const column::RowSelection* selection, ReadTally& tally,
                         std::vector<ByteRequest>& needs, size_t stream) {
  end_ = end;
  selection_ = selection;
  const bool last = end >= num_rows_;
  bool done = true;
  for (size_t i = 0; i < leaves_.size(); ++i) {
    Leaf& leaf = *leaves_[i];
    if (leaf.window_done) continue;
    with_context(*reader_, row_group_, leaf.desc->dotted_path, "decoding the column chunk", [&] {
      if (leaf.finished) throw Error(ErrorKind::InvalidArgument, "the column chunk was read to its end");
      if (const auto need = leaf.decoder->read(end, selection, leaf.out)) {
        needs.push_back(request_for(leaf, i, need->offset, need->size));
        needs.back().stream = stream;
        done = false;
        return;
      }
      leaf.window_done = true;
      if (const column::CalendarRule* rule = FileReaderAccess::calendar_rule(*reader_, leaf.column)) {
        column::apply_calendar_rule(leaf.out.values, *rule);
      }
      if (last) {
        leaf.decoder->finish(leaf.out);
        leaf.finished = true;
        leaf.bytes.reset();
      } else if (field_->dictionary_leaves.count(leaf.column)) {
        leaf.decoder->window_dictionary(leaf.out);
      }
      tally.pages_read += leaf.out.pages_decompressed;
      tally.pages_skipped += leaf.out.pages_skipped;
    });
  }
  return done;
}

void FieldStream::supply(const ByteRequest& request, const FetchedBytes& bytes) {
  Leaf& leaf = *leaves_.at(request.leaf);
  leaf.bytes = bytes.owner;
  leaf.decoder->supply(bytes.bytes, request.offset);
}

ArrayPtr FieldStream::take() {
  const ParquetSchema& schema = reader_->metadata().schema();
  const int64_t begin = next_row_;
  next_row_ = std::min(end_, num_rows_);
  const int64_t rows = selection_ ? selection_->count_in(begin, next_row_) : next_row_ - begin;
  std::map<int32_t, column::LeafColumn> decoded;
  for (auto& leaf : leaves_) {
    decoded.emplace(leaf->column, std::move(leaf->out));
    leaf->out = {};
    leaf->window_done = false;
  }
  std::map<int32_t, column::LeafColumn*> leaves;
  for (auto& [c, leaf] : decoded) leaves[c] = &leaf;
  ArrayPtr array = with_context(*reader_, row_group_, field_->plan.field.name, "assembling the column", [&] {
    return nested::assemble(field_->plan, schema, leaves, rows);
  });
  // The next window's levels and string offsets go where these were: memory touched once,
  // not fresh pages for every batch (page faults cost more than the decoding here).
  for (auto& leaf : leaves_) {
    column::LeafColumn& used = decoded.at(leaf->column);
    leaf->out.def_levels = std::move(used.def_levels);
    leaf->out.rep_levels = std::move(used.rep_levels);
    leaf->out.values.offsets = std::move(used.values.offsets);
    leaf->out.def_levels.clear();
    leaf->out.rep_levels.clear();
    leaf->out.values.offsets.assign(1, 0);
  }
  return array;
}

ArrayPtr FieldStream::read(int64_t end, const column::RowSelection* selection, ReadTally& tally, const Prefetch* ahead) {
  std::vector<ByteRequest> needs;
  while (!decode(end, selection, tally, needs)) {
    const std::vector<FetchedBytes> fetched = with_context(*reader_, row_group_, field_->plan.field.name, "reading the column chunk", [&] {
      return fetch(FileReaderAccess::file(*reader_), needs, coalesce_, tally.bytes_read, ahead);
    });
    for (size_t k = 0; k < needs.size(); ++k) supply(needs[k], fetched[k]);
    needs.clear();
  }
  return take();
}

ArrayPtr read_field(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                    const FieldRequest& request, ReadTally& tally) {
  // The offset index is used only to skip what a selection leaves out.
  FieldStream stream(reader, options, field, request.row_group, request.selection ? request.page_index : nullptr, 0);
  return stream.read(INT64_MAX, request.selection, tally, request.ahead);
}

}  // namespace parkett::file

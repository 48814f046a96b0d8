#include "file/field_reader.h"

#include <algorithm>
#include <climits>
#include <map>
#include <new>

#include "column/leaf_reader.h"
#include "file/arrow_schema_hint.h"
#include "file/reader_access.h"
#include "nested/assemble.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

// Byte ranges of a chunk closer than this are fetched in one read.
constexpr int64_t kCoalesceGap = 64 * 1024;

struct ByteRange {
  int64_t begin, end;
};

// The parts of the chunk [start, start + size) a selection needs when pages are found by
// `pages`: what precedes the first page (the dictionary) and the pages with selected rows.
std::vector<ByteRange> needed_ranges(int64_t start, int64_t size, std::span<const format::PageLocation> pages,
                                     const column::RowSelection& selection, int64_t num_rows) {
  std::vector<ByteRange> out;
  auto add = [&out](int64_t b, int64_t e) {
    if (b >= e) return;
    if (!out.empty() && b - out.back().end <= kCoalesceGap) out.back().end = std::max(out.back().end, e);
    else out.push_back({b, e});
  };
  add(start, pages.front().offset);
  for (size_t k = 0; k < pages.size(); ++k) {
    const int64_t end_row = k + 1 < pages.size() ? pages[k + 1].first_row_index : num_rows;
    if (!selection.intersects(pages[k].first_row_index, end_row)) continue;
    add(pages[k].offset, pages[k].offset + pages[k].compressed_page_size);
  }
  for (ByteRange& r : out) r.end = std::min(r.end, start + size);
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
  bool fetched_whole = false;
  bool finished = false;
  std::shared_ptr<Buffer> bytes;   // the chunk, or the window, when storage is not in memory
  table::GrowableBuffer window;    // the window's bytes (window_bytes > 0)
};

FieldStream::FieldStream(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                         int32_t row_group, const RowGroupPageIndex* page_index, int64_t window_bytes)
    : reader_(&reader), field_(&field), row_group_(row_group), window_bytes_(window_bytes) {
  const FileMetadata& md = reader.metadata();
  const ParquetSchema& schema = md.schema();
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
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
      if (chunk.encryption()) {
        // Encryption.md: the pages of an encrypted column are AES modules, not Thrift.
        throw Error(ErrorKind::Crypto, "the column is encrypted: keys are required to read it");
      }
      const int64_t start = chunk.file_offset_of_pages();
      int64_t size = chunk.total_compressed_size();
      if (FileReaderAccess::pads_dictionary_header(reader)) {
        // parquet-mr before 1.2.9 left the dictionary page header out of the chunk's
        // size (PARQUET-816, IMPALA-694): read up to 100 bytes more, as Arrow C++ does.
        size += std::min<int64_t>(100, std::max<int64_t>(0, file.size() - start - size));
      }
      if (start < 0 || size < 0 || start > file.size() || size > file.size() - start) {
        throw Error(ErrorKind::Corrupt, "column chunk at offset " + std::to_string(start) + " of " +
                                            std::to_string(size) + " bytes lies outside the file");
      }
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
      leaf->decoder = std::make_unique<column::LeafDecoder>(info, page_options);
      leaves_.push_back(std::move(leaf));
    });
  }
}

FieldStream::~FieldStream() = default;
FieldStream::FieldStream(FieldStream&&) noexcept = default;

// Gives the leaf's decoder the bytes at `offset` on: storage that holds the file in memory
// lends them in place; otherwise the whole chunk (its needed pages, with locations and a
// selection) or a window of it is read into a buffer.
void FieldStream::fetch(Leaf& leaf, int64_t offset, int64_t size, int64_t end, const column::RowSelection* selection,
                        ReadTally& tally) {
  const io::RandomAccessFile& file = FileReaderAccess::file(*reader_);
  const int64_t chunk_end = leaf.start + leaf.size;
  if (window_bytes_ == 0) {
    if (leaf.fetched_whole) {
      throw Error(ErrorKind::Corrupt, "the column chunk ends inside a page", ErrorContext{{}, {}, {}, offset});
    }
    leaf.fetched_whole = true;
    std::span<const uint8_t> in_place = file.view(leaf.start, leaf.size);
    if (in_place.data() == nullptr) leaf.bytes = Buffer::allocate(static_cast<size_t>(leaf.size));
    if (selection && !leaf.locations.empty()) {
      for (const ByteRange& r : needed_ranges(leaf.start, leaf.size, leaf.locations, *selection, num_rows_)) {
        if (leaf.bytes) file.read_into(r.begin, r.end - r.begin, leaf.bytes->data() + (r.begin - leaf.start));
        tally.bytes_read += r.end - r.begin;
      }
    } else {
      if (leaf.bytes) file.read_into(leaf.start, leaf.size, leaf.bytes->data());
      tally.bytes_read += leaf.size;
    }
    if (leaf.bytes) in_place = std::span<const uint8_t>(leaf.bytes->data(), leaf.bytes->size());
    leaf.decoder->supply(in_place, leaf.start);
    return;
  }
  int64_t length = std::min(chunk_end - offset, std::max(size, window_bytes_));
  if (!leaf.locations.empty()) {
    // Pages found by location: the one asked for and the next ones with rows this read
    // wants, as far as they lie close together within the window.
    int64_t stop = offset + size;
    const auto& pages = leaf.locations;
    for (size_t k = 0; k < pages.size(); ++k) {
      const format::PageLocation& p = pages[k];
      if (p.offset < stop) continue;
      const int64_t first = p.first_row_index;
      const int64_t last = k + 1 < pages.size() ? pages[k + 1].first_row_index : num_rows_;
      if (first >= end) break;
      const int64_t from = std::max(first, next_row_), until = std::min(last, end);
      if (selection ? !selection->intersects(from, until) : from >= until) continue;
      const int64_t page_end = p.offset + p.compressed_page_size;
      if (p.offset - stop > kCoalesceGap || page_end - offset > std::max(size, window_bytes_)) break;
      stop = page_end;
    }
    length = std::min(chunk_end, stop) - offset;
  }
  std::span<const uint8_t> in_place = file.view(offset, length);
  if (in_place.data() == nullptr) {
    leaf.window.clear();
    leaf.window.resize(static_cast<size_t>(length));
    file.read_into(offset, length, leaf.window.data());
    in_place = std::span<const uint8_t>(leaf.window.data(), static_cast<size_t>(length));
  }
  tally.bytes_read += length;
  leaf.decoder->supply(in_place, offset);
}

ArrayPtr FieldStream::read(int64_t end, const column::RowSelection* selection, ReadTally& tally) {
  const FileMetadata& md = reader_->metadata();
  const ParquetSchema& schema = md.schema();
  const bool last = end >= num_rows_;
  std::map<int32_t, column::LeafColumn> decoded;
  for (const auto& leaf : leaves_) {
    with_context(*reader_, row_group_, leaf->desc->dotted_path, "decoding the column chunk", [&] {
      if (leaf->finished) throw Error(ErrorKind::InvalidArgument, "the column chunk was read to its end");
      column::LeafColumn& out = decoded[leaf->column];
      while (const auto need = leaf->decoder->read(end, selection, out)) {
        fetch(*leaf, need->offset, need->size, end, selection, tally);
      }
      if (last) {
        leaf->decoder->finish(out);
        leaf->finished = true;
        leaf->bytes.reset();
        leaf->window = {};
      } else if (field_->dictionary_leaves.count(leaf->column)) {
        leaf->decoder->window_dictionary(out);
      }
      tally.pages_read += out.pages_decompressed;
      tally.pages_skipped += out.pages_skipped;
    });
  }
  const int64_t begin = next_row_;
  next_row_ = std::min(end, num_rows_);
  const int64_t rows = selection ? selection->count_in(begin, next_row_) : next_row_ - begin;
  std::map<int32_t, column::LeafColumn*> leaves;
  for (auto& [c, leaf] : decoded) leaves[c] = &leaf;
  return with_context(*reader_, row_group_, field_->plan.field.name, "assembling the column", [&] {
    return conform(nested::assemble(field_->plan, schema, leaves, rows), field_->output.type);
  });
}

ArrayPtr read_field(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                    const FieldRequest& request, ReadTally& tally) {
  // The offset index is used only to skip what a selection leaves out.
  FieldStream stream(reader, options, field, request.row_group, request.selection ? request.page_index : nullptr, 0);
  return stream.read(INT64_MAX, request.selection, tally);
}

}  // namespace parkett::file

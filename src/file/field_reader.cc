#include "file/field_reader.h"

#include <algorithm>
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
std::vector<ByteRange> needed_ranges(int64_t start, int64_t size, const OffsetIndex& pages,
                                     const column::RowSelection& selection, int64_t num_rows) {
  std::vector<ByteRange> out;
  auto add = [&out](int64_t b, int64_t e) {
    if (b >= e) return;
    if (!out.empty() && b - out.back().end <= kCoalesceGap) out.back().end = std::max(out.back().end, e);
    else out.push_back({b, e});
  };
  add(start, pages.pages.front().offset);
  for (size_t k = 0; k < pages.pages.size(); ++k) {
    const int64_t end_row = k + 1 < pages.pages.size() ? pages.pages[k + 1].first_row_index : num_rows;
    if (!selection.intersects(pages.pages[k].first_row_index, end_row)) continue;
    add(pages.pages[k].offset, pages.pages[k].offset + pages.pages[k].compressed_page_size);
  }
  for (ByteRange& r : out) r.end = std::min(r.end, start + size);
  return out;
}

}  // namespace

ArrayPtr read_field(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                    const FieldRequest& request, ReadTally& tally) {
  const FileMetadata& md = reader.metadata();
  const ParquetSchema& schema = md.schema();
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
  const int32_t g = request.row_group;
  const schema::FieldPlan& plan = field.plan;
  const RowGroupMetadata rg = md.row_group(g);
  const int64_t num_rows = rg.num_rows();
  page::PageReaderOptions page_options;
  page_options.verify_crc = options.verify_crc;
  page_options.max_page_size = options.max_page_size;

  std::map<int32_t, column::LeafColumn> decoded;
  for (int32_t c : plan.leaves) {
    const ColumnDescriptor& desc = schema.column(c);
    try {
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
      if (desc.max_repetition_level == 0 && chunk.num_values() != num_rows) {
        throw Error(ErrorKind::Corrupt, "column chunk has " + std::to_string(chunk.num_values()) +
                                            " values, its row group " + std::to_string(num_rows) + " rows");
      }
      const OffsetIndex* pages = nullptr;
      // Flat columns only: writers have split rows of nested ones across pages (arrow-rs
      // before 42, arrow-go), which the offset index's row numbers cannot tell.
      if (request.selection && request.page_index && desc.max_repetition_level == 0 &&
          static_cast<size_t>(c) < request.page_index->offsets.size()) {
        const auto& o = request.page_index->offsets[static_cast<size_t>(c)];
        if (o && !o->pages.empty()) pages = &*o;
      }
      // Storage that holds the file in memory is decoded in place. Otherwise the chunk's
      // bytes (with pages located, only those needed: the rest of the buffer is never
      // looked at) go to a pooled buffer.
      std::span<const uint8_t> in_place = file.view(start, size);
      std::shared_ptr<Buffer> bytes;
      if (pages) {
        const auto ranges = needed_ranges(start, size, *pages, *request.selection, num_rows);
        if (in_place.data() == nullptr) bytes = Buffer::allocate(static_cast<size_t>(size));
        for (const ByteRange& r : ranges) {
          if (bytes) file.read_into(r.begin, r.end - r.begin, bytes->data() + (r.begin - start));
          tally.bytes_read += r.end - r.begin;
        }
      } else {
        if (in_place.data() == nullptr) {
          bytes = Buffer::allocate(static_cast<size_t>(size));
          file.read_into(start, size, bytes->data());
        }
        tally.bytes_read += size;
      }
      if (bytes) in_place = std::span<const uint8_t>(bytes->data(), bytes->size());
      column::ChunkInfo info;
      info.column = &desc;
      info.type_length = schema.node(desc.node).type_length;
      info.codec = chunk.compression();
      info.num_values = chunk.num_values();
      info.uncompressed_size = chunk.total_uncompressed_size();
      info.file_offset = start;
      info.keep_dictionary = field.dictionary_leaves.count(c) > 0;
      info.levels_as_validity = plan.kind == schema::FieldPlan::Kind::Leaf;
      info.selection = request.selection;
      info.num_rows = num_rows;
      std::vector<format::PageLocation> locations;
      if (pages) {
        for (const PageLocation& p : pages->pages) locations.push_back({p.offset, p.compressed_page_size, p.first_row_index});
        info.page_locations = locations;
      }
      column::LeafColumn leaf = column::read_leaf(in_place, info, page_options);
      tally.pages_read += leaf.pages_decompressed;
      tally.pages_skipped += leaf.pages_skipped;
      decoded.emplace(c, std::move(leaf));
    } catch (Error& e) {
      e.set_file(reader.name());
      e.set_row_group(g);
      e.set_column(desc.dotted_path);
      throw;
    } catch (const std::bad_alloc&) {
      throw Error(ErrorKind::ResourceLimit, "out of memory decoding the column chunk",
                  ErrorContext{reader.name(), g, desc.dotted_path, {}});
    }
  }
  std::map<int32_t, column::LeafColumn*> leaves;
  for (auto& [c, leaf] : decoded) leaves[c] = &leaf;
  const int64_t rows = request.selection ? request.selection->row_count() : num_rows;
  try {
    return conform(nested::assemble(plan, schema, leaves, rows), field.output.type);
  } catch (Error& e) {
    e.set_file(reader.name());
    e.set_row_group(g);
    e.set_column(plan.field.name);
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::ResourceLimit, "out of memory assembling the column",
                ErrorContext{reader.name(), g, plan.field.name, {}});
  }
}

}  // namespace parkett::file

// Row group and column chunk metadata handles; lazy decoding of column chunks.
#include "file/file_metadata_impl.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett {

using detail::FileMetadataImpl;
using format::ChunkSummary;

namespace detail {

void FileMetadataImpl::validate_chunk(const ChunkSummary& c, int32_t column) const {
  if (!c.has(ChunkSummary::kHasMetaData)) return;
  const ColumnDescriptor& desc = schema.column(column);
  if (c.path_length != desc.path.size() ||
      c.path_hash != column_path_hashes[static_cast<size_t>(column)]) {
    // Decode the path itself for the message (rare: only for broken files).
    format::ColumnChunk full;
    format::deserialize(reinterpret_cast<const uint8_t*>(footer.data()) + c.bytes.offset,
                        c.bytes.length, full);
    std::string path;
    for (const auto& p : full.meta_data->path_in_schema) path += (path.empty() ? "" : ".") + p;
    throw Error(ErrorKind::Corrupt, "column chunk path '" + path +
                                        "' does not match the schema column '" +
                                        desc.dotted_path + "'");
  }
  if (static_cast<int32_t>(c.type) != static_cast<int32_t>(desc.physical_type)) {
    throw Error(ErrorKind::Corrupt,
                "column chunk has physical type " + to_string(static_cast<PhysicalType>(c.type)) +
                    " but the schema says " + to_string(desc.physical_type));
  }
  if (c.num_values < 0 || c.total_compressed_size < 0 || c.total_uncompressed_size < 0) {
    throw Error(ErrorKind::Corrupt, "column chunk has negative counts or sizes");
  }
}

const ChunkSummary& FileMetadataImpl::chunk(int32_t row_group, int32_t column) const {
  const size_t i = slot(row_group, column);
  if (const ChunkSummary* c = summaries.get(i)) return *c;
  ensure_located(row_group, column);
  const format::RawStruct& raw =
      index.row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
  auto fresh = std::make_unique<ChunkSummary>();
  try {
    thrift::CompactReader r(reinterpret_cast<const uint8_t*>(footer.data()),
                            static_cast<size_t>(raw.offset) + raw.length);
    r.skip_to(raw.offset);
    format::decode_chunk_summary(r, *fresh);
  } catch (Error& e) {
    Error located(e.kind(), "cannot decode column chunk metadata: " + e.message());
    locate(located, row_group, column);
    throw located;
  }
  try {
    validate_chunk(*fresh, column);
  } catch (Error& e) {
    locate(e, row_group, column);
    throw;
  }
  decoded.fetch_add(1, std::memory_order_relaxed);
  return summaries.publish(i, std::move(fresh));
}

const format::ColumnChunk& FileMetadataImpl::full_chunk(int32_t row_group, int32_t column) const {
  const ChunkSummary& summary = chunk(row_group, column);  // validates the chunk first
  const size_t i = slot(row_group, column);
  if (const format::ColumnChunk* c = full_chunks.get(i)) return *c;
  auto fresh = std::make_unique<format::ColumnChunk>();
  try {
    format::deserialize(reinterpret_cast<const uint8_t*>(footer.data()) + summary.bytes.offset,
                        summary.bytes.length, *fresh);
  } catch (Error& e) {
    Error located(e.kind(), "cannot decode column chunk metadata: " + e.message());
    locate(located, row_group, column);
    throw located;
  }
  return full_chunks.publish(i, std::move(fresh));
}

const ChunkSummary& FileMetadataImpl::meta(int32_t row_group, int32_t column) const {
  const ChunkSummary& c = chunk(row_group, column);
  if (!c.has(ChunkSummary::kHasMetaData)) {
    Error e = c.has(ChunkSummary::kHasEncryptedMetaData) || c.has(ChunkSummary::kHasCryptoMetaData)
                  ? Error(ErrorKind::Crypto,
                          "column metadata is encrypted: keys are required to read it")
                  : Error(ErrorKind::Corrupt, "column chunk has no ColumnMetaData");
    locate(e, row_group, column);
    throw e;
  }
  return c;
}

void FileMetadataImpl::locate(Error& e, int32_t row_group, int32_t column) const {
  if (!source.empty()) e.set_file(source);
  e.set_row_group(row_group);
  e.set_column(schema.column(column).dotted_path);
}

RowGroupMetadata FileMetadataImpl::row_group_handle(int32_t row_group) const {
  RowGroupMetadata h;
  h.file_ = shared_from_this();
  h.row_group_ = row_group;
  return h;
}

ColumnChunkMetadata FileMetadataImpl::chunk_handle(int32_t row_group, int32_t column) const {
  ColumnChunkMetadata h;
  h.file_ = shared_from_this();
  h.row_group_ = row_group;
  h.column_ = column;
  h.chunk_ = &chunk(row_group, column);
  return h;
}

}  // namespace detail

namespace {

// The row group's own fields, walking the footer that far if needed.
const format::RowGroupIndex& rg_of(const std::shared_ptr<const FileMetadataImpl>& f, int32_t i) {
  const FileMetadataImpl& impl = FileMetadataImpl::of(f);
  impl.ensure_located(i, -1);
  return impl.index.row_groups[static_cast<size_t>(i)];
}

}  // namespace

int64_t RowGroupMetadata::num_rows() const { return rg_of(file_, row_group_).num_rows; }
int32_t RowGroupMetadata::num_columns() const {
  // Every row group has one chunk per leaf column (checked when it is walked).
  return FileMetadataImpl::of(file_).schema.num_columns();
}
int64_t RowGroupMetadata::total_byte_size() const {
  return rg_of(file_, row_group_).total_byte_size;
}
std::optional<int64_t> RowGroupMetadata::total_compressed_size() const {
  return rg_of(file_, row_group_).total_compressed_size;
}
std::optional<int64_t> RowGroupMetadata::file_offset() const {
  return rg_of(file_, row_group_).file_offset;
}
std::optional<int16_t> RowGroupMetadata::ordinal() const { return rg_of(file_, row_group_).ordinal; }

std::vector<SortingColumn> RowGroupMetadata::sorting_columns() const {
  std::vector<SortingColumn> out;
  const auto& sc = rg_of(file_, row_group_).sorting_columns;
  if (sc) {
    for (const auto& s : *sc) out.push_back({s.column_idx, s.descending, s.nulls_first});
  }
  return out;
}

ColumnChunkMetadata RowGroupMetadata::column(int32_t i) const {
  if (i < 0 || i >= num_columns()) {
    throw Error(ErrorKind::InvalidArgument,
                "column " + std::to_string(i) + " does not exist; the row group has " +
                    std::to_string(num_columns()),
                ErrorContext{{}, row_group_, {}, {}});
  }
  return FileMetadataImpl::of(file_).chunk_handle(row_group_, i);
}

// ---- ColumnChunkMetadata: common fields from the summary, rare ones from the full chunk.

namespace {

const ChunkSummary& summary_of(const void* p) { return *static_cast<const ChunkSummary*>(p); }

template <class T>
std::optional<T> if_flag(const ChunkSummary& c, ChunkSummary::Flag f, T v) {
  return c.has(f) ? std::optional<T>(v) : std::nullopt;
}

}  // namespace

#define PARKETT_META() FileMetadataImpl::of(file_).meta(row_group_, column_)
#define PARKETT_FULL() FileMetadataImpl::of(file_).full_chunk(row_group_, column_)

const ColumnDescriptor& ColumnChunkMetadata::descriptor() const {
  return FileMetadataImpl::of(file_).schema.column(column_);
}

std::string ColumnChunkMetadata::path_in_schema() const {
  // The chunk's path equals the schema column's (validated when the chunk was decoded).
  return descriptor().dotted_path;
}

PhysicalType ColumnChunkMetadata::physical_type() const { return descriptor().physical_type; }
Compression ColumnChunkMetadata::compression() const {
  return static_cast<Compression>(PARKETT_META().codec);
}
std::vector<Encoding> ColumnChunkMetadata::encodings() const {
  const ChunkSummary& c = PARKETT_META();
  std::vector<Encoding> out;
  if (c.has(ChunkSummary::kMoreEncodings)) {
    for (auto e : PARKETT_FULL().meta_data->encodings) out.push_back(static_cast<Encoding>(e));
    return out;
  }
  for (int i = 0; i < c.num_encodings; ++i) out.push_back(static_cast<Encoding>(c.encodings[i]));
  return out;
}
std::optional<std::vector<PageEncodingCount>> ColumnChunkMetadata::encoding_stats() const {
  if (!PARKETT_META().has(ChunkSummary::kHasEncodingStats)) return std::nullopt;
  std::vector<PageEncodingCount> out;
  for (const auto& s : *PARKETT_FULL().meta_data->encoding_stats) {
    out.push_back({static_cast<PageType>(s.page_type), static_cast<Encoding>(s.encoding), s.count});
  }
  return out;
}
int64_t ColumnChunkMetadata::num_values() const { return PARKETT_META().num_values; }
int64_t ColumnChunkMetadata::total_compressed_size() const {
  return PARKETT_META().total_compressed_size;
}
int64_t ColumnChunkMetadata::total_uncompressed_size() const {
  return PARKETT_META().total_uncompressed_size;
}
int64_t ColumnChunkMetadata::data_page_offset() const { return PARKETT_META().data_page_offset; }
std::optional<int64_t> ColumnChunkMetadata::dictionary_page_offset() const {
  const ChunkSummary& c = PARKETT_META();
  // Some writers store 0 for "no dictionary": a dictionary page cannot start at the magic.
  if (c.has(ChunkSummary::kHasDictionaryPageOffset) && c.dictionary_page_offset > 0) {
    return c.dictionary_page_offset;
  }
  return std::nullopt;
}
std::optional<int64_t> ColumnChunkMetadata::index_page_offset() const {
  const ChunkSummary& c = PARKETT_META();
  return if_flag(c, ChunkSummary::kHasIndexPageOffset, c.index_page_offset);
}
int64_t ColumnChunkMetadata::file_offset_of_pages() const {
  auto dict = dictionary_page_offset();
  int64_t data = data_page_offset();
  return dict && *dict < data ? *dict : data;
}
int64_t ColumnChunkMetadata::file_offset() const { return summary_of(chunk_).file_offset; }
std::optional<std::string> ColumnChunkMetadata::file_path() const {
  if (!summary_of(chunk_).has(ChunkSummary::kHasFilePath)) return std::nullopt;
  return PARKETT_FULL().file_path;
}

std::optional<Statistics> ColumnChunkMetadata::statistics() const {
  const ChunkSummary& c = PARKETT_META();
  if (!c.has(ChunkSummary::kHasStatistics)) return std::nullopt;
  return FileMetadataImpl::of(file_).make_statistics(c.statistics, column_);
}

std::optional<SizeStatistics> ColumnChunkMetadata::size_statistics() const {
  if (!PARKETT_META().has(ChunkSummary::kHasSizeStatistics)) return std::nullopt;
  const auto& s = *PARKETT_FULL().meta_data->size_statistics;
  return SizeStatistics{s.unencoded_byte_array_data_bytes, s.repetition_level_histogram,
                        s.definition_level_histogram};
}

std::optional<GeospatialStatistics> ColumnChunkMetadata::geospatial_statistics() const {
  if (!PARKETT_META().has(ChunkSummary::kHasGeospatialStatistics)) return std::nullopt;
  const auto& g = *PARKETT_FULL().meta_data->geospatial_statistics;
  GeospatialStatistics out;
  if (const auto& b = g.bbox) {
    out.bbox = GeospatialStatistics::BoundingBox{b->xmin, b->xmax, b->ymin, b->ymax,
                                                 b->zmin, b->zmax, b->mmin, b->mmax};
  }
  out.geospatial_types = g.geospatial_types;
  return out;
}

std::optional<KeyValueMetadata> ColumnChunkMetadata::key_value_metadata() const {
  if (!PARKETT_META().has(ChunkSummary::kHasKeyValueMetadata)) return std::nullopt;
  KeyValueMetadata out;
  for (const auto& kv : *PARKETT_FULL().meta_data->key_value_metadata) {
    out.emplace_back(kv.key, kv.value);
  }
  return out;
}

std::optional<int64_t> ColumnChunkMetadata::bloom_filter_offset() const {
  const ChunkSummary& c = PARKETT_META();
  return if_flag(c, ChunkSummary::kHasBloomFilterOffset, c.bloom_filter_offset);
}
std::optional<int32_t> ColumnChunkMetadata::bloom_filter_length() const {
  const ChunkSummary& c = PARKETT_META();
  return if_flag(c, ChunkSummary::kHasBloomFilterLength, c.bloom_filter_length);
}
std::optional<int64_t> ColumnChunkMetadata::column_index_offset() const {
  const ChunkSummary& c = summary_of(chunk_);
  return if_flag(c, ChunkSummary::kHasColumnIndexOffset, c.column_index_offset);
}
std::optional<int32_t> ColumnChunkMetadata::column_index_length() const {
  const ChunkSummary& c = summary_of(chunk_);
  return if_flag(c, ChunkSummary::kHasColumnIndexLength, c.column_index_length);
}
std::optional<int64_t> ColumnChunkMetadata::offset_index_offset() const {
  const ChunkSummary& c = summary_of(chunk_);
  return if_flag(c, ChunkSummary::kHasOffsetIndexOffset, c.offset_index_offset);
}
std::optional<int32_t> ColumnChunkMetadata::offset_index_length() const {
  const ChunkSummary& c = summary_of(chunk_);
  return if_flag(c, ChunkSummary::kHasOffsetIndexLength, c.offset_index_length);
}

std::optional<ColumnEncryption> ColumnChunkMetadata::encryption() const {
  if (!summary_of(chunk_).has(ChunkSummary::kHasCryptoMetaData)) return std::nullopt;
  const auto& crypto = *PARKETT_FULL().crypto_metadata;
  ColumnEncryption out;
  if (crypto.ENCRYPTION_WITH_FOOTER_KEY) out.with_footer_key = true;
  if (const auto& k = crypto.ENCRYPTION_WITH_COLUMN_KEY) {
    out.path = k->path_in_schema;
    out.key_metadata = k->key_metadata;
  }
  return out;
}

bool ColumnChunkMetadata::metadata_encrypted() const {
  return !summary_of(chunk_).has(ChunkSummary::kHasMetaData);
}

#undef PARKETT_META
#undef PARKETT_FULL

}  // namespace parkett

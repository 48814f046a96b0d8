// Row group and column chunk metadata handles; lazy decoding of column chunks.
#include "file/file_metadata_impl.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett {

using detail::FileMetadataImpl;

namespace detail {

void FileMetadataImpl::validate_chunk(const format::ColumnChunk& c, int32_t row_group,
                                      int32_t column) const {
  const ColumnDescriptor& desc = schema.column(column);
  if (c.meta_data) {
    const auto& md = *c.meta_data;
    if (md.path_in_schema != desc.path) {
      std::string path;
      for (const auto& p : md.path_in_schema) path += (path.empty() ? "" : ".") + p;
      throw Error(ErrorKind::Corrupt,
                  "column chunk path '" + path + "' does not match the schema column '" +
                      desc.dotted_path + "'",
                  ErrorContext{{}, row_group, desc.dotted_path, {}});
    }
    if (static_cast<int32_t>(md.type) != static_cast<int32_t>(desc.physical_type)) {
      throw Error(ErrorKind::Corrupt,
                  "column chunk has physical type " +
                      to_string(static_cast<PhysicalType>(md.type)) + " but the schema says " +
                      to_string(desc.physical_type),
                  ErrorContext{{}, row_group, desc.dotted_path, {}});
    }
    if (md.num_values < 0 || md.total_compressed_size < 0 || md.total_uncompressed_size < 0) {
      throw Error(ErrorKind::Corrupt, "column chunk has negative counts or sizes",
                  ErrorContext{{}, row_group, desc.dotted_path, {}});
    }
  }
}

const format::ColumnChunk& FileMetadataImpl::chunk(int32_t row_group, int32_t column) const {
  auto& slot = slots[row_group_base[static_cast<size_t>(row_group)] + static_cast<size_t>(column)];
  if (const format::ColumnChunk* c = slot.load(std::memory_order_acquire)) return *c;

  const format::RawStruct& raw =
      index.row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
  auto fresh = std::make_unique<format::ColumnChunk>();
  try {
    format::deserialize(reinterpret_cast<const uint8_t*>(footer.data()) + raw.offset,
                        raw.length, *fresh);
  } catch (Error& e) {
    Error located(e.kind(), "cannot decode column chunk metadata: " + e.message());
    locate(located, row_group, column);
    throw located;
  }
  try {
    validate_chunk(*fresh, row_group, column);
  } catch (Error& e) {
    locate(e, row_group, column);
    throw;
  }
  const format::ColumnChunk* expected = nullptr;
  if (slot.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) {
    std::lock_guard lock(owned_mutex);
    owned.push_back(std::move(fresh));
    decoded.fetch_add(1, std::memory_order_relaxed);
    return *owned.back();
  }
  return *expected;  // another thread decoded it first
}

const format::ColumnMetaData& FileMetadataImpl::meta(int32_t row_group, int32_t column) const {
  const format::ColumnChunk& c = chunk(row_group, column);
  if (!c.meta_data) {
    Error e = c.encrypted_column_metadata || c.crypto_metadata
                  ? Error(ErrorKind::Crypto,
                          "column metadata is encrypted: keys are required to read it")
                  : Error(ErrorKind::Corrupt, "column chunk has no ColumnMetaData");
    locate(e, row_group, column);
    throw e;
  }
  return *c.meta_data;
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

const format::RowGroupIndex& rg_of(const std::shared_ptr<const FileMetadataImpl>& f, int32_t i) {
  return FileMetadataImpl::of(f).index.row_groups[static_cast<size_t>(i)];
}

}  // namespace

int64_t RowGroupMetadata::num_rows() const { return rg_of(file_, row_group_).num_rows; }
int32_t RowGroupMetadata::num_columns() const {
  return static_cast<int32_t>(rg_of(file_, row_group_).columns.size());
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

// ---- ColumnChunkMetadata

namespace {

const format::ColumnChunk& cc(const void* p) { return *static_cast<const format::ColumnChunk*>(p); }

}  // namespace

#define PARKETT_META() FileMetadataImpl::of(file_).meta(row_group_, column_)

const ColumnDescriptor& ColumnChunkMetadata::descriptor() const {
  return FileMetadataImpl::of(file_).schema.column(column_);
}

std::string ColumnChunkMetadata::path_in_schema() const {
  const auto& c = cc(chunk_);
  const std::vector<std::string>* parts = nullptr;
  if (c.meta_data) {
    parts = &c.meta_data->path_in_schema;
  } else if (c.crypto_metadata && c.crypto_metadata->ENCRYPTION_WITH_COLUMN_KEY) {
    parts = &c.crypto_metadata->ENCRYPTION_WITH_COLUMN_KEY->path_in_schema;
  }
  if (!parts) return descriptor().dotted_path;
  std::string out;
  for (const auto& p : *parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

PhysicalType ColumnChunkMetadata::physical_type() const { return descriptor().physical_type; }
Compression ColumnChunkMetadata::compression() const {
  return static_cast<Compression>(PARKETT_META().codec);
}
std::vector<Encoding> ColumnChunkMetadata::encodings() const {
  std::vector<Encoding> out;
  for (auto e : PARKETT_META().encodings) out.push_back(static_cast<Encoding>(e));
  return out;
}
std::optional<std::vector<PageEncodingCount>> ColumnChunkMetadata::encoding_stats() const {
  const auto& md = PARKETT_META();
  if (!md.encoding_stats) return std::nullopt;
  std::vector<PageEncodingCount> out;
  for (const auto& s : *md.encoding_stats) {
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
  const auto& md = PARKETT_META();
  // Some writers store 0 for "no dictionary": a dictionary page cannot start at the magic.
  if (md.dictionary_page_offset && *md.dictionary_page_offset > 0) return md.dictionary_page_offset;
  return std::nullopt;
}
std::optional<int64_t> ColumnChunkMetadata::index_page_offset() const {
  return PARKETT_META().index_page_offset;
}
int64_t ColumnChunkMetadata::file_offset_of_pages() const {
  auto dict = dictionary_page_offset();
  int64_t data = data_page_offset();
  return dict && *dict < data ? *dict : data;
}
int64_t ColumnChunkMetadata::file_offset() const { return cc(chunk_).file_offset; }
std::optional<std::string> ColumnChunkMetadata::file_path() const { return cc(chunk_).file_path; }

std::optional<Statistics> ColumnChunkMetadata::statistics() const {
  const auto& md = PARKETT_META();
  if (!md.statistics) return std::nullopt;
  return FileMetadataImpl::of(file_).make_statistics(*md.statistics, column_);
}

std::optional<SizeStatistics> ColumnChunkMetadata::size_statistics() const {
  const auto& md = PARKETT_META();
  if (!md.size_statistics) return std::nullopt;
  const auto& s = *md.size_statistics;
  return SizeStatistics{s.unencoded_byte_array_data_bytes, s.repetition_level_histogram,
                        s.definition_level_histogram};
}

std::optional<GeospatialStatistics> ColumnChunkMetadata::geospatial_statistics() const {
  const auto& md = PARKETT_META();
  if (!md.geospatial_statistics) return std::nullopt;
  GeospatialStatistics out;
  if (const auto& b = md.geospatial_statistics->bbox) {
    out.bbox = GeospatialStatistics::BoundingBox{b->xmin, b->xmax, b->ymin, b->ymax,
                                                 b->zmin, b->zmax, b->mmin, b->mmax};
  }
  out.geospatial_types = md.geospatial_statistics->geospatial_types;
  return out;
}

std::optional<KeyValueMetadata> ColumnChunkMetadata::key_value_metadata() const {
  const auto& md = PARKETT_META();
  if (!md.key_value_metadata) return std::nullopt;
  KeyValueMetadata out;
  for (const auto& kv : *md.key_value_metadata) out.emplace_back(kv.key, kv.value);
  return out;
}

std::optional<int64_t> ColumnChunkMetadata::bloom_filter_offset() const {
  return PARKETT_META().bloom_filter_offset;
}
std::optional<int32_t> ColumnChunkMetadata::bloom_filter_length() const {
  return PARKETT_META().bloom_filter_length;
}
std::optional<int64_t> ColumnChunkMetadata::column_index_offset() const {
  return cc(chunk_).column_index_offset;
}
std::optional<int32_t> ColumnChunkMetadata::column_index_length() const {
  return cc(chunk_).column_index_length;
}
std::optional<int64_t> ColumnChunkMetadata::offset_index_offset() const {
  return cc(chunk_).offset_index_offset;
}
std::optional<int32_t> ColumnChunkMetadata::offset_index_length() const {
  return cc(chunk_).offset_index_length;
}

std::optional<ColumnEncryption> ColumnChunkMetadata::encryption() const {
  const auto& c = cc(chunk_);
  if (!c.crypto_metadata) return std::nullopt;
  ColumnEncryption out;
  if (c.crypto_metadata->ENCRYPTION_WITH_FOOTER_KEY) out.with_footer_key = true;
  if (const auto& k = c.crypto_metadata->ENCRYPTION_WITH_COLUMN_KEY) {
    out.path = k->path_in_schema;
    out.key_metadata = k->key_metadata;
  }
  return out;
}

bool ColumnChunkMetadata::metadata_encrypted() const { return !cc(chunk_).meta_data.has_value(); }

#undef PARKETT_META

}  // namespace parkett

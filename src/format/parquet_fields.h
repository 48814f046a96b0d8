// The field lists of parquet.thrift: for each struct, its fields in id order as
// f(id, name, member, required). serde.cc drives reading and writing from these lists.
// Private to format/.
#pragma once

#include <type_traits>

#include "format/parquet_types.h"

namespace parkett::format {

enum Req : bool { kOptional = false, kRequired = true };

// visit_fields(s, f) for a struct T, callable on T& and const T&.
#define PARKETT_FIELDS(T)                                                       \
  template <class S, class F>                                                   \
    requires std::is_same_v<std::remove_const_t<S>, T>                          \
  inline void visit_fields(S& s, F&& f)

template <class S, class F>
  requires std::is_same_v<std::remove_const_t<S>, Empty>
inline void visit_fields(S&, F&&) {}

template <class S, class F>
  requires std::is_same_v<std::remove_const_t<S>, RawStruct>
inline void visit_fields(S&, F&&) {}

PARKETT_FIELDS(SizeStatistics) {
  f(1, "unencoded_byte_array_data_bytes", s.unencoded_byte_array_data_bytes, kOptional);
  f(2, "repetition_level_histogram", s.repetition_level_histogram, kOptional);
  f(3, "definition_level_histogram", s.definition_level_histogram, kOptional);
}

PARKETT_FIELDS(BoundingBox) {
  f(1, "xmin", s.xmin, kRequired);
  f(2, "xmax", s.xmax, kRequired);
  f(3, "ymin", s.ymin, kRequired);
  f(4, "ymax", s.ymax, kRequired);
  f(5, "zmin", s.zmin, kOptional);
  f(6, "zmax", s.zmax, kOptional);
  f(7, "mmin", s.mmin, kOptional);
  f(8, "mmax", s.mmax, kOptional);
}

PARKETT_FIELDS(GeospatialStatistics) {
  f(1, "bbox", s.bbox, kOptional);
  f(2, "geospatial_types", s.geospatial_types, kOptional);
}

PARKETT_FIELDS(Statistics) {
  f(1, "max", s.max, kOptional);
  f(2, "min", s.min, kOptional);
  f(3, "null_count", s.null_count, kOptional);
  f(4, "distinct_count", s.distinct_count, kOptional);
  f(5, "max_value", s.max_value, kOptional);
  f(6, "min_value", s.min_value, kOptional);
  f(7, "is_max_value_exact", s.is_max_value_exact, kOptional);
  f(8, "is_min_value_exact", s.is_min_value_exact, kOptional);
  f(9, "nan_count", s.nan_count, kOptional);
}

PARKETT_FIELDS(DecimalType) {
  f(1, "scale", s.scale, kRequired);
  f(2, "precision", s.precision, kRequired);
}

PARKETT_FIELDS(TimeUnit) {
  f(1, "MILLIS", s.MILLIS, kOptional);
  f(2, "MICROS", s.MICROS, kOptional);
  f(3, "NANOS", s.NANOS, kOptional);
}

PARKETT_FIELDS(TimestampType) {
  f(1, "isAdjustedToUTC", s.isAdjustedToUTC, kRequired);
  f(2, "unit", s.unit, kRequired);
}

PARKETT_FIELDS(TimeType) {
  f(1, "isAdjustedToUTC", s.isAdjustedToUTC, kRequired);
  f(2, "unit", s.unit, kRequired);
}

PARKETT_FIELDS(IntType) {
  f(1, "bitWidth", s.bitWidth, kRequired);
  f(2, "isSigned", s.isSigned, kRequired);
}

PARKETT_FIELDS(VariantType) {
  f(1, "specification_version", s.specification_version, kOptional);
}

PARKETT_FIELDS(GeometryType) { f(1, "crs", s.crs, kOptional); }

PARKETT_FIELDS(GeographyType) {
  f(1, "crs", s.crs, kOptional);
  f(2, "algorithm", s.algorithm, kOptional);
}

PARKETT_FIELDS(LogicalType) {
  f(1, "STRING", s.STRING, kOptional);
  f(2, "MAP", s.MAP, kOptional);
  f(3, "LIST", s.LIST, kOptional);
  f(4, "ENUM", s.ENUM, kOptional);
  f(5, "DECIMAL", s.DECIMAL, kOptional);
  f(6, "DATE", s.DATE, kOptional);
  f(7, "TIME", s.TIME, kOptional);
  f(8, "TIMESTAMP", s.TIMESTAMP, kOptional);
  f(10, "INTEGER", s.INTEGER, kOptional);
  f(11, "UNKNOWN", s.UNKNOWN, kOptional);
  f(12, "JSON", s.JSON, kOptional);
  f(13, "BSON", s.BSON, kOptional);
  f(14, "UUID", s.UUID, kOptional);
  f(15, "FLOAT16", s.FLOAT16, kOptional);
  f(16, "VARIANT", s.VARIANT, kOptional);
  f(17, "GEOMETRY", s.GEOMETRY, kOptional);
  f(18, "GEOGRAPHY", s.GEOGRAPHY, kOptional);
  f(19, "VECTOR", s.VECTOR, kOptional);
}

PARKETT_FIELDS(SchemaElement) {
  f(1, "type", s.type, kOptional);
  f(2, "type_length", s.type_length, kOptional);
  f(3, "repetition_type", s.repetition_type, kOptional);
  f(4, "name", s.name, kRequired);
  f(5, "num_children", s.num_children, kOptional);
  f(6, "converted_type", s.converted_type, kOptional);
  f(7, "scale", s.scale, kOptional);
  f(8, "precision", s.precision, kOptional);
  f(9, "field_id", s.field_id, kOptional);
  f(10, "logicalType", s.logicalType, kOptional);
  f(11, "vector_length", s.vector_length, kOptional);
}

PARKETT_FIELDS(DataPageHeader) {
  f(1, "num_values", s.num_values, kRequired);
  f(2, "encoding", s.encoding, kRequired);
  f(3, "definition_level_encoding", s.definition_level_encoding, kRequired);
  f(4, "repetition_level_encoding", s.repetition_level_encoding, kRequired);
  f(5, "statistics", s.statistics, kOptional);
}

PARKETT_FIELDS(DictionaryPageHeader) {
  f(1, "num_values", s.num_values, kRequired);
  f(2, "encoding", s.encoding, kRequired);
  f(3, "is_sorted", s.is_sorted, kOptional);
}

PARKETT_FIELDS(DataPageHeaderV2) {
  f(1, "num_values", s.num_values, kRequired);
  f(2, "num_nulls", s.num_nulls, kRequired);
  f(3, "num_rows", s.num_rows, kRequired);
  f(4, "encoding", s.encoding, kRequired);
  f(5, "definition_levels_byte_length", s.definition_levels_byte_length, kRequired);
  f(6, "repetition_levels_byte_length", s.repetition_levels_byte_length, kRequired);
  f(7, "is_compressed", s.is_compressed, kOptional);
  f(8, "statistics", s.statistics, kOptional);
}

PARKETT_FIELDS(BloomFilterAlgorithm) { f(1, "BLOCK", s.BLOCK, kOptional); }
PARKETT_FIELDS(BloomFilterHash) { f(1, "XXHASH", s.XXHASH, kOptional); }
PARKETT_FIELDS(BloomFilterCompression) { f(1, "UNCOMPRESSED", s.UNCOMPRESSED, kOptional); }

PARKETT_FIELDS(BloomFilterHeader) {
  f(1, "numBytes", s.numBytes, kRequired);
  f(2, "algorithm", s.algorithm, kRequired);
  f(3, "hash", s.hash, kRequired);
  f(4, "compression", s.compression, kRequired);
}

PARKETT_FIELDS(PageHeader) {
  f(1, "type", s.type, kRequired);
  f(2, "uncompressed_page_size", s.uncompressed_page_size, kRequired);
  f(3, "compressed_page_size", s.compressed_page_size, kRequired);
  f(4, "crc", s.crc, kOptional);
  f(5, "data_page_header", s.data_page_header, kOptional);
  f(6, "index_page_header", s.index_page_header, kOptional);
  f(7, "dictionary_page_header", s.dictionary_page_header, kOptional);
  f(8, "data_page_header_v2", s.data_page_header_v2, kOptional);
}

PARKETT_FIELDS(KeyValue) {
  f(1, "key", s.key, kRequired);
  f(2, "value", s.value, kOptional);
}

PARKETT_FIELDS(SortingColumn) {
  f(1, "column_idx", s.column_idx, kRequired);
  f(2, "descending", s.descending, kRequired);
  f(3, "nulls_first", s.nulls_first, kRequired);
}

PARKETT_FIELDS(PageEncodingStats) {
  f(1, "page_type", s.page_type, kRequired);
  f(2, "encoding", s.encoding, kRequired);
  f(3, "count", s.count, kRequired);
}

PARKETT_FIELDS(ColumnMetaData) {
  f(1, "type", s.type, kRequired);
  f(2, "encodings", s.encodings, kRequired);
  f(3, "path_in_schema", s.path_in_schema, kRequired);
  f(4, "codec", s.codec, kRequired);
  f(5, "num_values", s.num_values, kRequired);
  f(6, "total_uncompressed_size", s.total_uncompressed_size, kRequired);
  f(7, "total_compressed_size", s.total_compressed_size, kRequired);
  f(8, "key_value_metadata", s.key_value_metadata, kOptional);
  f(9, "data_page_offset", s.data_page_offset, kRequired);
  f(10, "index_page_offset", s.index_page_offset, kOptional);
  f(11, "dictionary_page_offset", s.dictionary_page_offset, kOptional);
  f(12, "statistics", s.statistics, kOptional);
  f(13, "encoding_stats", s.encoding_stats, kOptional);
  f(14, "bloom_filter_offset", s.bloom_filter_offset, kOptional);
  f(15, "bloom_filter_length", s.bloom_filter_length, kOptional);
  f(16, "size_statistics", s.size_statistics, kOptional);
  f(17, "geospatial_statistics", s.geospatial_statistics, kOptional);
}

PARKETT_FIELDS(EncryptionWithColumnKey) {
  f(1, "path_in_schema", s.path_in_schema, kRequired);
  f(2, "key_metadata", s.key_metadata, kOptional);
}

PARKETT_FIELDS(ColumnCryptoMetaData) {
  f(1, "ENCRYPTION_WITH_FOOTER_KEY", s.ENCRYPTION_WITH_FOOTER_KEY, kOptional);
  f(2, "ENCRYPTION_WITH_COLUMN_KEY", s.ENCRYPTION_WITH_COLUMN_KEY, kOptional);
}

PARKETT_FIELDS(ColumnChunk) {
  f(1, "file_path", s.file_path, kOptional);
  // Required in the IDL, but some writers (old parquet-cpp, arrow-rs) omit it; its default
  // is 0 and nothing reads it, so it is decoded as optional-with-default.
  f(2, "file_offset", s.file_offset, kOptional);
  f(3, "meta_data", s.meta_data, kOptional);
  f(4, "offset_index_offset", s.offset_index_offset, kOptional);
  f(5, "offset_index_length", s.offset_index_length, kOptional);
  f(6, "column_index_offset", s.column_index_offset, kOptional);
  f(7, "column_index_length", s.column_index_length, kOptional);
  f(8, "crypto_metadata", s.crypto_metadata, kOptional);
  f(9, "encrypted_column_metadata", s.encrypted_column_metadata, kOptional);
}

// Row groups and file metadata are templates (see parquet_types.h): one field list serves
// the fully decoded and the lazily indexed forms.
template <class RowGroupT, class F>
inline void visit_row_group(RowGroupT& s, F&& f) {
  f(1, "columns", s.columns, kRequired);
  f(2, "total_byte_size", s.total_byte_size, kRequired);
  f(3, "num_rows", s.num_rows, kRequired);
  f(4, "sorting_columns", s.sorting_columns, kOptional);
  f(5, "file_offset", s.file_offset, kOptional);
  f(6, "total_compressed_size", s.total_compressed_size, kOptional);
  f(7, "ordinal", s.ordinal, kOptional);
}
template <class Chunk, class F>
inline void visit_fields(BasicRowGroup<Chunk>& s, F&& f) { visit_row_group(s, f); }
template <class Chunk, class F>
inline void visit_fields(const BasicRowGroup<Chunk>& s, F&& f) { visit_row_group(s, f); }

PARKETT_FIELDS(ColumnOrder) {
  f(1, "TYPE_ORDER", s.TYPE_ORDER, kOptional);
  f(2, "IEEE_754_TOTAL_ORDER", s.IEEE_754_TOTAL_ORDER, kOptional);
  f(3, "INT96_TIMESTAMP_ORDER", s.INT96_TIMESTAMP_ORDER, kOptional);
}

PARKETT_FIELDS(PageLocation) {
  f(1, "offset", s.offset, kRequired);
  f(2, "compressed_page_size", s.compressed_page_size, kRequired);
  f(3, "first_row_index", s.first_row_index, kRequired);
}

PARKETT_FIELDS(OffsetIndex) {
  f(1, "page_locations", s.page_locations, kRequired);
  f(2, "unencoded_byte_array_data_bytes", s.unencoded_byte_array_data_bytes, kOptional);
}

PARKETT_FIELDS(ColumnIndex) {
  f(1, "null_pages", s.null_pages, kRequired);
  f(2, "min_values", s.min_values, kRequired);
  f(3, "max_values", s.max_values, kRequired);
  f(4, "boundary_order", s.boundary_order, kRequired);
  f(5, "null_counts", s.null_counts, kOptional);
  f(6, "repetition_level_histograms", s.repetition_level_histograms, kOptional);
  f(7, "definition_level_histograms", s.definition_level_histograms, kOptional);
  f(8, "nan_counts", s.nan_counts, kOptional);
}

PARKETT_FIELDS(AesGcmV1) {
  f(1, "aad_prefix", s.aad_prefix, kOptional);
  f(2, "aad_file_unique", s.aad_file_unique, kOptional);
  f(3, "supply_aad_prefix", s.supply_aad_prefix, kOptional);
}

PARKETT_FIELDS(AesGcmCtrV1) {
  f(1, "aad_prefix", s.aad_prefix, kOptional);
  f(2, "aad_file_unique", s.aad_file_unique, kOptional);
  f(3, "supply_aad_prefix", s.supply_aad_prefix, kOptional);
}

PARKETT_FIELDS(EncryptionAlgorithm) {
  f(1, "AES_GCM_V1", s.AES_GCM_V1, kOptional);
  f(2, "AES_GCM_CTR_V1", s.AES_GCM_CTR_V1, kOptional);
}

template <class MetaT, class F>
inline void visit_file_metadata(MetaT& s, F&& f) {
  f(1, "version", s.version, kRequired);
  f(2, "schema", s.schema, kRequired);
  f(3, "num_rows", s.num_rows, kRequired);
  f(4, "row_groups", s.row_groups, kRequired);
  f(5, "key_value_metadata", s.key_value_metadata, kOptional);
  f(6, "created_by", s.created_by, kOptional);
  f(7, "column_orders", s.column_orders, kOptional);
  f(8, "encryption_algorithm", s.encryption_algorithm, kOptional);
  f(9, "footer_signing_key_metadata", s.footer_signing_key_metadata, kOptional);
}

template <class RowGroupT, class F>
inline void visit_fields(BasicFileMetaData<RowGroupT>& s, F&& f) {
  visit_file_metadata(s, f);
}
template <class RowGroupT, class F>
inline void visit_fields(const BasicFileMetaData<RowGroupT>& s, F&& f) {
  visit_file_metadata(s, f);
}

PARKETT_FIELDS(FileCryptoMetaData) {
  f(1, "encryption_algorithm", s.encryption_algorithm, kRequired);
  f(2, "key_metadata", s.key_metadata, kOptional);
}

#undef PARKETT_FIELDS

}  // namespace parkett::format

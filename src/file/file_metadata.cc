// FileMetadata: parsing the footer (lazily or eagerly) and the file-level accessors.
#include "file/file_metadata_impl.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "schema/from_thrift.h"

namespace parkett {

using detail::FileMetadataImpl;

namespace {

ColumnOrder order_of(const format::ColumnOrder& o) {
  if (o.TYPE_ORDER) return ColumnOrder::TypeDefined;
  if (o.IEEE_754_TOTAL_ORDER) return ColumnOrder::Ieee754TotalOrder;
  if (o.INT96_TIMESTAMP_ORDER) return ColumnOrder::Int96Timestamp;
  return ColumnOrder::Unknown;
}

template <class Algo>
void fill_encryption(FileEncryption& e, const Algo& a) {
  e.aad_prefix = a.aad_prefix;
  e.aad_file_unique = a.aad_file_unique;
  e.supply_aad_prefix = a.supply_aad_prefix;
}

// Moves everything but the chunks of an eagerly decoded footer into the index form; the
// chunks themselves move to `chunks`.
format::FooterIndex index_from(format::FooterSummary& full,
                               std::vector<std::vector<format::ChunkSummary>>& chunks) {
  format::FooterIndex index;
  index.version = full.version;
  index.schema = std::move(full.schema);
  index.num_rows = full.num_rows;
  index.key_value_metadata = std::move(full.key_value_metadata);
  index.created_by = std::move(full.created_by);
  index.column_orders = std::move(full.column_orders);
  index.encryption_algorithm = std::move(full.encryption_algorithm);
  index.footer_signing_key_metadata = std::move(full.footer_signing_key_metadata);
  index.row_groups.reserve(full.row_groups.size());
  chunks.reserve(full.row_groups.size());
  for (auto& rg : full.row_groups) {
    format::RowGroupIndex r;
    r.columns.reserve(rg.columns.size());
    for (const auto& c : rg.columns) r.columns.push_back(c.bytes);
    r.total_byte_size = rg.total_byte_size;
    r.num_rows = rg.num_rows;
    r.sorting_columns = std::move(rg.sorting_columns);
    r.file_offset = rg.file_offset;
    r.total_compressed_size = rg.total_compressed_size;
    r.ordinal = rg.ordinal;
    index.row_groups.push_back(std::move(r));
    chunks.push_back(std::move(rg.columns));
  }
  return index;
}

}  // namespace

namespace detail {

void FileMetadataImpl::check_row_group(int32_t row_group, size_t columns) const {
  const int32_t num_columns = schema.num_columns();
  if (columns != static_cast<size_t>(num_columns)) {
    throw Error(ErrorKind::Corrupt,
                "invalid footer: row group has " + std::to_string(columns) +
                    " column chunks but the schema has " + std::to_string(num_columns) +
                    " columns",
                ErrorContext{source, row_group, {}, {}});
  }
}

void FileMetadataImpl::ensure_located(int32_t row_group, int32_t column) const {
  if (row_group < rg_done.load(std::memory_order_acquire)) return;
  std::lock_guard lock(walk_mutex);
  if (row_group < rg_done.load(std::memory_order_relaxed)) return;
  if (walk_error) throw *walk_error;
  try {
    walker->walk_to(row_group, column);
    // Row groups completed by this walk, then the one being walked (if its columns list
    // was reached), are checked against the schema.
    for (int32_t r = rg_done.load(std::memory_order_relaxed); r < walker->row_groups_done(); ++r) {
      const auto& rg = index.row_groups[static_cast<size_t>(r)];
      check_row_group(r, rg.columns.size());
      if (rg.num_rows < 0) {
        throw Error(ErrorKind::Corrupt, "invalid footer: negative num_rows " +
                                            std::to_string(rg.num_rows),
                    ErrorContext{source, r, {}, {}});
      }
    }
    if (walker->columns_located() > 0) {
      check_row_group(walker->row_groups_done(), walker->columns_total());
    }
  } catch (Error& e) {
    e.set_file(source);
    e.set_row_group(walker->row_groups_done());
    walk_error = e;
    throw;
  }
  rg_done.store(walker->row_groups_done(), std::memory_order_release);
}

void FileMetadataImpl::ensure_tail() const {
  if (tail_done.load(std::memory_order_acquire)) return;
  ensure_located(static_cast<int32_t>(index.row_groups.size()) - 1, -1);
  std::lock_guard lock(walk_mutex);
  if (tail_done.load(std::memory_order_relaxed)) return;
  if (walk_error) throw *walk_error;
  try {
    walker->walk_all();
  } catch (Error& e) {
    e.set_file(source);
    walk_error = e;
    throw;
  }
  decode_tail();
  tail_done.store(true, std::memory_order_release);
}

void FileMetadataImpl::decode_tail() const {
  const format::FooterIndex& ix = index;
  const int32_t num_columns = schema.num_columns();
  if (ix.key_value_metadata) {
    for (const auto& kv : *ix.key_value_metadata) key_value_metadata.emplace_back(kv.key, kv.value);
  }
  if (ix.column_orders) {
    // One entry per leaf; a list of another length is unusable, so statistics are then
    // treated as having no defined order (min/max not trusted).
    if (ix.column_orders->size() == static_cast<size_t>(num_columns)) {
      for (const auto& o : *ix.column_orders) column_orders.push_back(order_of(o));
    } else {
      column_orders.assign(static_cast<size_t>(num_columns), ColumnOrder::Unknown);
    }
  }
  if (ix.encryption_algorithm) {
    FileEncryption e;
    if (ix.encryption_algorithm->AES_GCM_V1) {
      e.algorithm = FileEncryption::Algorithm::AesGcmV1;
      fill_encryption(e, *ix.encryption_algorithm->AES_GCM_V1);
    } else if (ix.encryption_algorithm->AES_GCM_CTR_V1) {
      e.algorithm = FileEncryption::Algorithm::AesGcmCtrV1;
      fill_encryption(e, *ix.encryption_algorithm->AES_GCM_CTR_V1);
    }
    e.footer_key_metadata = ix.footer_signing_key_metadata;
    encryption = std::move(e);
  }
}

}  // namespace detail

FileMetadata FileMetadata::parse(std::string footer, const FooterOptions& options,
                                 std::string source) {
  auto impl = std::make_shared<FileMetadataImpl>();
  impl->source = std::move(source);
  impl->footer = std::move(footer);
  const auto* data = reinterpret_cast<const uint8_t*>(impl->footer.data());
  const size_t size = impl->footer.size();
  try {
    if (options.lazy) {
      impl->walker = std::make_unique<format::FooterWalker>(data, size, impl->index);
    } else {
      format::FooterSummary full;
      format::deserialize(data, size, full);
      impl->index = index_from(full, impl->eager);
    }
  } catch (Error& e) {
    throw Error(e.kind(), "cannot decode the footer (FileMetaData): " + e.message(),
                ErrorContext{impl->source, {}, {}, {}});
  }
  format::FooterIndex& ix = impl->index;
  try {
    impl->schema = schema::from_thrift(ix.schema);
  } catch (Error& e) {
    e.set_file(impl->source);
    throw;
  }
  if (ix.num_rows < 0) {
    throw Error(ErrorKind::Corrupt, "invalid footer: negative num_rows " + std::to_string(ix.num_rows),
                ErrorContext{impl->source, {}, {}, {}});
  }
  impl->column_path_hashes.reserve(static_cast<size_t>(impl->schema.num_columns()));
  for (const auto& col : impl->schema.columns()) {
    uint64_t h = format::path_hash_begin();
    for (const auto& part : col.path) h = format::path_hash_add(h, part);
    impl->column_path_hashes.push_back(h);
  }
  // Every row group holds one ColumnChunk per column, and a ColumnChunk takes at least 3
  // bytes (its required file_offset and a stop): a footer cannot justify more slots.
  const auto columns = static_cast<size_t>(impl->schema.num_columns());
  if (columns != 0 && ix.row_groups.size() > impl->footer.size() / 3 / columns) {
    throw Error(ErrorKind::Corrupt,
                "invalid footer: " + std::to_string(ix.row_groups.size()) + " row groups of " + std::to_string(columns) +
                    " columns cannot fit in its " + std::to_string(impl->footer.size()) + " bytes",
                ErrorContext{impl->source, {}, {}, {}});
  }
  const size_t slots = ix.row_groups.size() * columns;
  impl->summaries.resize(slots);
  impl->full_chunks.resize(slots);

  if (!options.lazy) {
    for (size_t r = 0; r < impl->eager.size(); ++r) {
      const auto& cols = impl->eager[r];
      impl->check_row_group(static_cast<int32_t>(r), cols.size());
      if (ix.row_groups[r].num_rows < 0) {
        throw Error(ErrorKind::Corrupt,
                    "invalid footer: negative num_rows " + std::to_string(ix.row_groups[r].num_rows),
                    ErrorContext{impl->source, static_cast<int64_t>(r), {}, {}});
      }
      for (size_t c = 0; c < cols.size(); ++c) {
        try {
          impl->validate_chunk(cols[c], static_cast<int32_t>(c));
        } catch (Error& e) {
          impl->locate(e, static_cast<int32_t>(r), static_cast<int32_t>(c));
          throw;
        }
        impl->summaries.set_borrowed(impl->slot(static_cast<int32_t>(r), static_cast<int32_t>(c)),
                                     &cols[c]);
      }
    }
    impl->decoded = static_cast<int64_t>(slots);
    impl->rg_done = static_cast<int32_t>(ix.row_groups.size());
    impl->decode_tail();
    impl->tail_done = true;
  }
  FileMetadata out;
  out.impl_ = std::move(impl);
  return out;
}

const FileMetadataImpl& FileMetadataImpl::of(const std::shared_ptr<const FileMetadataImpl>& p) {
  if (!p) throw Error(ErrorKind::InvalidArgument, "empty FileMetadata (default-constructed)");
  return *p;
}

int32_t FileMetadata::version() const { return FileMetadataImpl::of(impl_).index.version; }

std::string FileMetadata::format_version() const {
  int32_t v = version();
  if (v == 1) return "1.0";
  if (v == 2) return "2.6";
  return std::to_string(v);
}

int64_t FileMetadata::num_rows() const { return FileMetadataImpl::of(impl_).index.num_rows; }

int32_t FileMetadata::num_row_groups() const {
  return static_cast<int32_t>(FileMetadataImpl::of(impl_).index.row_groups.size());
}

int32_t FileMetadata::num_columns() const {
  return FileMetadataImpl::of(impl_).schema.num_columns();
}

std::optional<std::string> FileMetadata::created_by() const {
  const auto& impl = FileMetadataImpl::of(impl_);
  impl.ensure_tail();
  return impl.index.created_by;
}

const KeyValueMetadata& FileMetadata::key_value_metadata() const {
  const auto& impl = FileMetadataImpl::of(impl_);
  impl.ensure_tail();
  return impl.key_value_metadata;
}

const ParquetSchema& FileMetadata::schema() const { return FileMetadataImpl::of(impl_).schema; }

bool FileMetadata::has_column_orders() const {
  const auto& impl = FileMetadataImpl::of(impl_);
  impl.ensure_tail();
  return !impl.column_orders.empty();
}

ColumnOrder FileMetadata::column_order(int32_t column) const {
  const auto& impl = FileMetadataImpl::of(impl_);
  impl.ensure_tail();
  if (impl.column_orders.empty()) return ColumnOrder::Undefined;
  return impl.column_orders.at(static_cast<size_t>(column));
}

std::optional<FileEncryption> FileMetadata::encryption() const {
  const auto& impl = FileMetadataImpl::of(impl_);
  if (impl.footer_encryption) return impl.footer_encryption;
  impl.ensure_tail();
  return impl.encryption;
}

int64_t FileMetadata::serialized_size() const {
  return static_cast<int64_t>(FileMetadataImpl::of(impl_).footer.size());
}

const std::string& FileMetadata::serialized() const { return FileMetadataImpl::of(impl_).footer; }

int64_t FileMetadata::decoded_column_chunks() const {
  return FileMetadataImpl::of(impl_).decoded.load();
}

RowGroupMetadata FileMetadata::row_group(int32_t i) const {
  const auto& impl = FileMetadataImpl::of(impl_);
  if (i < 0 || i >= num_row_groups()) {
    throw Error(ErrorKind::InvalidArgument, "row group " + std::to_string(i) +
                                                " does not exist; the file has " +
                                                std::to_string(num_row_groups()));
  }
  return impl.row_group_handle(i);
}

}  // namespace parkett

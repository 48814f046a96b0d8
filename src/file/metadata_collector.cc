// MetadataCollector: the row groups of many files' footers in one FileMetaData (each column
// chunk's file_path naming its file), written as `_metadata`, and the schema alone as
// `_common_metadata`: the summary files pyarrow, Spark, Dask and Deephaven write.
#include "file/data_index_layout.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/writer.h"

namespace parkett {

struct __attribute__((visibility("hidden"))) MetadataCollector::State {
  format::FileMetaData combined;  // the first file's schema and metadata, every row group
  std::string first_file;
  int64_t files = 0;
};

namespace {

// The first leaf or element where two schemas differ, as text.
std::string schema_difference(const std::vector<format::SchemaElement>& a, const std::vector<format::SchemaElement>& b) {
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size()) return "it has an extra field '" + b[i].name + "'";
    if (i >= b.size()) return "it lacks the field '" + a[i].name + "'";
    if (!(a[i] == b[i])) {
      return a[i].name == b[i].name ? "field '" + a[i].name + "' differs" : "field '" + b[i].name + "' is where '" + a[i].name + "' was";
    }
  }
  return {};
}

// A footer-only Parquet file: magic, FileMetaData, its length, magic.
void write_footer_file(const std::string& path, const FileSystem& filesystem, const format::FileMetaData& md) {
  std::string footer;
  format::serialize(md, footer);
  try {
    const std::unique_ptr<OutputFile> file = filesystem.open_output(path);
    file->write("PAR1", 4);
    file->write(footer.data(), footer.size());
    const auto len = static_cast<uint32_t>(footer.size());
    file->write(&len, 4);
    file->write("PAR1", 4);
    file->close();
  } catch (Error& e) {
    e.set_file(path);
    throw;
  }
}

}  // namespace

MetadataCollector::MetadataCollector() : state_(std::make_unique<State>()) {}
MetadataCollector::~MetadataCollector() = default;
MetadataCollector::MetadataCollector(MetadataCollector&&) noexcept = default;
MetadataCollector& MetadataCollector::operator=(MetadataCollector&&) noexcept = default;

void MetadataCollector::add(const std::string& relative_path, const FileMetadata& footer) {
  const bool escapes = relative_path == ".." || relative_path.rfind("../", 0) == 0 ||
                       relative_path.find("/../") != std::string::npos ||
                       (relative_path.size() >= 3 && relative_path.compare(relative_path.size() - 3, 3, "/..") == 0);
  if (relative_path.empty() || relative_path[0] == '/' || escapes) {
    throw Error(ErrorKind::InvalidArgument, "a file of _metadata is named relative to the dataset's root, not '" +
                                                relative_path + "'");
  }
  if (footer.encryption()) {
    throw Error(ErrorKind::Unsupported, "'" + relative_path + "' is encrypted: its row groups cannot go in _metadata");
  }
  const std::string& bytes = footer.serialized();
  format::FileMetaData md;
  format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), md);
  State& s = *state_;
  if (s.files == 0) {
    s.combined = md;
    s.combined.row_groups.clear();
    s.combined.num_rows = 0;
    s.first_file = relative_path;
  } else {
    const std::string diff = schema_difference(s.combined.schema, md.schema);
    if (!diff.empty()) {
      throw Error(ErrorKind::InvalidArgument, "'" + relative_path + "' does not have the schema of '" + s.first_file +
                                                  "': " + diff);
    }
  }
  // Data indexes are per file: the summary keeps each file's own `deephaven` value and
  // index token under keys of their own (the value as Deephaven's _metadata does), and its
  // common keys list no index.
  if (md.key_value_metadata) {
    for (const format::KeyValue& kv : *md.key_value_metadata) {
      std::string key;
      if (kv.key == file::kDeephavenKey && kv.value && file::lists_sidecars(*kv.value)) {
        key = file::per_file_key(file::kPerFileTableInfoPrefix, relative_path);
      } else if (kv.key == file::kIndexTokenKey) {
        key = file::per_file_key(file::kPerFileTokenPrefix, relative_path);
      } else {
        continue;
      }
      if (!s.combined.key_value_metadata) s.combined.key_value_metadata.emplace();
      s.combined.key_value_metadata->push_back({key, kv.value});
    }
  }
  if (s.files == 0 && s.combined.key_value_metadata) {
    auto& common = *s.combined.key_value_metadata;
    std::erase_if(common, [](const format::KeyValue& kv) { return kv.key == file::kIndexTokenKey; });
    for (format::KeyValue& kv : common) {
      if (kv.key == file::kDeephavenKey && kv.value && file::lists_sidecars(*kv.value)) {
        kv.value = file::data_file_table_info(&*kv.value, {});
      }
    }
  }
  for (format::RowGroup& g : md.row_groups) {
    for (format::ColumnChunk& c : g.columns) c.file_path = relative_path;
    s.combined.row_groups.push_back(std::move(g));
  }
  s.combined.num_rows += md.num_rows;
  ++s.files;
}

int64_t MetadataCollector::num_files() const { return state_->files; }

FileMetadata MetadataCollector::metadata() const {
  if (state_->files == 0) throw Error(ErrorKind::InvalidArgument, "no file was added to the collector");
  std::string footer;
  format::serialize(state_->combined, footer);
  return FileMetadata::parse(std::move(footer), {}, "_metadata");
}

void MetadataCollector::write_metadata_file(const std::string& path, std::shared_ptr<FileSystem> filesystem) const {
  if (state_->files == 0) throw Error(ErrorKind::InvalidArgument, "no file was added to the collector");
  write_footer_file(path, filesystem ? *filesystem : *filesystem_for(path), state_->combined);
}

void MetadataCollector::write_common_metadata_file(const std::string& path, std::shared_ptr<FileSystem> filesystem) const {
  if (state_->files == 0) throw Error(ErrorKind::InvalidArgument, "no file was added to the collector");
  format::FileMetaData schema_only = state_->combined;
  schema_only.row_groups.clear();
  schema_only.num_rows = 0;
  write_footer_file(path, filesystem ? *filesystem : *filesystem_for(path), schema_only);
}

}  // namespace parkett

#include "dataset/metadata_file.h"

#include <algorithm>
#include <map>
#include <set>

#include "file/data_index_layout.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::dataset {

void MetadataFooters::mismatch(const std::string& why) const {
  throw Error(ErrorKind::Corrupt, "'" + path_ + "' does not match the dataset: " + why, {path_, std::nullopt, {}, std::nullopt});
}

MetadataFooters::MetadataFooters(const std::string& path, const std::string& root, const OpenOptions& options)
    : path_(path), footer_options_(options.footer) {
  ReadOptions ro;
  static_cast<OpenOptions&>(ro) = options;
  ro.decryption.reset();  // summaries are plaintext (encrypted files are not summarised)
  const FileReader summary = FileReader::open(path, ro);
  schema_ = summary.arrow_schema(ScanOptions{});
  const std::string& bytes = summary.metadata().serialized();
  format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), summary_);
  // The row groups of each file, in the summary's order.
  std::map<std::string, std::vector<format::RowGroup>> by_file;
  const std::string prefix = root.empty() ? "" : root.back() == '/' ? root : root + "/";
  for (size_t g = 0; g < summary_.row_groups.size(); ++g) {
    format::RowGroup& rg = summary_.row_groups[g];
    if (rg.columns.empty() || !rg.columns[0].file_path || rg.columns[0].file_path->empty()) {
      mismatch("row group " + std::to_string(g) + " names no file (file_path)");
    }
    const std::string file = *rg.columns[0].file_path;
    for (format::ColumnChunk& c : rg.columns) {
      if (c.file_path != file) mismatch("the chunks of row group " + std::to_string(g) + " name different files");
      c.file_path.reset();
    }
    const bool escapes = file[0] == '/' || file == ".." || file.rfind("../", 0) == 0 ||
                         file.find("/../") != std::string::npos;
    if (escapes) mismatch("row group " + std::to_string(g) + " names '" + file + "', which is not below the root");
    by_file[prefix + file].push_back(std::move(rg));
  }
  summary_.row_groups.clear();
  for (auto& [file, groups] : by_file) {
    int64_t rows = 0;
    for (const format::RowGroup& g : groups) rows += g.num_rows;
    files_.push_back(file);
    relative_.push_back(file.substr(prefix.size()));
    rows_.push_back(rows);
    groups_.push_back(std::move(groups));
  }
  footers_.resize(files_.size());
}

FileMetadata MetadataFooters::footer(size_t file) const {
  std::lock_guard lock(mutex_);
  if (!footers_[file]) {
    format::FileMetaData one = summary_;
    one.num_rows = rows_[file];
    one.row_groups = groups_[file];
    // The file's own `deephaven` value and index token (its data indexes), where the
    // summary kept them; its common keys list no index.
    if (one.key_value_metadata) {
      const std::string own_info = file::per_file_key(file::kPerFileTableInfoPrefix, relative_[file]);
      const std::string own_token = file::per_file_key(file::kPerFileTokenPrefix, relative_[file]);
      std::optional<std::string> info, token;
      for (const format::KeyValue& kv : *one.key_value_metadata) {
        if (kv.key == own_info) info = kv.value;
        if (kv.key == own_token) token = kv.value;
      }
      std::erase_if(*one.key_value_metadata, [&info](const format::KeyValue& kv) {
        if (kv.key.rfind(file::kPerFileTableInfoPrefix, 0) == 0 || kv.key.rfind(file::kPerFileTokenPrefix, 0) == 0) {
          return true;
        }
        if (kv.key == file::kIndexTokenKey) return true;
        return kv.key == file::kDeephavenKey && (info || (kv.value && file::lists_sidecars(*kv.value)));
      });
      if (info) one.key_value_metadata->push_back({file::kDeephavenKey, info});
      if (token) one.key_value_metadata->push_back({file::kIndexTokenKey, token});
    }
    std::string bytes;
    format::serialize(one, bytes);
    footers_[file] = FileMetadata::parse(std::move(bytes), footer_options_, files_[file]);
  }
  return *footers_[file];
}

FileReader MetadataFooters::open(size_t file, const OpenOptions& options) const {
  ReadOptions ro;
  static_cast<OpenOptions&>(ro) = options;
  try {
    return FileReader::open(files_[file], footer(file), ro);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound) mismatch("it names '" + files_[file] + "', which does not exist");
    if (e.kind() == ErrorKind::Corrupt && e.context().file == files_[file]) mismatch("for '" + files_[file] + "', " + e.what());
    throw;
  }
}

void MetadataFooters::check_matches(const std::vector<std::string>& listed,
                                    const std::function<OpenOptions(const std::string&)>& options) const {
  const std::set<std::string> named(files_.begin(), files_.end());
  for (const std::string& f : listed) {
    if (!named.count(f)) mismatch("the data file '" + f + "' is not in it");
  }
  for (size_t f = 0; f < files_.size(); ++f) open(f, options(files_[f]));
}

}  // namespace parkett::dataset

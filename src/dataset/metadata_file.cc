#include "dataset/metadata_file.h"

#include <algorithm>
#include <map>
#include <set>

#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::dataset {
namespace {

[[noreturn]] void mismatch(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::Corrupt, "'" + path + "' does not match the dataset: " + why, {path, std::nullopt, {}, std::nullopt});
}

}  // namespace

MetadataPlan read_metadata_file(const std::string& path, const std::string& root,
                                const std::vector<std::string>& discovered, const OpenOptions& options) {
  ReadOptions ro;
  static_cast<OpenOptions&>(ro) = options;
  const FileReader summary = FileReader::open(path, ro);
  MetadataPlan plan;
  plan.schema = summary.arrow_schema(ScanOptions{});
  const std::string& bytes = summary.metadata().serialized();
  format::FileMetaData all;
  format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), all);
  // The row groups of each file, in _metadata's order.
  std::map<std::string, std::vector<format::RowGroup>> by_file;
  const std::string prefix = root.empty() ? "" : root.back() == '/' ? root : root + "/";
  for (size_t g = 0; g < all.row_groups.size(); ++g) {
    format::RowGroup& rg = all.row_groups[g];
    if (rg.columns.empty() || !rg.columns[0].file_path || rg.columns[0].file_path->empty()) {
      mismatch(path, "row group " + std::to_string(g) + " names no file (file_path)");
    }
    const std::string file = *rg.columns[0].file_path;
    for (format::ColumnChunk& c : rg.columns) {
      if (c.file_path != file) mismatch(path, "the chunks of row group " + std::to_string(g) + " name different files");
      c.file_path.reset();
    }
    const bool escapes = file[0] == '/' || file == ".." || file.rfind("../", 0) == 0 ||
                         file.find("/../") != std::string::npos;
    if (escapes) {
      mismatch(path, "row group " + std::to_string(g) + " names '" + file + "', which is not below the root");
    }
    by_file[prefix + file].push_back(std::move(rg));
  }
  all.row_groups.clear();
  const std::set<std::string> named = [&] {
    std::set<std::string> s;
    for (const auto& [f, groups] : by_file) s.insert(f);
    return s;
  }();
  for (const std::string& f : discovered) {
    if (!named.count(f)) mismatch(path, "the data file '" + f + "' is not in it");
  }
  // Per file, a footer of its own: _metadata's schema and key-value metadata with its row
  // groups. Opening the file checks that it exists and holds every chunk's bytes.
  ReadOptions open;
  static_cast<OpenOptions&>(open) = options;
  for (auto& [file, groups] : by_file) {
    format::FileMetaData one = all;
    one.num_rows = 0;
    for (const format::RowGroup& g : groups) one.num_rows += g.num_rows;
    one.row_groups = std::move(groups);
    std::string footer;
    format::serialize(one, footer);
    FileMetadata md = FileMetadata::parse(std::move(footer), options.footer, file);
    try {
      FileReader::open(file, md, open);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound) mismatch(path, "it names '" + file + "', which does not exist");
      if (e.kind() == ErrorKind::Corrupt) mismatch(path, "for '" + file + "', " + e.message());
      throw;
    }
    plan.files.push_back(file);
    plan.footers.push_back(std::move(md));
  }
  return plan;
}

}  // namespace parkett::dataset

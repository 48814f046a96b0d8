// parkett stats PATH [--columns a,b] [--json]: COUNT, MIN and MAX of each leaf column from
// the footers' statistics alone (no page is read), as Spark's aggregate pushdown answers
// them, saying where the statistics cannot answer or not exactly.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/dataset_flags.h"
#include "cli/encryption_flags.h"
#include "cli/progress.h"
#include "cli/storage_flags.h"
#include "cli/terminal_text.h"
#include "io/remote_file.h"
#include "parkett/dataset.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett::cli {
namespace {

using Json = nlohmann::ordered_json;

struct StatsArgs {
  std::string file;
  std::vector<std::string> columns;
  bool json = false;
  DatasetFlags dataset;
  StorageFlags storage;
  DecryptionFlags decryption;
};

Json aggregate_json(const ColumnAggregate& a) {
  Json j;
  j["column"] = a.column;
  j["rows"] = a.rows;
  j["values"] = a.values;
  j["null_count"] = a.null_count ? Json(*a.null_count) : Json(nullptr);
  j["min"] = a.min ? Json::parse(a.min_json) : Json(nullptr);
  j["max"] = a.max ? Json::parse(a.max_json) : Json(nullptr);
  j["exact"] = a.exact;
  if (!a.note.empty()) j["note"] = a.note;
  return j;
}

int run(const StatsArgs& a) {
  const std::shared_ptr<FileSystem> store = remote_store(a.file, a.storage);
  const TransferProgress progress;
  std::vector<FileMetadata> footers;
  std::vector<std::string> names;
  auto open = [&](const std::string& path) {
    ReadOptions read;
    read.filesystem = store;
    read.decryption = decryption(a.decryption, path);
    footers.push_back(FileReader::open(path, read).metadata());
    names.push_back(io::url_for_messages(path));
  };
  if (is_dataset_path(a.file, store.get())) {
    DatasetOptions options = dataset_options(a.dataset);
    options.file_options.filesystem = store;
    set_decryption(a.decryption, options);
    for (const Fragment& f : Dataset::open(a.file, options).fragments()) open(f.path);
  } else {
    open(a.file);
  }
  std::vector<ColumnAggregate> aggregates;
  try {
    aggregates = aggregate_statistics(footers, a.columns, names);
  } catch (Error& e) {
    e.set_file(io::url_for_messages(a.file));
    throw;
  }
  if (a.json) {
    Json out = Json::array();
    for (const ColumnAggregate& c : aggregates) out.push_back(aggregate_json(c));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const ColumnAggregate& c : aggregates) {
    std::cout << terminal_text(c.column) << ": " << c.rows << " rows";
    if (c.values != c.rows) std::cout << ", " << c.values << " values";
    std::cout << ", nulls " << (c.null_count ? std::to_string(*c.null_count) : "unknown");
    if (c.min) {
      std::cout << ", min " << terminal_text(c.min_json) << ", max " << terminal_text(c.max_json);
    } else if (c.exact) {
      std::cout << ", no non-null value";
    }
    std::cout << (c.exact ? "" : " (not exact)");
    if (!c.note.empty()) std::cout << ": " << terminal_text(c.note);
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

Runner add_stats_command(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stats", "COUNT, MIN and MAX of each column from the statistics alone, without reading a page");
  cmd->add_option("FILE", args->file, "Parquet file, or a directory or glob of them (a dataset: over every file)")->required();
  cmd->add_option("--columns", args->columns, "Leaf columns by dotted path (a,b or repeated); all when absent")
      ->delimiter(',');
  cmd->add_flag("--json", args->json, "One JSON array: column, rows, values, null_count, min, max, exact, note");
  add_dataset_flags(cmd, args->dataset);
  add_storage_flags(cmd, args->storage);
  add_decryption_flags(cmd, args->decryption);
  return [args] { return run(*args); };
}

}  // namespace parkett::cli

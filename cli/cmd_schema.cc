// parkett schema FILE [--json] [--arrow]; a directory or glob prints its merged Arrow schema.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/dataset_flags.h"
#include "cli/progress.h"
#include "cli/encryption_flags.h"
#include "cli/storage_flags.h"
#include "cli/terminal_text.h"
#include "parkett/dataset.h"
#include "parkett/datatype.h"
#include "parkett/reader.h"

namespace parkett::cli {
namespace {

struct SchemaArgs {
  std::string file;
  bool json = false;
  bool arrow = false;
  DatasetFlags dataset;
  StorageFlags storage;
  DecryptionFlags decryption;
};

nlohmann::ordered_json node_json(const ParquetSchema& s, int32_t i) {
  const SchemaNode& n = s.node(i);
  nlohmann::ordered_json j;
  j["name"] = n.name;
  j["repetition"] = to_string(n.repetition);
  if (n.is_leaf()) {
    j["physical_type"] = to_string(*n.physical_type);
    if (*n.physical_type == PhysicalType::FixedLenByteArray) j["type_length"] = n.type_length;
  }
  if (n.logical_type.kind != LogicalType::Kind::None) j["logical_type"] = n.logical_type.to_string();
  if (n.converted_type) j["converted_type"] = to_string(*n.converted_type);
  if (n.logical_type.kind == LogicalType::Kind::Decimal ||
      n.converted_type == ConvertedType::Decimal) {
    j["precision"] = n.precision;
    j["scale"] = n.scale;
  }
  if (n.field_id) j["field_id"] = *n.field_id;
  if (n.is_leaf()) {
    j["column_index"] = n.column_index;
    j["max_definition_level"] = n.max_definition_level;
    j["max_repetition_level"] = n.max_repetition_level;
  } else {
    j["children"] = nlohmann::ordered_json::array();
    for (int32_t c : n.children) j["children"].push_back(node_json(s, c));
  }
  return j;
}

int run(const SchemaArgs& a) {
  const std::shared_ptr<FileSystem> store = remote_store(a.file, a.storage);
  const TransferProgress progress;
  if (is_dataset_path(a.file, store.get())) {
    // A dataset has no one Parquet schema: its merged Arrow schema, partition columns last.
    DatasetOptions options = dataset_options(a.dataset);
    options.file_options.filesystem = store;
    set_decryption(a.decryption, options);
    const Dataset ds = Dataset::open(a.file, options);
    if (a.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (const auto& f : ds.schema().fields) out[f.name] = f.type.to_string();
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << terminal_text(ds.schema().to_string(), true);
    }
    return 0;
  }
  ReadOptions options;
  options.filesystem = store;
  options.decryption = decryption(a.decryption, a.file);
  FileReader reader = FileReader::open(a.file, options);
  const ParquetSchema& schema = reader.metadata().schema();
  if (a.json) {
    nlohmann::ordered_json out = node_json(schema, 0);
    if (a.arrow) {
      out = nlohmann::ordered_json::object();
      for (const auto& f : schema.to_arrow().fields) out[f.name] = f.type.to_string();
    }
    std::cout << out.dump(2) << "\n";
  } else if (a.arrow) {
    std::cout << terminal_text(schema.to_arrow().to_string(), true);
  } else {
    std::cout << terminal_text(schema.to_string(), true);
  }
  return 0;
}

}  // namespace

Runner add_schema_command(CLI::App& app) {
  auto args = std::make_shared<SchemaArgs>();
  CLI::App* cmd = app.add_subcommand("schema", "Print the Parquet schema of a file");
  cmd->add_option("FILE", args->file, "Parquet file, or a directory or glob of them (a dataset: its Arrow schema)")
      ->required();
  cmd->add_flag("--json", args->json, "Print the schema tree as JSON");
  cmd->add_flag("--arrow", args->arrow, "Print the Arrow-layout types parkett reads into");
  add_dataset_flags(cmd, args->dataset);
  add_storage_flags(cmd, args->storage);
  add_decryption_flags(cmd, args->decryption);
  return [args] { return run(*args); };
}

}  // namespace parkett::cli

// parkett cat FILE / parkett head FILE [-n N]: print rows as canonical JSON Lines, CSV or an
// aligned table.
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "convert/jsonl_writer.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett::cli {
namespace {

struct CatArgs {
  std::string file;
  std::string format = "jsonl";
  std::vector<std::string> columns;
  std::optional<int32_t> row_group;
  std::optional<int64_t> limit;  // head
  bool verify_crc = false;
};

// A canonical JSON value as CSV / table text: strings without quotes, null as empty.
std::string plain_text(const std::string& json_value) {
  if (json_value == "null") return "";
  if (!json_value.empty() && json_value[0] == '"') return nlohmann::json::parse(json_value).get<std::string>();
  return json_value;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int run(const CatArgs& a) {
  if (a.format != "jsonl" && a.format != "csv" && a.format != "table") {
    throw Error(ErrorKind::InvalidArgument, "--format must be jsonl, csv or table, not '" + a.format + "'");
  }
  ReadOptions options;
  options.columns = a.columns;
  if (a.row_group) options.row_groups = {*a.row_group};
  options.verify_crc = a.verify_crc;
  options.int96_unit = TimeUnit::Micro;  // every INT96 value fits; CANONICAL.md prints micros
  FileReader reader = FileReader::open(a.file, options);
  const ParquetSchema& schema = reader.metadata().schema();
  if (a.row_group && (*a.row_group < 0 || *a.row_group >= reader.metadata().num_row_groups())) {
    throw Error(ErrorKind::InvalidArgument, "--row-group " + std::to_string(*a.row_group) +
                                                " does not exist; the file has " +
                                                std::to_string(reader.metadata().num_row_groups()),
                ErrorContext{a.file, {}, {}, {}});
  }
  Table table = reader.read_table();
  convert::JsonlWriter writer(schema, convert::top_level_plans(schema, table.schema));
  int64_t left = a.limit.value_or(INT64_MAX);
  std::string out;
  std::vector<std::vector<std::string>> cells;  // table format
  if (a.format == "jsonl") {
    out = writer.schema_line(table.schema);
  } else {
    std::vector<std::string> header;
    for (const auto& f : writer.fields()) header.push_back(f.field.name);  // distinct names
    cells.push_back(header);
  }
  for (const auto& batch : table.batches) {
    const int64_t n = std::min(left, batch.num_rows);
    if (a.format == "jsonl") {
      writer.write_rows(batch, 0, n, out);
    } else {
      for (int64_t r = 0; r < n; ++r) {
        std::vector<std::string> row;
        for (size_t c = 0; c < batch.columns.size(); ++c) {
          std::string v;
          writer.write_value(*batch.columns[c], writer.fields()[c], r, v);
          row.push_back(plain_text(v));
        }
        cells.push_back(std::move(row));
      }
    }
    left -= n;
    std::cout << out;
    out.clear();
    if (left == 0) break;
  }
  if (a.format == "csv") {
    for (const auto& row : cells) {
      for (size_t c = 0; c < row.size(); ++c) std::cout << (c ? "," : "") << csv_field(row[c]);
      std::cout << "\n";
    }
  } else if (a.format == "table") {
    std::vector<size_t> width(cells.empty() ? 0 : cells[0].size(), 0);
    for (const auto& row : cells) {
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], std::min<size_t>(row[c].size(), 40));
    }
    for (const auto& row : cells) {
      for (size_t c = 0; c < row.size(); ++c) {
        std::string v = row[c].size() > 40 ? row[c].substr(0, 37) + "..." : row[c];
        std::cout << (c ? "  " : "") << v;
        if (c + 1 < row.size()) std::cout << std::string(width[c] - v.size(), ' ');
      }
      std::cout << "\n";
    }
  }
  return 0;
}

void add_common(CLI::App* cmd, CatArgs& args) {
  cmd->add_option("FILE", args.file, "Parquet file")->required();
  cmd->add_option("--format", args.format, "jsonl (canonical JSON Lines), csv or table")
      ->capture_default_str();
  cmd->add_option("--columns", args.columns, "Top-level columns to print")->delimiter(',');
  cmd->add_option("--row-group", args.row_group, "Only this row group (0-based)");
  cmd->add_flag("--verify-crc", args.verify_crc, "Check page checksums where the writer stored them");
}

}  // namespace

Runner add_cat_command(CLI::App& app) {
  auto args = std::make_shared<CatArgs>();
  CLI::App* cmd = app.add_subcommand("cat", "Print the rows of a file");
  add_common(cmd, *args);
  return [args] { return run(*args); };
}

Runner add_head_command(CLI::App& app) {
  auto args = std::make_shared<CatArgs>();
  auto n = std::make_shared<int64_t>(10);
  CLI::App* cmd = app.add_subcommand("head", "Print the first rows of a file");
  add_common(cmd, *args);
  cmd->add_option("-n,--rows", *n, "How many rows")->capture_default_str();
  return [args, n] {
    if (*n < 0) throw Error(ErrorKind::InvalidArgument, "-n must not be negative");
    args->limit = *n;
    return run(*args);
  };
}

}  // namespace parkett::cli

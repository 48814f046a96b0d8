// parkett cat PATH / parkett head PATH [-n N]: print rows of a file or a dataset (a
// directory or glob) as canonical JSON Lines, CSV or an aligned table.
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/dataset_flags.h"
#include "cli/progress.h"
#include "cli/read_flags.h"
#include "cli/encryption_flags.h"
#include "cli/storage_flags.h"
#include "io/remote_file.h"
#include "cli/terminal_text.h"
#include "convert/jsonl_writer.h"
#include "parkett/error.h"
#include "parkett/dataset.h"
#include "parkett/reader.h"

namespace parkett::cli {
namespace {

struct CatArgs {
  std::string file;
  std::string format = "jsonl";
  std::vector<std::string> columns;
  std::vector<int32_t> column_ids;
  std::optional<int32_t> row_group;
  std::optional<int64_t> limit;  // head
  bool verify_crc = false;
  std::string where;
  bool stats = false;
  DatasetFlags dataset;
  StorageFlags storage;
  DecryptionFlags decryption;
  ReadFlags read;
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
  apply_read_flags(a.read, options);
  options.columns = a.columns;
  options.column_ids = a.column_ids;
  if (a.row_group) options.row_groups = {*a.row_group};
  options.verify_crc = a.verify_crc;
  options.int96_unit = TimeUnit::Micro;  // every INT96 value fits; CANONICAL.md prints micros
  if (!a.where.empty()) options.filter = Expression::parse(a.where);
  options.filesystem = remote_store(a.file, a.storage);
  options.decryption = decryption(a.decryption, a.file);
  TransferProgress progress;
  // A directory or a glob is a dataset: its columns print as the first file's, with those
  // only other files or the paths hold printed by their Arrow type.
  ParquetSchema schema;
  std::vector<std::string> partitions;
  std::optional<RecordBatchReader> scan;
  if (is_dataset_path(a.file, options.filesystem.get())) {
    if (a.row_group) throw Error(ErrorKind::InvalidArgument, "--row-group applies to a file, not a directory or glob");
    DatasetOptions dataset = dataset_options(a.dataset);
    dataset.file_options = options;
    set_decryption(a.decryption, dataset);
    const Dataset ds = Dataset::open(a.file, dataset);
    for (const Field& f : ds.partition_schema().fields) partitions.push_back(f.name);
    if (!ds.fragments().empty()) {
      const std::string& first = ds.fragments()[0].path;
      ReadOptions o = options;
      o.decryption = decryption(a.decryption, first);
      schema = FileReader::open(first, o).metadata().schema();
    }
    scan.emplace(ds.scan(options));
  } else {
    FileReader reader = FileReader::open(a.file, options);
    schema = reader.metadata().schema();
    if (a.row_group && (*a.row_group < 0 || *a.row_group >= reader.metadata().num_row_groups())) {
      throw Error(ErrorKind::InvalidArgument, "--row-group " + std::to_string(*a.row_group) +
                                                  " does not exist; the file has " +
                                                  std::to_string(reader.metadata().num_row_groups()),
                  ErrorContext{io::url_for_messages(a.file), {}, {}, {}});
    }
    // One row group in memory at a time; `head` reads no further than its rows.
    scan.emplace(reader.batches());
  }
  RecordBatchReader& batches = *scan;
  std::vector<schema::FieldPlan> plans;
  if (schema.nodes().empty()) {
    for (const Field& f : batches.schema().fields) plans.push_back(convert::arrow_plan(f));
  } else {
    plans = convert::top_level_plans(schema, batches.schema(), partitions);
  }
  convert::JsonlWriter writer(schema, std::move(plans));
  int64_t left = a.limit.value_or(INT64_MAX);
  // Rows are printed as they are rendered (the buffer is flushed past 1 MiB), so output
  // costs one row's text, not the table's. The table format keeps its cells (for the
  // column widths), each cut to what it prints.
  std::string out;
  auto flush = [&](bool always) {
    if (always || out.size() > (size_t{1} << 20)) {
      std::cout << out;
      out.clear();
    }
  };
  std::vector<std::vector<std::string>> cells;  // table format
  std::vector<std::string> header;
  for (const auto& f : writer.fields()) header.push_back(f.field.name);  // distinct names
  if (a.format == "jsonl") {
    out = writer.schema_line(batches.schema());
  } else if (a.format == "csv") {
    for (size_t c = 0; c < header.size(); ++c) out += (c ? "," : "") + csv_field(header[c]);
    out += "\n";
  } else {
    cells.emplace_back();
    for (const std::string& h : header) cells.back().push_back(terminal_text(h));
  }
  std::string v;
  RecordBatch batch;
  while (left > 0 && batches.next(batch)) {
    const int64_t n = std::min(left, batch.num_rows);
    for (int64_t r = 0; r < n; ++r) {
      if (a.format == "jsonl") {
        writer.write_rows(batch, r, 1, out);
      } else {
        std::vector<std::string> row;
        for (size_t c = 0; c < batch.columns.size(); ++c) {
          v.clear();
          writer.write_value(*batch.columns[c], writer.fields()[c], r, v);
          std::string text = plain_text(v);
          if (a.format == "csv") {
            out += (c ? "," : "") + csv_field(text);
          } else {
            text = terminal_text(text);
            row.push_back(text.size() > 40 ? text.substr(0, 37) + "..." : std::move(text));
          }
        }
        if (a.format == "csv") out += "\n";
        else cells.push_back(std::move(row));
      }
      flush(false);
    }
    left -= n;
    if (left == 0) break;
  }
  flush(true);
  progress.stop();
  if (a.stats) {
    const ScanCounts& c = batches.counts();
    std::cerr << "row groups read: " << c.row_groups_read << ", skipped by statistics: " << c.row_groups_skipped
              << ", by bloom filters: " << c.row_groups_skipped_by_bloom_filter
              << ", by dictionaries: " << c.row_groups_skipped_by_dictionary
              << ", by data indexes: " << c.row_groups_skipped_by_data_index
              << "; rows skipped or filtered out: " << c.rows_skipped << "; pages read: " << c.pages_read
              << ", skipped: " << c.pages_skipped << "; column chunk bytes read: " << c.bytes_read;
    if (c.files_read || c.files_skipped) {
      std::cerr << "; files read: " << c.files_read << ", skipped by partition values: " << c.files_skipped;
      if (c.files_unreadable) std::cerr << ", unreadable: " << c.files_unreadable;
    }
    std::cerr << "\n";
  }
  if (a.format == "table") {
    std::vector<size_t> width(cells.empty() ? 0 : cells[0].size(), 0);
    for (const auto& row : cells) {
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    for (const auto& row : cells) {
      for (size_t c = 0; c < row.size(); ++c) {
        std::cout << (c ? "  " : "") << row[c];
        if (c + 1 < row.size()) std::cout << std::string(width[c] - row[c].size(), ' ');
      }
      std::cout << "\n";
    }
  }
  return 0;
}

void add_common(CLI::App* cmd, CatArgs& args) {
  cmd->add_option("FILE", args.file, "Parquet file, or a directory or glob of them (a dataset)")->required();
  cmd->add_option("--format", args.format, "jsonl (canonical JSON Lines), csv or table")
      ->capture_default_str();
  cmd->add_option("--columns", args.columns, "Top-level columns to print")->delimiter(',');
  cmd->add_option("--column-ids", args.column_ids,
                  "Columns to print by Parquet field id (1,5 or repeated), whatever each file calls them")
      ->delimiter(',');
  cmd->add_option("--row-group", args.row_group, "Only this row group (0-based)");
  cmd->add_flag("--verify-crc", args.verify_crc, "Check page checksums where the writer stored them");
  cmd->add_option("--where", args.where,
                  "Only rows where this holds: comparisons, BETWEEN, IN, IS [NOT] NULL, LIKE 'prefix%', AND, OR, NOT "
                  "(e.g. \"age BETWEEN 13 AND 19 AND city IN ('Ghent', 'Delft')\")");
  cmd->add_flag("--stats", args.stats, "Print to stderr what the filter let the scan skip");
  add_read_flags(cmd, args.read);
  add_dataset_flags(cmd, args.dataset);
  add_storage_flags(cmd, args.storage);
  add_decryption_flags(cmd, args.decryption);
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

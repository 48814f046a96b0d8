// parkett convert IN OUT: Parquet -> Parquet (rewrite with other writer options), CSV or
// JSON Lines -> Parquet (types inferred from a sample, or given with --schema),
// Parquet -> CSV or JSON Lines. Streams batch by batch; the output appears atomically; a progress bar goes to
// stderr when it is a terminal.
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/dataset_flags.h"
#include "cli/dataset_write_flags.h"
#include "cli/progress.h"
#include "cli/read_flags.h"
#include "cli/encryption_flags.h"
#include "cli/storage_flags.h"
#include "io/remote_file.h"
#include "cli/write_flags.h"
#include "convert/csv_reader.h"
#include "convert/jsonl_reader.h"
#include "convert/jsonl_writer.h"
#include "parkett/dataset.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace parkett::cli {
namespace {

struct ConvertArgs {
  std::string input, output;
  std::string schema;     // CSV input: NAME:TYPE,...
  std::string delimiter;  // CSV input
  int64_t sample_rows = 1000;
  bool progress = true;
  WriteFlags flags;
  CLI::Option* schema_flag = nullptr;  // to tell which flags were given
  CLI::Option* delimiter_flag = nullptr;
  CLI::Option* sample_rows_flag = nullptr;
  std::string where;  // Parquet input: only rows where this holds
  std::vector<std::string> columns;  // Parquet input: only these columns
  std::vector<int32_t> column_ids;   // ... or these, by field id
  std::vector<int32_t> row_groups;   // Parquet file input: only these row groups
  DatasetFlags input_dataset;       // a directory or glob as input
  DatasetWriteFlags output_dataset;  // a directory as output
  StorageFlags storage;
  DecryptionFlags decryption;  // of Parquet input
  ReadFlags read;              // of Parquet input
  EncryptionFlags encryption;  // of Parquet output
};

enum class Format { Parquet, Csv, Jsonl };

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Format format_of(const std::string& given) {
  const std::string path = io::url_for_messages(given);  // a URL's extension comes before its query
  if (ends_with(path, ".parquet") || ends_with(path, ".parq") || ends_with(path, ".pq")) return Format::Parquet;
  if (ends_with(path, ".csv") || ends_with(path, ".tsv")) return Format::Csv;
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) return Format::Jsonl;
  throw Error(ErrorKind::InvalidArgument,
              "'" + path + "': the format comes from the extension: .parquet, .csv, .tsv, .jsonl or .ndjson");
}

std::string csv_field(const std::string& s, char sep) {
  if (s.find_first_of(std::string(1, sep) + "\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A canonical JSON value as CSV text: strings unquoted, null empty.
std::string plain_text(const std::string& json_value) {
  if (json_value == "null") return "";
  if (!json_value.empty() && json_value[0] == '"') return nlohmann::json::parse(json_value).get<std::string>();
  return json_value;
}

// The rows of the input's row groups that --row-group selects (all without it).
// Error(InvalidArgument) for one the file does not have.
int64_t selected_rows(const FileReader& reader, const ConvertArgs& a) {
  const FileMetadata& md = reader.metadata();
  if (a.row_groups.empty()) return md.num_rows();
  int64_t rows = 0;
  for (const int32_t g : a.row_groups) {
    if (g < 0 || g >= md.num_row_groups()) {
      throw Error(ErrorKind::InvalidArgument, "--row-group " + std::to_string(g) + " does not exist; the file has " +
                                                  std::to_string(md.num_row_groups()),
                  ErrorContext{io::url_for_messages(a.input), {}, {}, {}});
    }
    rows += md.row_group(g).num_rows();
  }
  return rows;
}

// Parquet input read from its store (remote_store).
ReadOptions read_options(const ConvertArgs& a) {
  ReadOptions ro;
  apply_read_flags(a.read, ro);
  ro.filesystem = remote_store(a.input, a.storage);
  ro.decryption = decryption(a.decryption, a.input);
  if (!a.where.empty()) ro.filter = Expression::parse(a.where);
  ro.columns = a.columns;
  ro.column_ids = a.column_ids;
  ro.row_groups = a.row_groups;
  if (a.flags.threads) ro.threads = *a.flags.threads;
  return ro;
}

// One --aad-prefix and one --kms-config: the output's, and the input's if encrypted.
EncryptionFlags output_encryption(const ConvertArgs& a) {
  EncryptionFlags e = a.encryption;
  e.aad_prefix = a.decryption.aad_prefix;
  e.kms_config = a.decryption.kms_config;
  return e;
}

// The writer options the flags give, writing to the output's store; `encrypted`: with the
// output file's encryption (a dataset's files get theirs from set_encryption).
WriteOptions write_options(const ConvertArgs& a, bool encrypted = true) {
  WriteOptions o = a.flags.options();
  o.filesystem = remote_store(a.output, a.storage);
  if (encrypted) o.encryption = encryption(output_encryption(a), a.output);
  return o;
}

int parquet_to_text(const ConvertArgs& a, Format out_format) {
  ReadOptions ro = read_options(a);
  ro.batch_size = 0;  // one batch per row group
  ro.int96_unit = TimeUnit::Micro;
  FileReader reader = FileReader::open(a.input, ro);
  const int64_t selected = selected_rows(reader, a);
  RecordBatchReader batches = reader.batches();
  const ParquetSchema& schema = reader.metadata().schema();
  convert::JsonlWriter writer(schema, convert::top_level_plans(schema, batches.schema()));
  const std::shared_ptr<FileSystem> out_store = remote_store(a.output, a.storage);
  const std::unique_ptr<OutputFile> file = (out_store ? out_store : local_filesystem())->open_output(a.output);
  Progress progress(a.progress);
  std::string out;
  const char sep = ends_with(a.output, ".tsv") ? '\t' : ',';
  if (out_format == Format::Csv) {
    for (size_t c = 0; c < writer.fields().size(); ++c) {
      if (c) out += sep;
      out += csv_field(writer.fields()[c].field.name, sep);  // distinct (convert/output_names.h)
    }
    out += "\n";
  }
  const int64_t total = std::max<int64_t>(1, selected);
  int64_t rows = 0;
  RecordBatch batch;
  while (batches.next(batch)) {
    std::string v;
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      if (out_format == Format::Jsonl) {
        writer.write_rows(batch, r, 1, out);
      } else {
        for (size_t c = 0; c < batch.columns.size(); ++c) {
          v.clear();
          writer.write_value(*batch.columns[c], writer.fields()[c], r, v);
          if (c) out += sep;
          // An empty string is quoted, so that it reads back apart from null (an empty field).
          out += v == "\"\"" ? std::string("\"\"") : csv_field(plain_text(v), sep);
        }
        out += "\n";
      }
      if (out.size() > (size_t{1} << 20)) {  // written as rendered: one row's text at a time
        file->write(out.data(), out.size());
        out.clear();
      }
    }
    file->write(out.data(), out.size());
    out.clear();
    rows += batch.num_rows;
    progress.update(static_cast<double>(rows) / static_cast<double>(total), std::to_string(rows) + " rows");
  }
  file->write(out.data(), out.size());
  file->close();
  return 0;
}

// Writes every batch of `reader` (CsvReader, JsonlReader, RecordBatchReader) to a Parquet
// file; `done()` says how far the input is, from 0 to 1.
template <class Reader, class Done>
int write_parquet(Reader& reader, const ConvertArgs& a, const WriteOptions& options, Done&& done) {
  FileWriter writer = FileWriter::open(a.output, reader.schema(), options);
  Progress progress(a.progress);
  RecordBatch batch;
  int64_t rows = 0;
  while (reader.next(batch)) {
    writer.write(batch);
    rows += batch.num_rows;
    progress.update(done(rows), std::to_string(rows) + " rows");
  }
  writer.close();
  return 0;
}

// The input as a stream, and its size in bytes (at least 1) for the progress bar. A pipe
// or FIFO is read as it comes (its size is unknown); a directory is refused.
std::ifstream open_text(const std::string& path, double& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    throw Error(err == ENOENT ? ErrorKind::NotFound : ErrorKind::Io,
                "cannot open '" + path + "': " + std::strerror(err), {path, {}, {}, {}});
  }
  if (S_ISDIR(st.st_mode)) {
    throw Error(ErrorKind::InvalidArgument, "'" + path + "' is a directory, not a file", {path, {}, {}, {}});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, "cannot open '" + path + "'", {path, {}, {}, {}});
  size = S_ISREG(st.st_mode) ? static_cast<double>(std::max<off_t>(1, st.st_size)) : 1.0;
  return in;
}

convert::CsvOptions csv_options(const ConvertArgs& a) {
  convert::CsvOptions co;
  co.delimiter = ends_with(a.input, ".tsv") ? '\t' : ',';
  if (!a.delimiter.empty()) {
    if (a.delimiter.size() != 1 && a.delimiter != "\\t") {
      throw Error(ErrorKind::InvalidArgument, "--delimiter '" + a.delimiter + "': expected one character");
    }
    co.delimiter = a.delimiter == "\\t" ? '\t' : a.delimiter[0];
    if (co.delimiter == '"' || co.delimiter == '\n' || co.delimiter == '\r') {
      throw Error(ErrorKind::InvalidArgument, "--delimiter: a quote or line break cannot separate fields");
    }
  }
  co.sample_rows = a.sample_rows;
  if (!a.schema.empty()) co.schema = convert::parse_schema_text(a.schema);
  return co;
}

convert::JsonlOptions jsonl_options(const ConvertArgs& a) {
  convert::JsonlOptions jo;
  jo.sample_rows = a.sample_rows;
  if (!a.schema.empty()) jo.schema = convert::parse_schema_text(a.schema);
  return jo;
}

int csv_to_parquet(const ConvertArgs& a, const WriteOptions& options) {
  double size;
  std::ifstream in = open_text(a.input, size);
  convert::CsvReader reader(in, a.input, csv_options(a));
  return write_parquet(reader, a, options, [&](int64_t) { return static_cast<double>(reader.bytes_read()) / size; });
}

int jsonl_to_parquet(const ConvertArgs& a, const WriteOptions& options) {
  double size;
  std::ifstream in = open_text(a.input, size);
  convert::JsonlReader reader(in, a.input, jsonl_options(a));
  return write_parquet(reader, a, options, [&](int64_t) { return static_cast<double>(reader.bytes_read()) / size; });
}

const char* name_of(Format f) {
  return f == Format::Parquet ? "Parquet" : f == Format::Csv ? "CSV" : "JSON Lines";
}

// Flags that do nothing for these formats are mistakes: refused, not ignored.
void check_flags_apply(const ConvertArgs& a, Format from, Format to) {
  const std::vector<std::string> writer_flags = a.flags.given();
  if (to != Format::Parquet && !writer_flags.empty()) {
    throw Error(ErrorKind::InvalidArgument, writer_flags.front() + " applies to Parquet output; '" + a.output +
                                                "' is " + name_of(to));
  }
  if (from == Format::Parquet) {
    for (const CLI::Option* o : {a.schema_flag, a.delimiter_flag, a.sample_rows_flag}) {
      if (o && o->count() > 0) {
        throw Error(ErrorKind::InvalidArgument,
                    o->get_name() + " applies to CSV or JSON Lines input; '" + a.input + "' is Parquet");
      }
    }
  }
  const std::pair<const char*, bool> parquet_input_flags[] = {
      {"--where", !a.where.empty()},
      {"--columns", !a.columns.empty()},
      {"--column-ids", !a.column_ids.empty()},
      {"--row-group", !a.row_groups.empty()},
      {"--binary-as-string", a.read.binary_as_string},
      {"--all-nullable", a.read.all_nullable},
      {"--datetime-rebase-in-read", !a.read.datetime_rebase.empty()},
      {"--int96-rebase-in-read", !a.read.int96_rebase.empty()}};
  for (const auto& [flag, given] : parquet_input_flags) {
    if (from != Format::Parquet && given) {
      throw Error(ErrorKind::InvalidArgument, std::string(flag) + " applies to Parquet input; '" + a.input + "' is " + name_of(from));
    }
  }
  if (from == Format::Jsonl && a.delimiter_flag && a.delimiter_flag->count() > 0) {
    throw Error(ErrorKind::InvalidArgument, "--delimiter applies to CSV input; '" + a.input + "' is JSON Lines");
  }
  if (a.sample_rows < 1) {
    throw Error(ErrorKind::InvalidArgument, "--sample-rows '" + std::to_string(a.sample_rows) + "': expected a positive integer");
  }
}

// A CSV or JSON Lines reader as a batch stream.
template <class Reader>
class TextSource final : public RecordBatchReader::Source {
 public:
  explicit TextSource(Reader& reader) : reader_(reader) {}
  const Schema& schema() const override { return reader_.schema(); }
  bool next(RecordBatch& out) override { return reader_.next(out); }
  const ScanCounts& counts() const override { return counts_; }

 private:
  Reader& reader_;
  ScanCounts counts_;
};

// The batches of `in`, updating the progress bar as they pass.
class ProgressSource final : public RecordBatchReader::Source {
 public:
  ProgressSource(RecordBatchReader& in, bool show, std::function<double(int64_t)> done)
      : in_(in), progress_(show), done_(std::move(done)) {}
  const Schema& schema() const override { return in_.schema(); }
  bool next(RecordBatch& out) override {
    if (!in_.next(out)) return false;
    rows_ += out.num_rows;
    progress_.update(done_(rows_), std::to_string(rows_) + " rows");
    return true;
  }
  const ScanCounts& counts() const override { return in_.counts(); }

 private:
  RecordBatchReader& in_;
  Progress progress_;
  std::function<double(int64_t)> done_;
  int64_t rows_ = 0;
};

// String columns among `names` in `schema`: read as dictionaries, they are grouped into
// partitions by dictionary index instead of by their bytes.
std::vector<std::string> string_columns(const Schema& schema, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    const int i = schema.field_index(n);
    if (i >= 0 && schema.fields[static_cast<size_t>(i)].type.id() == DataType::Id::String) out.push_back(n);
  }
  return out;
}

// Writes `batches` to a dataset directory, or to one Parquet file.
void write_output(RecordBatchReader& batches, const ConvertArgs& a, bool dataset_out, std::function<double(int64_t)> done) {
  RecordBatchReader shown(std::make_unique<ProgressSource>(batches, a.progress, std::move(done)));
  if (!dataset_out) {
    FileWriter writer = FileWriter::open(a.output, shown.schema(), write_options(a));
    for (RecordBatch b; shown.next(b);) writer.write(b);
    writer.close();
    return;
  }
  DatasetWriteOptions o = a.output_dataset.options();
  o.file_options = write_options(a, false);
  set_encryption(output_encryption(a), o);
  write_dataset(shown, a.output, o);
}

// Conversions with a dataset on either side: IN a directory or glob of Parquet files, or
// OUT a directory (partitioned by --partition-by).
int convert_dataset(const ConvertArgs& a, bool dataset_in, bool dataset_out) {
  const Format from = dataset_in ? Format::Parquet : format_of(a.input);
  if (!dataset_out && format_of(a.output) != Format::Parquet) {
    throw Error(ErrorKind::Unsupported, "a dataset converts to Parquet; 'parkett cat " + a.input +
                                            " --format csv|jsonl' prints it as text");
  }
  check_flags_apply(a, from, Format::Parquet);
  // Partition columns left out of the files are read as dictionaries (grouped by index).
  const bool by_index = dataset_out && !a.output_dataset.keep_partition_columns;
  if (dataset_in) {
    DatasetOptions options = dataset_options(a.input_dataset);
    options.file_options.filesystem = remote_store(a.input, a.storage);
    set_decryption(a.decryption, options);
    const Dataset ds = Dataset::open(a.input, options);
    if (ds.fragments().empty()) {
      throw Error(ErrorKind::InvalidArgument, "'" + a.input + "' is a directory or glob holding no Parquet files "
                                              "(convert reads one as a dataset)", {io::url_for_messages(a.input), {}, {}, {}});
    }
    if (!a.row_groups.empty()) throw Error(ErrorKind::InvalidArgument, "--row-group applies to a file, not a directory or glob");
    ScanOptions so;
    if (!a.where.empty()) so.filter = Expression::parse(a.where);
    so.columns = a.columns;
    so.column_ids = a.column_ids;
    if (a.flags.threads) so.threads = *a.flags.threads;
    RecordBatchReader batches = ds.scan(so);
    int64_t total = 0;
    for (int64_t r : ds.fragment_rows()) total += r;
    const auto all = static_cast<double>(std::max<int64_t>(1, total));
    write_output(batches, a, dataset_out, [all](int64_t rows) { return static_cast<double>(rows) / all; });
  } else if (from == Format::Parquet) {
    const ReadOptions ro = read_options(a);
    FileReader reader = FileReader::open(a.input, ro);
    const auto all = static_cast<double>(std::max<int64_t>(1, selected_rows(reader, a)));
    ScanOptions so = ro;
    if (by_index) so.read_dictionary = string_columns(reader.arrow_schema(), a.output_dataset.partition_by);
    RecordBatchReader batches = reader.batches(so);
    write_output(batches, a, dataset_out, [all](int64_t rows) { return static_cast<double>(rows) / all; });
  } else {
    double size;
    std::ifstream in = open_text(a.input, size);
    const auto of_input = [&size](auto& reader) {
      return [&reader, &size](int64_t) { return static_cast<double>(reader.bytes_read()) / size; };
    };
    if (from == Format::Csv) {
      convert::CsvReader reader(in, a.input, csv_options(a));
      RecordBatchReader batches(std::make_unique<TextSource<convert::CsvReader>>(reader));
      write_output(batches, a, dataset_out, of_input(reader));
    } else {
      convert::JsonlReader reader(in, a.input, jsonl_options(a));
      RecordBatchReader batches(std::make_unique<TextSource<convert::JsonlReader>>(reader));
      write_output(batches, a, dataset_out, of_input(reader));
    }
  }
  return 0;
}

int run(const ConvertArgs& a) {
  std::error_code ec;
  const bool dataset_in = is_dataset_path(a.input, remote_store(a.input, a.storage).get());
  const bool dataset_out = a.output_dataset.any_given() || ends_with(a.output, "/") ||
                           std::filesystem::is_directory(a.output, ec);
  if (dataset_in || dataset_out) return convert_dataset(a, dataset_in, dataset_out);
  const Format from = format_of(a.input), to = format_of(a.output);
  check_flags_apply(a, from, to);
  const WriteOptions options = write_options(a);
  if (from == Format::Parquet && to != Format::Parquet) return parquet_to_text(a, to);
  if (from == Format::Csv && to == Format::Parquet) return csv_to_parquet(a, options);
  if (from == Format::Jsonl && to == Format::Parquet) return jsonl_to_parquet(a, options);
  if (from != Format::Parquet || to != Format::Parquet) {
    throw Error(ErrorKind::Unsupported, "convert reads Parquet, CSV or JSON Lines and writes Parquet, CSV or JSON Lines, "
                                        "with Parquet on one side; '" + a.input + "' -> '" + a.output + "' is not one of those");
  }
  ReadOptions ro = read_options(a);
  ro.batch_size = 0;  // one batch per row group
  FileReader reader = FileReader::open(a.input, ro);
  const auto total = static_cast<double>(std::max<int64_t>(1, selected_rows(reader, a)));
  RecordBatchReader batches = reader.batches();
  return write_parquet(batches, a, options, [&](int64_t rows) { return static_cast<double>(rows) / total; });
}

}  // namespace

Runner add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert between Parquet, CSV and JSON Lines (by extension), or rewrite Parquet with other writer options");
  cmd->add_option("input", args->input,
                  "Input: .parquet, .csv/.tsv, .jsonl/.ndjson, or a directory or glob of Parquet files (a dataset)")
      ->required();
  cmd->add_option("output", args->output,
                  "Output: .parquet, .csv/.tsv or .jsonl/.ndjson, or a directory (ending in '/', existing, or with "
                  "--partition-by): a dataset of Parquet files")
      ->required();
  args->schema_flag = cmd->add_option("--schema", args->schema,
                  "CSV and JSON Lines input: column types NAME:TYPE,... (CSV: every column; JSON Lines: the fields "
                  "named, the others inferred)");
  args->delimiter_flag = cmd->add_option("--delimiter", args->delimiter, "CSV input: the field separator (default ',', '\\t' for .tsv)");
  args->sample_rows_flag = cmd->add_option("--sample-rows", args->sample_rows, "CSV and JSON Lines input: rows the column types are inferred from");
  cmd->add_flag("!--no-progress", args->progress, "No progress bar on stderr");
  cmd->add_option("--where", args->where, "Parquet input: only rows where this holds (as cat --where)");
  cmd->add_option("--columns", args->columns, "Parquet input: only these columns (a,b or repeated; fields by dotted path)")
      ->delimiter(',');
  cmd->add_option("--column-ids", args->column_ids, "Parquet input: only these columns, by field id (1,5 or repeated)")
      ->delimiter(',');
  cmd->add_option("--row-group", args->row_groups, "Parquet file input: only these row groups (0-based; 1,3 or repeated)")
      ->delimiter(',');
  args->flags.add_to(*cmd);
  add_read_flags(cmd, args->read);
  add_dataset_flags(cmd, args->input_dataset);
  args->output_dataset.add_to(*cmd);
  add_storage_flags(cmd, args->storage);
  add_decryption_flags(cmd, args->decryption);
  add_encryption_flags(cmd, args->encryption, false);
  return [args] { return run(*args); };
}

}  // namespace parkett::cli

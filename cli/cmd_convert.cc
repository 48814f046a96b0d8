// parkett convert IN OUT: rewrite a Parquet file with other writer options, streaming one
// row group at a time.
#include <iostream>

#include "cli/commands.h"
#include "cli/write_flags.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace parkett::cli {
namespace {

struct ConvertArgs {
  std::string input, output;
  WriteFlags flags;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int run(const ConvertArgs& a) {
  if (!ends_with(a.output, ".parquet") && !ends_with(a.output, ".parq")) {
    throw Error(ErrorKind::Unsupported, "output '" + a.output + "': only Parquet output (.parquet) is written so far");
  }
  const WriteOptions options = a.flags.options();
  ReadOptions ro;
  ro.batch_size = 0;  // one batch per row group
  FileReader reader = FileReader::open(a.input, ro);
  RecordBatchReader batches = reader.batches();
  FileWriter writer = FileWriter::open(a.output, batches.schema(), options);
  RecordBatch batch;
  while (batches.next(batch)) writer.write(batch);
  writer.close();
  return 0;
}

}  // namespace

Runner add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "Rewrite a Parquet file with other writer options");
  cmd->add_option("input", args->input, "Input Parquet file")->required();
  cmd->add_option("output", args->output, "Output file (.parquet)")->required();
  args->flags.add_to(*cmd);
  return [args] { return run(*args); };
}

}  // namespace parkett::cli

#include "cli/dataset_write_flags.h"

#include "parkett/error.h"

namespace parkett::cli {

void DatasetWriteFlags::add_to(CLI::App& cmd) {
  registered_ = {
      cmd.add_option("--partition-by", partition_by, "Columns whose values name the output's directories (a,b)")
          ->delimiter(','),
      cmd.add_option("--partition-flavor", flavor, "hive (NAME=VALUE directories) or directory (VALUE directories)")
          ->capture_default_str(),
      cmd.add_option("--max-rows-per-file", max_rows_per_file, "Start a new file after this many rows"),
      cmd.add_option("--max-open-files", max_open_files,
                     "Files open at once (default 1024); more close the least recently written"),
      cmd.add_option("--existing", existing,
                     "Data already in OUT_DIR: error, overwrite (replace files of the same name) or delete-matching "
                     "(empty each partition written)")
          ->capture_default_str(),
      cmd.add_option("--basename-template", basename_template,
                     "File names: {i} counts per directory, {uuid} is random (default part-{i}.parquet)"),
      cmd.add_flag("--keep-partition-columns", keep_partition_columns, "Also store the partition columns in the files"),
      cmd.add_flag("--metadata-file", metadata_files,
                   "Also write _metadata (every file's row groups) and _common_metadata (the schema) in OUT_DIR"),
  };
}

bool DatasetWriteFlags::any_given() const {
  for (const CLI::Option* o : registered_) {
    if (o->count() > 0) return true;
  }
  return false;
}

DatasetWriteOptions DatasetWriteFlags::options() const {
  DatasetWriteOptions o;
  o.partition_by = partition_by;
  if (flavor == "hive") {
    o.flavor = Partitioning::Kind::Hive;
  } else if (flavor == "directory") {
    o.flavor = Partitioning::Kind::Directory;
  } else {
    throw Error(ErrorKind::InvalidArgument, "--partition-flavor must be hive or directory, not '" + flavor + "'");
  }
  if (max_rows_per_file) {
    if (*max_rows_per_file < 1) throw Error(ErrorKind::InvalidArgument, "--max-rows-per-file must be positive");
    o.max_rows_per_file = *max_rows_per_file;
  }
  if (max_open_files) {
    if (*max_open_files < 1) throw Error(ErrorKind::InvalidArgument, "--max-open-files must be positive");
    o.max_open_files = *max_open_files;
  }
  if (existing == "error") {
    o.existing_data = ExistingData::Error;
  } else if (existing == "overwrite") {
    o.existing_data = ExistingData::OverwriteOrIgnore;
  } else if (existing == "delete-matching") {
    o.existing_data = ExistingData::DeleteMatching;
  } else {
    throw Error(ErrorKind::InvalidArgument,
                "--existing must be error, overwrite or delete-matching, not '" + existing + "'");
  }
  if (!basename_template.empty()) o.basename_template = basename_template;
  o.keep_partition_columns = keep_partition_columns;
  o.write_metadata_files = metadata_files;
  return o;
}

}  // namespace parkett::cli

// What write_tables needs of FileWriter beyond its public API: a writer of a path whose
// file and sidecar files (data indexes) go to outputs the caller makes visible later.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "parkett/writer.h"

namespace parkett::file {

class FileWriterAccess {
 public:
  using OpenSidecar = std::function<std::unique_ptr<OutputFile>(const std::string& path)>;
  /// A FileWriter of `path`: the options are checked, then `out` makes its output; its data
  /// indexes are written to outputs `open_sidecar` makes for their paths beside `path`.
  static FileWriter open(const std::string& path, const std::function<std::unique_ptr<OutputFile>()>& out,
                         const Schema& schema, const WriteOptions& options, OpenSidecar open_sidecar);
};

}  // namespace parkett::file

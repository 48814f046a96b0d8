// What the read paths of file/ need of a FileReader beyond its public interface.
#pragma once

#include <memory>

#include "io/random_access_file.h"
#include "parkett/reader.h"

namespace parkett {

class FileReaderAccess {
 public:
  static FileReader make(std::shared_ptr<io::RandomAccessFile> file, const ReadOptions& options);
  static const io::RandomAccessFile& file(const FileReader& r) { return *r.file_; }
  /// parquet-mr before 1.2.9 left the dictionary page header out of a chunk's size.
  static bool pads_dictionary_header(const FileReader& r) { return r.pads_dictionary_header_; }
};

}  // namespace parkett

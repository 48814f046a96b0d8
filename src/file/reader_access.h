// What the read paths of file/ need of a FileReader beyond its public interface.
#pragma once

#include <map>
#include <memory>

#include "column/calendar_rebase.h"
#include "file/file_decryptor.h"
#include "io/random_access_file.h"
#include "parkett/reader.h"

namespace parkett {

struct __attribute__((visibility("hidden"))) FileReader::State {
  std::string name;
  std::string path;  // as opened by FileReader::open(path): sidecar files are found beside it
  FileMetadata metadata;
  ReadOptions options;  // the open options, and the scan options read_table() uses
  bool pads_dictionary_header = false;  // a writer bug to work around (field_reader.cc)
  std::shared_ptr<io::RandomAccessFile> file;  // the storage the data pages are read from
  std::shared_ptr<const file::FileDecryptor> decryptor;  // encrypted files read with keys
  // Leaves whose dates or timestamps are rebased or checked on read (the file's calendar
  // and the open options' rebase modes).
  std::map<int32_t, column::CalendarRule> calendar_rules;
};

class FileReaderAccess {
 public:
  /// `known`: the footer, when it comes from elsewhere (not read from the file, checked to fit).
  static FileReader make(std::shared_ptr<io::RandomAccessFile> file, const ReadOptions& options,
                         const FileMetadata* known = nullptr, std::string path = {});
  static const FileReader::State& state(const FileReader& r);
  static const io::RandomAccessFile& file(const FileReader& r) { return *state(r).file; }
  /// The file's open options with the scan's options: what the read paths take.
  /// Columns chosen by field id are given as the paths they have in this file.
  static ReadOptions with_scan(const FileReader& r, const ScanOptions& scan);
  /// The cipher of a chunk's modules: null for plaintext chunks; Error(Crypto) saying
  /// which key is needed when it is unavailable.
  static std::shared_ptr<const crypto::ChunkCipher> cipher(const FileReader& r, int32_t row_group, int32_t column);
  /// parquet-mr before 1.2.9 left the dictionary page header out of a chunk's size.
  static bool pads_dictionary_header(const FileReader& r) { return state(r).pads_dictionary_header; }
  /// The calendar rule of leaf `column`, if its values are rebased or checked on read.
  static const column::CalendarRule* calendar_rule(const FileReader& r, int32_t column) {
    const auto& rules = state(r).calendar_rules;
    const auto it = rules.find(column);
    return it == rules.end() ? nullptr : &it->second;
  }
};

}  // namespace parkett

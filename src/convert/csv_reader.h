// CSV (RFC 4180: quoted fields with "" escapes and line breaks, a header row) into record
// batches. Column types come from a given schema or are inferred from the first rows:
// bool, int64, float64, date32, timestamp[us] (with a zone: UTC), else string; an empty
// field is null. A later value that does not fit the inferred type is an error naming the
// line and column, never silently a null.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "parkett/array.h"

namespace parkett::convert {

struct CsvOptions {
  char delimiter = ',';
  int64_t sample_rows = 1000;   // rows the types are inferred from
  int64_t batch_rows = 65536;   // rows per record batch
  std::optional<Schema> schema; // the columns' types (names must match the header)
};

/// "a:int64,b:string,c:timestamp[ms],d:timestamp[us,UTC]" -> a Schema. Types: bool, int8..int64,
/// uint8..uint64, float32/float, float64/double, string, binary, date32/date,
/// timestamp[s|ms|us|ns] optionally with ",ZONE". Throws Error(InvalidArgument).
Schema parse_schema_text(const std::string& text);

class CsvReader {
 public:
  /// Reads the header and the sample; throws Error(InvalidArgument) naming `name` and the line
  /// for malformed input.
  CsvReader(std::istream& in, std::string name, CsvOptions options = {});

  const Schema& schema() const { return schema_; }
  /// The next batch of up to batch_rows rows; false at the end.
  bool next(RecordBatch& out);
  int64_t bytes_read() const { return bytes_; }

 private:
  bool read_record(std::vector<std::string>& fields, std::vector<bool>& quoted);
  RecordBatch build(size_t begin, size_t end);

  std::istream& in_;
  std::string name_;
  CsvOptions options_;
  Schema schema_;
  int64_t line_ = 0;            // lines read so far
  int64_t bytes_ = 0;
  struct Row {
    int64_t line;
    std::vector<std::string> fields;
    std::vector<bool> quoted;  // a quoted empty field is an empty string, not null
  };
  std::vector<Row> pending_;    // rows read but not yet handed out
  bool done_ = false;
};

}  // namespace parkett::convert

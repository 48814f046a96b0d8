// JSON Lines (one JSON object per line) into record batches. The schema comes from the
// first lines: null, bool, int64, float64 (int64 widens to it), string, lists of any of
// these, and objects as structs (keys in order of first appearance; a missing key is null).
// Values of other mixed kinds become their JSON text in a string column. Top-level strings
// that are all ISO dates become date32, all ISO timestamps (or dates) timestamp[us] (UTC
// when any has a zone). A given schema sets the types of the fields it names (scalars:
// integers and floats of any width, string, binary, date32 from "YYYY-MM-DD" or days,
// timestamps from ISO text or numbers in their unit). A later value that does not fit is
// an error naming the line and the field.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parkett/array.h"

namespace parkett::convert {

struct JsonlOptions {
  int64_t sample_rows = 1000;
  int64_t batch_rows = 65536;
  std::optional<Schema> schema;  // types of the top-level fields it names; fields absent from the data are added
};

class JsonlReader {
 public:
  JsonlReader(std::istream& in, std::string name, JsonlOptions options = {});
  ~JsonlReader();

  const Schema& schema() const { return schema_; }
  bool next(RecordBatch& out);
  int64_t bytes_read() const { return bytes_; }

 private:
  struct Rows;
  bool read_row();

  std::istream& in_;
  std::string name_;
  JsonlOptions options_;
  Schema schema_;
  std::set<std::string> given_;  // top-level fields typed by options_.schema
  int64_t line_ = 0;
  int64_t bytes_ = 0;
  bool done_ = false;
  std::unique_ptr<Rows> rows_;  // parsed lines not yet handed out
};

}  // namespace parkett::convert

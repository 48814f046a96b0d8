// Page framing for the writer, the inverse of page_reader.h: a page's body compressed with
// the chunk's codec and its header (sizes, statistics, CRC) serialized in front. Sans-IO:
// pages are built in memory; column/ decides what goes in them, file/ where they go.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/chunk_cipher.h"
#include "format/parquet_types.h"
#include "parkett/types.h"

namespace parkett::codec {
class Codec;
}

namespace parkett::page {

// One page as it goes to the file: its Thrift header, then its (compressed) body.
struct EncodedPage {
  std::string header;
  std::vector<uint8_t> body;
};

// What a data page header says besides its sizes.
struct DataPageInfo {
  int32_t num_values = 0;  // levels: values and nulls
  int32_t num_nulls = 0;   // v2
  int32_t num_rows = 0;    // v2
  Encoding encoding = Encoding::Plain;
  std::optional<format::Statistics> statistics;
};

class PageWriter {
 public:
  /// `column` names the column in errors. `cipher`: the chunk is encrypted (Encryption.md):
  /// each page and page header becomes a module, and the header's sizes and CRC are the
  /// encrypted page's.
  PageWriter(Compression codec, int level, bool crc, const std::string& column,
             std::shared_ptr<const crypto::ChunkCipher> cipher = nullptr);

  /// A v1 data page: `levels_and_values` (levels with their lengths, then values) compressed
  /// together. Each call fills `out` (whose body buffer it reuses) and returns the page's
  /// size in the file.
  int64_t data_page_v1(const std::vector<uint8_t>& levels_and_values, DataPageInfo info, EncodedPage& out);
  /// A v2 data page: `levels` (repetition, `rep_bytes` of them, then definition) stay
  /// uncompressed before the values.
  int64_t data_page_v2(const std::vector<uint8_t>& levels, size_t rep_bytes, const std::vector<uint8_t>& values,
                       DataPageInfo info, EncodedPage& out);
  /// A dictionary page of `entries` values in `encoding` (PLAIN, or PLAIN_DICTIONARY in 1.0).
  int64_t dictionary_page(const std::vector<uint8_t>& values, int32_t entries, Encoding encoding, EncodedPage& out);

  /// The bytes `raw` would take in a page body (compressed into `scratch`).
  size_t compressed_size(const std::vector<uint8_t>& raw, std::vector<uint8_t>& scratch) const;

  /// Headers and uncompressed bodies of the pages so far (ColumnMetaData.total_uncompressed_size).
  int64_t uncompressed_total() const { return uncompressed_total_; }

 private:
  void compress_into(const std::vector<uint8_t>& raw, std::vector<uint8_t>& body) const;
  int64_t finish(format::PageHeader& h, EncodedPage& out);

  Compression codec_id_;
  int level_;
  bool crc_;
  const std::string& column_;
  const codec::Codec& codec_;
  int64_t uncompressed_total_ = 0;
  std::shared_ptr<const crypto::ChunkCipher> cipher_;
  int64_t next_ordinal_ = 0;       // of the next data page (encrypted chunks)
  std::string plain_header_;
};

}  // namespace parkett::page

// Pages of one column chunk (see README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/chunk_cipher.h"
#include "table/growable_buffer.h"

#include "parkett/types.h"

namespace parkett::page {

struct Page {
  PageType type = PageType::DataPage;
  int64_t file_offset = 0;     // where the page header starts
  int32_t num_values = 0;      // values including nulls (dictionary: entries)
  int32_t num_nulls = -1;      // v2 only
  int32_t num_rows = -1;       // v2 only
  Encoding encoding = Encoding::Plain;
  Encoding def_level_encoding = Encoding::Rle;  // v1 only
  Encoding rep_level_encoding = Encoding::Rle;  // v1 only
  bool dictionary_sorted = false;
  // v1: `body` is the whole decompressed page (levels then values).
  // v2: `rep_levels` and `def_levels` are the level sections, `body` the values.
  std::span<const uint8_t> rep_levels, def_levels, body;
};

struct PageReaderOptions {
  bool verify_crc = false;
  /// Largest decompressed page accepted; bigger ones are Error(ResourceLimit).
  int64_t max_page_size = int64_t{1} << 31;
  /// An encrypted chunk's key and AAD (Encryption.md): its page headers and pages are
  /// modules. Null for plaintext chunks.
  std::shared_ptr<const crypto::ChunkCipher> cipher;
  /// The chunk starts with a dictionary page. Only encrypted chunks need to know before
  /// reading: the first header's AAD says which kind it is.
  bool dictionary_first = false;
};

// Where the bytes of a chunk come from: all of them at once (a span of the whole chunk), or a
// window of them at a time that the caller refills when the reader says it needs bytes it
// does not have (next_header returns NeedBytes). Refilling happens only between pages: the
// spans of the last page stay valid until the next call to next_header.
class PageReader {
 public:
  enum class Next { Page, End, NeedBytes };
  struct ByteRange {
    int64_t offset = 0, size = 0;  // in the file
  };

  /// `chunk`: the column chunk's bytes, which start at `file_offset` in the file.
  PageReader(std::span<const uint8_t> chunk, int64_t file_offset, Compression codec,
             PageReaderOptions options = {});
  /// A chunk at [file_offset, end_offset) of the file whose bytes come by supply().
  PageReader(int64_t file_offset, int64_t end_offset, Compression codec, PageReaderOptions options = {});

  /// Bytes of the chunk at `file_offset` on, replacing the last ones given (valid until the
  /// next supply). They must cover need().offset.
  void supply(std::span<const uint8_t> bytes, int64_t file_offset);
  /// After NeedBytes: the bytes next_header must have to go on (a caller may give more).
  ByteRange need() const { return need_; }

  /// The next dictionary or data page; false at the end of the chunk. The page's spans stay
  /// valid until the next call. Only for readers given the whole chunk.
  bool next(Page& page) {
    if (next_header(page) != Next::Page) return false;
    load(page);
    return true;
  }
  /// The next dictionary or data page's header only (type, counts, encodings; no spans);
  /// End at the end of the chunk; NeedBytes when its header or bytes are not at hand (see
  /// need()). Call load() for the page's bytes, or go on to skip it undecompressed.
  Next next_header(Page& page);
  /// Checks and decompresses the page next_header just returned, setting its spans.
  void load(Page& page);
  /// Continues at the page header at `file_offset` (from the offset index), reading no
  /// byte at or past `end_offset`; both must lie in the chunk. `data_page_ordinal`: the
  /// data page's place in the chunk (0 for the first), which encrypted pages' AADs hold.
  void seek(int64_t file_offset, int64_t end_offset, int64_t data_page_ordinal);
  /// The file offset of the next page header.
  int64_t position() const { return pos_; }
  /// Data and dictionary pages decompressed so far.
  int64_t pages_loaded() const { return pages_loaded_; }
  /// Whether `bytes` lie in the reader's own buffer (a decompressed page) rather than in the
  /// chunk.
  bool holds(std::span<const uint8_t> bytes) const {
    const uint8_t* b = buffer_.data();
    return b != nullptr && bytes.data() >= b && bytes.data() + bytes.size() <= b + buffer_.size();
  }
  /// Hands over the buffer the last page was decompressed into (its spans keep pointing
  /// into it); the next page gets a new one.
  table::GrowableBuffer take_buffer() { return std::move(buffer_); }

 private:
  Next missing(int64_t size);  // sets need_ to `size` bytes from pos_ (at most to limit_)

  const int64_t chunk_begin_, chunk_end_;  // file offsets of the chunk
  Compression codec_;
  PageReaderOptions options_;
  std::span<const uint8_t> window_;  // bytes at hand, from file offset window_offset_ on
  int64_t window_offset_;
  int64_t pos_;    // file offset of the next page header
  int64_t limit_;  // bytes from here on are not read (the chunk's end, or a page's by seek)
  bool sought_ = false;  // limit_ is a page's end (seek): everything up to it is read
  ByteRange need_;
  // The page of the last next_header: its stored bytes and the sizes its header gives.
  std::span<const uint8_t> raw_;
  size_t uncompressed_ = 0;
  int32_t levels_bytes_[2] = {0, 0};  // v2: repetition, definition
  bool v2_compressed_ = true;
  std::optional<int32_t> crc_;
  int64_t pages_loaded_ = 0;
  // Encrypted chunks: the ordinal of the next data page, that of the last header's page
  // (-1 for a dictionary page), and a header's plaintext.
  int64_t next_ordinal_ = 0;
  int64_t ordinal_ = -1;
  std::vector<uint8_t> header_plain_;
  // The decompressed page, reused. New bytes are not zeroed first: a page header claiming
  // gigabytes costs address space until decompression shows otherwise, not a memset.
  table::GrowableBuffer buffer_;
};

}  // namespace parkett::page

#include "page/page_reader.h"

#include <libdeflate.h>

#include <algorithm>
#include <string>

#include "codec/codec.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::page {
namespace {

[[noreturn]] void corrupt_page(int64_t offset, const std::string& what) {
  throw Error(ErrorKind::Corrupt, what, ErrorContext{{}, {}, {}, offset});
}

// Where a thread decrypts pages before decompressing them: one buffer per thread, reused by
// every chunk it reads (fresh memory costs a page fault per 4 KiB, more than the AES work).
table::GrowableBuffer& decrypted_page_buffer() {
  thread_local table::GrowableBuffer buffer;
  return buffer;
}

}  // namespace

PageReader::PageReader(std::span<const uint8_t> chunk, int64_t file_offset, Compression codec,
                       PageReaderOptions options)
    : PageReader(file_offset, file_offset + static_cast<int64_t>(chunk.size()), codec, options) {
  supply(chunk, file_offset);
}

PageReader::PageReader(int64_t file_offset, int64_t end_offset, Compression codec, PageReaderOptions options)
    : chunk_begin_(file_offset),
      chunk_end_(end_offset),
      codec_(codec),
      options_(options),
      window_offset_(file_offset),
      pos_(file_offset),
      limit_(end_offset) {}

void PageReader::supply(std::span<const uint8_t> bytes, int64_t file_offset) {
  window_ = bytes;
  window_offset_ = file_offset;
}

void PageReader::seek(int64_t file_offset, int64_t end_offset, int64_t data_page_ordinal) {
  if (file_offset < chunk_begin_ || end_offset < file_offset || end_offset > chunk_end_) {
    corrupt_page(file_offset, "the offset index places a page outside its column chunk");
  }
  pos_ = file_offset;
  limit_ = end_offset;
  sought_ = true;
  next_ordinal_ = data_page_ordinal;
}

PageReader::Next PageReader::missing(int64_t size) {
  need_ = {pos_, std::min(size, limit_ - pos_)};
  return Next::NeedBytes;
}

PageReader::Next PageReader::next_header(Page& page) {
  // A header is rarely longer than this; one with long statistics asks again for more.
  constexpr int64_t kHeaderGuess = 256;
  while (pos_ < limit_) {
    const int64_t window_end = std::min(window_offset_ + static_cast<int64_t>(window_.size()), limit_);
    // Pages placed by the offset index are read whole: their header comes with their bytes.
    if (pos_ < window_offset_ || pos_ >= window_end) return missing(sought_ ? limit_ - pos_ : kHeaderGuess);
    const uint8_t* at = window_.data() + (pos_ - window_offset_);
    const auto available = static_cast<size_t>(window_end - pos_);
    format::PageHeader h;
    size_t header_size;
    if (options_.cipher) {
      // Encryption.md: the header is a module whose AAD names a dictionary page header
      // (the chunk's first, when it has a dictionary) or data page `next_ordinal_`.
      if (available < crypto::kLengthSize) {
        if (window_end < limit_) return missing(kHeaderGuess);
        corrupt_page(pos_, "the column chunk ends inside an encrypted page header");
      }
      const bool dictionary = options_.dictionary_first && pos_ == chunk_begin_;
      const auto type = dictionary ? crypto::ModuleType::DictionaryPageHeader : crypto::ModuleType::DataPageHeader;
      const int64_t ordinal = dictionary ? -1 : next_ordinal_;
      try {
        header_size = crypto::module_size({at, available}, static_cast<size_t>(limit_ - pos_), crypto::Cipher::Gcm,
                                          "page header");
        if (header_size > available) return missing(static_cast<int64_t>(header_size) + kHeaderGuess);
        header_plain_.resize(options_.cipher->plain_size(type, header_size));
        options_.cipher->decrypt(type, ordinal, {at, header_size}, header_plain_);
      } catch (Error& e) {
        e.set_page_offset(pos_);
        throw;
      }
      try {
        format::deserialize(header_plain_.data(), header_plain_.size(), h);
      } catch (Error& e) {
        e.set_page_offset(pos_);
        throw Error(e.kind(), "invalid page header: " + e.message(), e.context());
      }
      const bool is_dictionary = static_cast<format::PageType>(h.type) == format::PageType::DICTIONARY_PAGE;
      if (is_dictionary != dictionary) {
        corrupt_page(pos_, dictionary ? "the chunk's first page is not the dictionary page its metadata announces"
                                      : "a dictionary page after the chunk's first page");
      }
      ordinal_ = ordinal;
    } else {
    try {
      header_size = format::deserialize(at, available, h).bytes_read;
    } catch (Error& e) {
      // Perhaps only cut off by the end of the bytes at hand: ask for more, up to the limit.
      if (window_end < limit_) return missing(std::max<int64_t>(kHeaderGuess, 2 * static_cast<int64_t>(available)));
      e.set_page_offset(pos_);
      throw Error(e.kind(), "invalid page header: " + e.message(), e.context());
    }
    }
    if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
      corrupt_page(pos_, "negative page size in the page header");
    }
    auto compressed = static_cast<size_t>(h.compressed_page_size);
    if (options_.cipher && options_.cipher->duckdb) {
      compressed += crypto::overhead(options_.cipher->cipher(ordinal_ < 0 ? crypto::ModuleType::DictionaryPage
                                                                          : crypto::ModuleType::DataPage));
    }
    const auto room = static_cast<size_t>(limit_ - pos_) - header_size;
    if (compressed > room) {
      corrupt_page(pos_, "page of " + std::to_string(compressed) + " bytes exceeds the " + std::to_string(room) +
                             " bytes left in the column chunk (or that the offset index gives the page)");
    }
    if (compressed > available - header_size) return missing(static_cast<int64_t>(header_size + compressed));
    // What the page holds once decrypted: the size the checks below compare.
    size_t stored = compressed;
    if (options_.cipher) {
      const auto type = ordinal_ < 0 ? crypto::ModuleType::DictionaryPage : crypto::ModuleType::DataPage;
      if (compressed < crypto::overhead(options_.cipher->cipher(type))) {
        corrupt_page(pos_, "an encrypted page of " + std::to_string(compressed) + " bytes, too few for its nonce");
      }
      stored = options_.cipher->plain_size(type, compressed);
      if (ordinal_ >= 0) ++next_ordinal_;
    }
    const int64_t offset = pos_;
    raw_ = std::span<const uint8_t>(at + header_size, compressed);
    pos_ += static_cast<int64_t>(header_size + compressed);
    uncompressed_ = static_cast<size_t>(h.uncompressed_page_size);
    crc_ = h.crc;
    page = Page{};
    page.file_offset = offset;
    switch (static_cast<format::PageType>(h.type)) {
      case format::PageType::DICTIONARY_PAGE: {
        if (!h.dictionary_page_header) corrupt_page(offset, "dictionary page without its header");
        const auto& d = *h.dictionary_page_header;
        if (d.num_values < 0) corrupt_page(offset, "negative dictionary size");
        page.type = PageType::DictionaryPage;
        page.num_values = d.num_values;
        page.encoding = static_cast<Encoding>(d.encoding);
        page.dictionary_sorted = d.is_sorted.value_or(false);
        return Next::Page;
      }
      case format::PageType::DATA_PAGE: {
        if (!h.data_page_header) corrupt_page(offset, "data page without its header");
        const auto& d = *h.data_page_header;
        if (d.num_values < 0) corrupt_page(offset, "negative value count");
        page.type = PageType::DataPage;
        page.num_values = d.num_values;
        page.encoding = static_cast<Encoding>(d.encoding);
        page.def_level_encoding = static_cast<Encoding>(d.definition_level_encoding);
        page.rep_level_encoding = static_cast<Encoding>(d.repetition_level_encoding);
        return Next::Page;
      }
      case format::PageType::DATA_PAGE_V2: {
        if (!h.data_page_header_v2) corrupt_page(offset, "v2 data page without its header");
        const auto& d = *h.data_page_header_v2;
        if (d.num_values < 0 || d.num_nulls < 0 || d.num_rows < 0 || d.num_nulls > d.num_values) {
          corrupt_page(offset, "impossible counts in a v2 data page header");
        }
        if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0) {
          corrupt_page(offset, "negative level lengths in a v2 data page header");
        }
        const size_t levels = static_cast<size_t>(d.repetition_levels_byte_length) +
                              static_cast<size_t>(d.definition_levels_byte_length);
        if (levels > stored || levels > uncompressed_) {
          corrupt_page(offset, "level sections of " + std::to_string(levels) + " bytes exceed the page");
        }
        levels_bytes_[0] = d.repetition_levels_byte_length;
        levels_bytes_[1] = d.definition_levels_byte_length;
        v2_compressed_ = d.is_compressed.value_or(true);
        page.type = PageType::DataPageV2;
        page.num_values = d.num_values;
        page.num_nulls = d.num_nulls;
        page.num_rows = d.num_rows;
        page.encoding = static_cast<Encoding>(d.encoding);
        return Next::Page;
      }
      default:
        continue;  // index pages and page types from the future carry no values
    }
  }
  return Next::End;
}

void PageReader::load(Page& page) {
  const int64_t offset = page.file_offset;
  if (options_.verify_crc && crc_) {
    const uint32_t crc = libdeflate_crc32(0, raw_.data(), raw_.size());
    if (crc != static_cast<uint32_t>(*crc_)) {
      corrupt_page(offset, "page CRC mismatch: the header says " + std::to_string(static_cast<uint32_t>(*crc_)) +
                               ", the page has " + std::to_string(crc));
    }
  }
  if (static_cast<int64_t>(uncompressed_) > options_.max_page_size) {
    throw Error(ErrorKind::ResourceLimit,
                "page of " + std::to_string(uncompressed_) + " bytes exceeds the limit (max_page_size)",
                ErrorContext{{}, {}, {}, offset});
  }
  ++pages_loaded_;
  if (options_.cipher) {
    // raw_ points here only until the page is decompressed (below): nothing else on this
    // thread uses the buffer in between.
    table::GrowableBuffer& plain = decrypted_page_buffer();
    const auto type = ordinal_ < 0 ? crypto::ModuleType::DictionaryPage : crypto::ModuleType::DataPage;
    try {
      plain.resize(options_.cipher->plain_size(type, raw_.size()));
      options_.cipher->decrypt(type, ordinal_, raw_, {plain.data(), plain.size()});
    } catch (Error& e) {
      e.set_page_offset(offset);
      throw;
    }
    raw_ = std::span<const uint8_t>(plain.data(), plain.size());
  }
  auto decompress_into_buffer = [&](std::span<const uint8_t> in, size_t size, size_t keep) {
    // `keep` bytes already in buffer_ (v2 levels) stay in front.
    try {
      if (in.empty() && size == 0) {  // an empty section is not handed to a codec
        buffer_.resize(keep);
        return;
      }
      const codec::Codec& c = codec::codec_for(codec_);
      const size_t bound = c.max_decompressed_size(in);
      if (size > bound) {
        throw Error(ErrorKind::Corrupt, "the page header says " + std::to_string(size) + " bytes, but " +
                                            to_string(codec_) + " data of " + std::to_string(in.size()) +
                                            " bytes holds at most " + std::to_string(bound));
      }
      if (keep == 0) buffer_.clear();  // the last page's bytes need not move to a bigger block
      buffer_.resize(keep + size);
      std::span<uint8_t> out(buffer_.data() + keep, size);
      c.decompress(in, out);
    } catch (Error& e) {
      e.set_page_offset(offset);
      throw;
    }
  };
  if (page.type != PageType::DataPageV2) {
    decompress_into_buffer(raw_, uncompressed_, 0);
    page.body = std::span<const uint8_t>(buffer_.data(), uncompressed_);
    return;
  }
  // Levels are never compressed in v2 pages; only the values section may be.
  const size_t rep = static_cast<size_t>(levels_bytes_[0]);
  const size_t levels = rep + static_cast<size_t>(levels_bytes_[1]);
  buffer_.clear();
  buffer_.append(raw_.data(), levels);
  const std::span<const uint8_t> values = raw_.subspan(levels);
  if (v2_compressed_ && codec_ != Compression::Uncompressed) {
    decompress_into_buffer(values, uncompressed_ - levels, levels);
  } else {
    if (values.size() != uncompressed_ - levels) corrupt_page(offset, "uncompressed v2 page sizes disagree");
    buffer_.append(values.data(), values.size());
  }
  page.rep_levels = std::span<const uint8_t>(buffer_.data(), rep);
  page.def_levels = std::span<const uint8_t>(buffer_.data() + rep, levels - rep);
  page.body = std::span<const uint8_t>(buffer_.data() + levels, uncompressed_ - levels);
}

}  // namespace parkett::page

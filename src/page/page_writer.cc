#include "page/page_writer.h"

#include <libdeflate.h>

#include "codec/codec.h"
#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::page {

PageWriter::PageWriter(Compression codec, int level, bool crc, const std::string& column,
                       std::shared_ptr<const crypto::ChunkCipher> cipher)
    : codec_id_(codec),
      level_(level),
      crc_(crc),
      column_(column),
      codec_(codec::codec_for(codec)),
      cipher_(std::move(cipher)) {}

int64_t PageWriter::data_page_v1(const std::vector<uint8_t>& levels_and_values, DataPageInfo info, EncodedPage& out) {
  format::PageHeader h;
  format::DataPageHeader v1;
  v1.num_values = info.num_values;
  v1.encoding = static_cast<format::Encoding>(info.encoding);
  v1.definition_level_encoding = format::Encoding::RLE;
  v1.repetition_level_encoding = format::Encoding::RLE;
  v1.statistics = std::move(info.statistics);
  compress_into(levels_and_values, out.body);
  h.type = format::PageType::DATA_PAGE;
  h.uncompressed_page_size = static_cast<int32_t>(levels_and_values.size());
  h.data_page_header = std::move(v1);
  return finish(h, out);
}

int64_t PageWriter::data_page_v2(const std::vector<uint8_t>& levels, size_t rep_bytes,
                                 const std::vector<uint8_t>& values, DataPageInfo info, EncodedPage& out) {
  format::PageHeader h;
  format::DataPageHeaderV2 v2;
  v2.num_values = info.num_values;
  v2.num_nulls = info.num_nulls;
  v2.num_rows = info.num_rows;
  v2.encoding = static_cast<format::Encoding>(info.encoding);
  v2.definition_levels_byte_length = static_cast<int32_t>(levels.size() - rep_bytes);
  v2.repetition_levels_byte_length = static_cast<int32_t>(rep_bytes);
  const bool compress = codec_id_ != Compression::Uncompressed;
  v2.is_compressed = compress;
  v2.statistics = std::move(info.statistics);
  std::vector<uint8_t>& body = out.body;
  body = levels;  // DataPageHeaderV2: levels are never compressed
  if (compress) codec_.compress(values, level_, body);
  else body.insert(body.end(), values.begin(), values.end());
  h.type = format::PageType::DATA_PAGE_V2;
  h.uncompressed_page_size = static_cast<int32_t>(levels.size() + values.size());
  h.data_page_header_v2 = std::move(v2);
  return finish(h, out);
}

int64_t PageWriter::dictionary_page(const std::vector<uint8_t>& values, int32_t entries, Encoding encoding,
                                    EncodedPage& out) {
  format::PageHeader h;
  h.type = format::PageType::DICTIONARY_PAGE;
  h.uncompressed_page_size = static_cast<int32_t>(values.size());
  format::DictionaryPageHeader d;
  d.num_values = entries;
  d.encoding = static_cast<format::Encoding>(encoding);
  d.is_sorted = false;
  h.dictionary_page_header = d;
  compress_into(values, out.body);
  return finish(h, out);
}

size_t PageWriter::compressed_size(const std::vector<uint8_t>& raw, std::vector<uint8_t>& scratch) const {
  if (codec_id_ == Compression::Uncompressed) return raw.size();
  scratch.clear();
  codec_.compress(raw, level_, scratch);
  return scratch.size();
}

void PageWriter::compress_into(const std::vector<uint8_t>& raw, std::vector<uint8_t>& body) const {
  body.clear();
  if (codec_id_ == Compression::Uncompressed) body = raw;
  else codec_.compress(raw, level_, body);
}

int64_t PageWriter::finish(format::PageHeader& h, EncodedPage& out) {
  if (out.body.size() > INT32_MAX - crypto::overhead(crypto::Cipher::Gcm) ||
      static_cast<size_t>(h.uncompressed_page_size) > INT32_MAX) {
    throw Error(ErrorKind::InvalidArgument, "a page of column '" + column_ + "' exceeds 2 GiB");
  }
  // Encryption.md: the page is a module (its ordinal among the chunk's data pages in the
  // AAD), and its header another, after the header's sizes and CRC are the module's.
  const bool dictionary = h.type == format::PageType::DICTIONARY_PAGE;
  const int64_t ordinal = dictionary ? -1 : next_ordinal_;
  if (cipher_) {
    // Encrypted into a buffer of this thread's that then becomes the page's body: the body's
    // old buffer (warm, from the page buffer pool) takes its place for the next page.
    thread_local std::vector<uint8_t> module;
    const auto type = dictionary ? crypto::ModuleType::DictionaryPage : crypto::ModuleType::DataPage;
    module.resize(cipher_->module_size(type, out.body.size()));
    cipher_->encrypt(type, ordinal, out.body, module);
    std::swap(out.body, module);
    if (!dictionary) ++next_ordinal_;
  }
  const std::vector<uint8_t>& body = out.body;
  h.compressed_page_size = static_cast<int32_t>(body.size());
  if (crc_) h.crc = static_cast<int32_t>(libdeflate_crc32(0, body.data(), body.size()));
  out.header.clear();
  if (cipher_) {
    const auto type = dictionary ? crypto::ModuleType::DictionaryPageHeader : crypto::ModuleType::DataPageHeader;
    plain_header_.clear();
    format::serialize(h, plain_header_);
    out.header.resize(cipher_->module_size(type, plain_header_.size()));
    cipher_->encrypt(type, ordinal, {reinterpret_cast<const uint8_t*>(plain_header_.data()), plain_header_.size()},
                     {reinterpret_cast<uint8_t*>(out.header.data()), out.header.size()});
  } else {
    format::serialize(h, out.header);
  }
  uncompressed_total_ += static_cast<int64_t>(out.header.size()) + h.uncompressed_page_size;
  return static_cast<int64_t>(out.header.size() + body.size());
}

}  // namespace parkett::page

// FileReader::bloom_filter: the BloomFilterHeader at the chunk's bloom_filter_offset, then
// the bitset (BloomFilter.md, "File Format"). The length, when the writer gave it, bounds
// both; otherwise the header is read from a small window and numBytes is checked against
// the file's size before anything is allocated.
#include "file/bloom_filter_reader.h"

#include <algorithm>

#include "file/reader_access.h"
#include "format/serde.h"
#include "io/random_access_file.h"
#include "parkett/error.h"

namespace parkett::file {

std::optional<BloomFilterLocation> locate_bloom_filter(const FileReader& reader, int32_t row_group, int32_t column) {
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
  ErrorContext where{reader.name(), row_group, {}, {}};
  try {
    const ColumnChunkMetadata chunk = reader.metadata().row_group(row_group).column(column);
    where.column = chunk.path_in_schema();
    const std::optional<int64_t> offset = chunk.bloom_filter_offset();
    if (!offset) return std::nullopt;
    // Encryption.md: an encrypted column's filter is two modules, the header and the bitset.
    std::shared_ptr<const crypto::ChunkCipher> cipher = FileReaderAccess::cipher(reader, row_group, column);
    const int64_t file_size = file.size();
    const std::optional<int32_t> length = chunk.bloom_filter_length();
    if (*offset < 0 || *offset >= file_size || (length && (*length <= 0 || *length > file_size - *offset))) {
      throw Error(ErrorKind::Corrupt, "bloom filter at offset " + std::to_string(*offset) + " with length " +
                                          (length ? std::to_string(*length) : "unset") + " lies outside the file of " +
                                          std::to_string(file_size) + " bytes");
    }
    constexpr int64_t kHeaderWindow = 256;  // headers take about 16 bytes
    std::string bytes;
    file.read_at(*offset, std::min(length ? *length : kHeaderWindow, std::min(kHeaderWindow, file_size - *offset)), bytes);
    format::BloomFilterHeader header;
    size_t header_size = 0;
    if (cipher) {
      const auto type = crypto::ModuleType::BloomFilterHeader;
      const auto* at = reinterpret_cast<const uint8_t*>(bytes.data());
      // A header takes about 50 bytes: its length field (outside the tag) is not trusted further.
      constexpr int64_t kMaxHeaderModule = 4096;
      header_size = crypto::module_size(
          {at, bytes.size()}, static_cast<size_t>(std::min(kMaxHeaderModule, length ? *length : file_size - *offset)),
          crypto::Cipher::Gcm, "bloom filter header");
      if (header_size > bytes.size()) {
        file.read_at(*offset, static_cast<int64_t>(header_size), bytes);
        at = reinterpret_cast<const uint8_t*>(bytes.data());
      }
      std::vector<uint8_t> plain(cipher->plain_size(type, header_size));
      cipher->decrypt(type, -1, {at, header_size}, plain);
      format::deserialize(plain.data(), plain.size(), header);
    } else {
      header_size = format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), header).bytes_read;
    }
    // What the bitset takes in the file.
    const int64_t stored = cipher ? header.numBytes + static_cast<int64_t>(crypto::overhead(crypto::Cipher::Gcm))
                                  : header.numBytes;
    if (!header.algorithm.BLOCK || !header.hash.XXHASH || !header.compression.UNCOMPRESSED) {
      throw Error(ErrorKind::Unsupported, "bloom filter with an algorithm, hash or compression other than "
                                          "BLOCK, XXHASH and UNCOMPRESSED");
    }
    const int64_t end = *offset + static_cast<int64_t>(header_size) + stored;
    if (header.numBytes <= 0 || header.numBytes > file_size || end > file_size ||
        (length && static_cast<int64_t>(header_size) + stored > *length)) {
      throw Error(ErrorKind::Corrupt, "bloom filter header claims " + std::to_string(header.numBytes) +
                                          " bytes, more than the file or its recorded length holds");
    }
    if (header.numBytes < 32 || header.numBytes > (int64_t{128} << 20) || (header.numBytes & (header.numBytes - 1)) != 0) {
      // Checked before the bitset is read (BloomFilter.md: a power of two, at most 128 MiB).
      throw Error(ErrorKind::Corrupt, "bloom filter of " + std::to_string(header.numBytes) +
                                          " bytes: expected a power of two from 32 to 128 MiB");
    }
    return BloomFilterLocation{*offset + static_cast<int64_t>(header_size), header.numBytes, std::move(cipher)};
  } catch (Error& e) {
    e.set_file(where.file);
    e.set_row_group(row_group);
    if (!where.column.empty()) e.set_column(where.column);
    throw;
  }
}

std::string read_bitset(const FileReader& reader, int32_t row_group, int32_t column, const BloomFilterLocation& at) {
  std::string bitset;
  try {
    const int64_t stored =
        at.num_bytes + (at.cipher ? static_cast<int64_t>(crypto::overhead(crypto::Cipher::Gcm)) : 0);
    FileReaderAccess::file(reader).read_at(at.bitset_offset, stored, bitset);
    if (at.cipher) {
      const auto type = crypto::ModuleType::BloomFilterBitset;
      std::string plain(static_cast<size_t>(at.num_bytes), '\0');
      at.cipher->decrypt(type, -1, {reinterpret_cast<const uint8_t*>(bitset.data()), bitset.size()},
                         {reinterpret_cast<uint8_t*>(plain.data()), plain.size()});
      bitset = std::move(plain);
    }
  } catch (Error& e) {
    e.set_file(reader.name());
    e.set_row_group(row_group);
    e.set_column(reader.metadata().schema().column(column).dotted_path);
    throw;
  }
  return bitset;
}

bool BloomFilterProbe::might_contain(uint64_t hash) {
  if (!located_) {
    where_ = locate_bloom_filter(reader_, row_group_, column_);
    located_ = true;
  }
  if (!where_) return true;
  if (where_->cipher) {
    // A GCM module is authenticated whole: the bitset is read and decrypted once.
    if (!bitset_) bitset_ = read_bitset(reader_, row_group_, column_, *where_);
    return BloomFilter::block_might_contain(
        std::string_view(*bitset_).substr(static_cast<size_t>(BloomFilter::block_offset(hash, where_->num_bytes)), 32),
        hash);
  }
  const int64_t at = BloomFilter::block_offset(hash, where_->num_bytes);
  auto it = blocks_.find(at);
  if (it == blocks_.end()) {
    std::string block;
    try {
      FileReaderAccess::file(reader_).read_at(where_->bitset_offset + at, 32, block);
    } catch (Error& e) {
      e.set_file(reader_.name());
      e.set_row_group(row_group_);
      e.set_column(reader_.metadata().schema().column(column_).dotted_path);
      throw;
    }
    it = blocks_.emplace(at, std::move(block)).first;
  }
  return BloomFilter::block_might_contain(it->second, hash);
}

}  // namespace parkett::file

namespace parkett {

std::optional<BloomFilter> FileReader::bloom_filter(int32_t row_group, int32_t column) const {
  const std::optional<file::BloomFilterLocation> at = file::locate_bloom_filter(*this, row_group, column);
  if (!at) return std::nullopt;
  return BloomFilter::from_bitset(file::read_bitset(*this, row_group, column, *at));
}

}  // namespace parkett

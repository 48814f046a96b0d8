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
    if (chunk.encryption()) throw Error(ErrorKind::Unsupported, "the bloom filter is encrypted");
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
    const size_t header_size =
        format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), header).bytes_read;
    if (!header.algorithm.BLOCK || !header.hash.XXHASH || !header.compression.UNCOMPRESSED) {
      throw Error(ErrorKind::Unsupported, "bloom filter with an algorithm, hash or compression other than "
                                          "BLOCK, XXHASH and UNCOMPRESSED");
    }
    const int64_t end = *offset + static_cast<int64_t>(header_size) + header.numBytes;
    if (header.numBytes <= 0 || end > file_size ||
        (length && static_cast<int64_t>(header_size) + header.numBytes > *length)) {
      throw Error(ErrorKind::Corrupt, "bloom filter header claims " + std::to_string(header.numBytes) +
                                          " bytes, more than the file or its recorded length holds");
    }
    if (header.numBytes < 32 || header.numBytes > (int64_t{128} << 20) || (header.numBytes & (header.numBytes - 1)) != 0) {
      // Checked before the bitset is read (BloomFilter.md: a power of two, at most 128 MiB).
      throw Error(ErrorKind::Corrupt, "bloom filter of " + std::to_string(header.numBytes) +
                                          " bytes: expected a power of two from 32 to 128 MiB");
    }
    return BloomFilterLocation{*offset + static_cast<int64_t>(header_size), header.numBytes};
  } catch (Error& e) {
    e.set_file(where.file);
    e.set_row_group(row_group);
    if (!where.column.empty()) e.set_column(where.column);
    throw;
  }
}

bool BloomFilterProbe::might_contain(uint64_t hash) {
  if (!located_) {
    where_ = locate_bloom_filter(reader_, row_group_, column_);
    located_ = true;
  }
  if (!where_) return true;
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
  std::string bitset;
  try {
    FileReaderAccess::file(*this).read_at(at->bitset_offset, at->num_bytes, bitset);
  } catch (Error& e) {
    e.set_file(name());
    e.set_row_group(row_group);
    throw;
  }
  return BloomFilter::from_bitset(std::move(bitset));
}

}  // namespace parkett

#include "file/dictionary_filter.h"

#include <algorithm>
#include <cstring>

#include "encoding/plain.h"
#include "file/reader_access.h"
#include "page/page_reader.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

bool is_dictionary(Encoding e) { return e == Encoding::PlainDictionary || e == Encoding::RleDictionary; }

constexpr int64_t kMaxDictionaryBytes = int64_t{64} << 20;

}  // namespace

bool fully_dictionary_encoded(const ColumnChunkMetadata& chunk) {
  if (!chunk.has_dictionary_page()) return false;
  if (const auto stats = chunk.encoding_stats()) {
    bool any = false;
    for (const PageEncodingCount& p : *stats) {
      if (p.page_type != PageType::DataPage && p.page_type != PageType::DataPageV2) continue;
      if (p.count > 0 && !is_dictionary(p.encoding)) return false;
      any = true;
    }
    return any;
  }
  // Without statistics: PLAIN may be the dictionary page's encoding or a fallback page's,
  // so only PLAIN_DICTIONARY / RLE_DICTIONARY beside the level encodings is certain.
  bool dictionary = false;
  for (Encoding e : chunk.encodings()) {
    if (is_dictionary(e)) dictionary = true;
    else if (e != Encoding::Rle && e != Encoding::BitPacked) return false;
  }
  return dictionary;
}

std::optional<std::vector<StatValue>> read_dictionary_values(const FileReader& reader, int32_t row_group,
                                                             int32_t column) {
  const io::RandomAccessFile& file = FileReaderAccess::file(reader);
  const ColumnChunkMetadata chunk = reader.metadata().row_group(row_group).column(column);
  const ColumnDescriptor& desc = reader.metadata().schema().column(column);
  const PhysicalType physical = desc.physical_type;
  if (physical == PhysicalType::Boolean || physical == PhysicalType::Int96) return std::nullopt;
  try {
    const int64_t start = chunk.file_offset_of_pages();
    const int64_t end = chunk.data_page_offset();
    if (start < 0 || end <= start || end - start > kMaxDictionaryBytes || end > file.size()) return std::nullopt;
    std::string bytes;
    file.read_at(start, end - start, bytes);
    page::PageReaderOptions options;
    options.max_page_size = kMaxDictionaryBytes;
    options.cipher = FileReaderAccess::cipher(reader, row_group, column);
    options.dictionary_first = true;
    page::PageReader pages({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, start, chunk.compression(),
                           options);
    page::Page page;
    if (!pages.next(page) || page.type != PageType::DictionaryPage) return std::nullopt;
    if (page.encoding != Encoding::Plain && page.encoding != Encoding::PlainDictionary) return std::nullopt;
    encoding::ValueBuffer values;
    const int32_t type_length = reader.metadata().schema().node(desc.node).type_length;
    switch (physical) {
      case PhysicalType::Int32:
      case PhysicalType::Float: values.width = 4; break;
      case PhysicalType::Int64:
      case PhysicalType::Double: values.width = 8; break;
      case PhysicalType::FixedLenByteArray: values.width = static_cast<size_t>(std::max(type_length, 1)); break;
      default: values.width = 0; break;
    }
    encoding::decode_plain(page.body, static_cast<size_t>(page.num_values), false, values);
    std::vector<StatValue> out;
    out.reserve(values.count);
    for (size_t i = 0; i < values.count; ++i) {
      switch (physical) {
        case PhysicalType::Int32: {
          int32_t v;
          std::memcpy(&v, values.value(i), 4);
          out.emplace_back(v);
          break;
        }
        case PhysicalType::Int64: {
          int64_t v;
          std::memcpy(&v, values.value(i), 8);
          out.emplace_back(v);
          break;
        }
        case PhysicalType::Float: {
          float v;
          std::memcpy(&v, values.value(i), 4);
          out.emplace_back(v);
          break;
        }
        case PhysicalType::Double: {
          double v;
          std::memcpy(&v, values.value(i), 8);
          out.emplace_back(v);
          break;
        }
        case PhysicalType::FixedLenByteArray:
          out.emplace_back(std::string(reinterpret_cast<const char*>(values.value(i)), values.width));
          break;
        default:
          out.emplace_back(std::string(values.binary(i)));
          break;
      }
    }
    return out;
  } catch (Error& e) {
    e.set_file(reader.name());
    e.set_row_group(row_group);
    e.set_column(desc.dotted_path);
    throw;
  }
}

}  // namespace parkett::file

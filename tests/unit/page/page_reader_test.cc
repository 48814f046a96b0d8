// The page reader (page/page_reader.h) on column chunks built byte by byte: page headers are
// format::PageHeader structs serialized with format::serialize, page bodies are written by
// hand (RLE/bit-packed levels, PLAIN values, Snappy literals). Covers v1 and v2 data pages,
// dictionary pages, skipped index pages, compression (v2 levels stay uncompressed, an empty
// compressed section never reaches the codec), the CRC, and malformed headers: sizes beyond
// the chunk, beyond max_page_size, negative, or disagreeing. Every figure is literal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expect_error.h"
#include "format/parquet_types.h"
#include "format/serde.h"
#include "page/page_reader.h"

namespace parkett::page {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes bytes_of(std::span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }

Bytes header(const format::PageHeader& h) {
  std::string s;
  format::serialize(h, s);
  return Bytes(s.begin(), s.end());
}

format::PageHeader v1(int32_t num_values, int32_t uncompressed, int32_t compressed,
                      format::Encoding encoding = format::Encoding::PLAIN) {
  format::PageHeader h;
  h.type = format::PageType::DATA_PAGE;
  h.uncompressed_page_size = uncompressed;
  h.compressed_page_size = compressed;
  h.data_page_header.emplace();
  h.data_page_header->num_values = num_values;
  h.data_page_header->encoding = encoding;
  return h;
}

format::PageHeader v2(int32_t num_values, int32_t num_nulls, int32_t num_rows, int32_t rep_length,
                      int32_t def_length, int32_t uncompressed, int32_t compressed,
                      std::optional<bool> is_compressed) {
  format::PageHeader h;
  h.type = format::PageType::DATA_PAGE_V2;
  h.uncompressed_page_size = uncompressed;
  h.compressed_page_size = compressed;
  auto& d = h.data_page_header_v2.emplace();
  d.num_values = num_values;
  d.num_nulls = num_nulls;
  d.num_rows = num_rows;
  d.repetition_levels_byte_length = rep_length;
  d.definition_levels_byte_length = def_length;
  d.is_compressed = is_compressed;
  return h;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Optional INT32 values [7, null, 9] in a v1 page: the definition levels 1,0,1 as one
// bit-packed group (header 0x03, bits 0b101) behind their 4-byte length, then PLAIN 7 and 9.
const Bytes kV1Body = {0x02, 0x00, 0x00, 0x00, 0x03, 0x05, 0x07, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00};
// The same 14 bytes as a Snappy literal: length varint 14, tag (14 - 1) << 2.
const Bytes kV1Snappy = concat({{0x0E, 0x34}, kV1Body});
// A v2 page of a list column, rows [1, 2] and [3]: repetition levels 0,1,0 (bit-packed, 0b010),
// definition levels 1,1,1 (an RLE run: header 3 << 1, value 1), PLAIN values 1, 2, 3.
const Bytes kV2Rep = {0x03, 0x02};
const Bytes kV2Def = {0x06, 0x01};
const Bytes kV2Values = {0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00};
const Bytes kV2ValuesSnappy = concat({{0x0C, 0x2C}, kV2Values});
// CRC-32 (the gzip polynomial) of the ASCII text "123456789" is 0xCBF43926.
const Bytes kCheck = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
constexpr auto kCheckCrc = static_cast<int32_t>(0xCBF43926u);

// A page with copies of its sections (a Page's spans die with the reader's next call).
struct Copy {
  Page page;
  Bytes rep_levels, def_levels, body;
};

std::vector<Copy> read_all(const Bytes& chunk, Compression codec, PageReaderOptions options = {}) {
  PageReader reader(chunk, 1000, codec, options);
  std::vector<Copy> pages;
  Page p;
  while (reader.next(p)) pages.push_back({p, bytes_of(p.rep_levels), bytes_of(p.def_levels), bytes_of(p.body)});
  return pages;
}

TEST(PageReader, HeaderIsTheCompactEncoding) {
  // type 0, sizes 14 (zigzag 28), then field 5: num_values 3, PLAIN, RLE, RLE.
  EXPECT_EQ(header(v1(3, 14, 14)), (Bytes{0x15, 0x00, 0x15, 0x1C, 0x15, 0x1C, 0x2C, 0x15, 0x06, 0x15, 0x00, 0x15,
                                          0x06, 0x15, 0x06, 0x00, 0x00}));
}

TEST(PageReader, V1DataPage) {
  const Bytes chunk = concat({header(v1(3, 14, 14)), kV1Body});
  ASSERT_EQ(chunk.size(), 31u);
  PageReader reader(chunk, 1000, Compression::Uncompressed);
  Page p;
  ASSERT_TRUE(reader.next(p));
  EXPECT_EQ(p.type, PageType::DataPage);
  EXPECT_EQ(p.file_offset, 1000);
  EXPECT_EQ(p.num_values, 3);
  EXPECT_EQ(p.num_nulls, -1);
  EXPECT_EQ(p.num_rows, -1);
  EXPECT_EQ(p.encoding, Encoding::Plain);
  EXPECT_EQ(p.def_level_encoding, Encoding::Rle);
  EXPECT_EQ(p.rep_level_encoding, Encoding::Rle);
  EXPECT_TRUE(p.rep_levels.empty());
  EXPECT_TRUE(p.def_levels.empty());
  EXPECT_EQ(bytes_of(p.body), kV1Body);  // levels and values together, as stored
  EXPECT_FALSE(reader.next(p));
}

TEST(PageReader, V1DataPageSnappy) {
  const Bytes chunk = concat({header(v1(3, 14, 16)), kV1Snappy});
  PageReader reader(chunk, 1000, Compression::Snappy);
  Page p;
  ASSERT_TRUE(reader.next(p));
  EXPECT_EQ(p.num_values, 3);
  EXPECT_EQ(bytes_of(p.body), kV1Body);
  EXPECT_FALSE(reader.next(p));
}

TEST(PageReader, DictionaryIndexAndDataPages) {
  format::PageHeader dict;
  dict.type = format::PageType::DICTIONARY_PAGE;
  dict.uncompressed_page_size = dict.compressed_page_size = 8;
  dict.dictionary_page_header.emplace();
  dict.dictionary_page_header->num_values = 2;
  dict.dictionary_page_header->encoding = format::Encoding::PLAIN_DICTIONARY;
  dict.dictionary_page_header->is_sorted = true;
  format::PageHeader index;
  index.type = format::PageType::INDEX_PAGE;
  index.uncompressed_page_size = index.compressed_page_size = 2;
  index.index_page_header.emplace();
  const Bytes dict_body = {0x0A, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00};  // PLAIN 10, 20
  const Bytes indices = {0x01, 0x03, 0x06};  // bit width 1, one bit-packed group: 0, 1, 1
  const Bytes chunk = concat({header(dict), dict_body, header(index), {0xEE, 0xEE},
                              header(v1(3, 3, 3, format::Encoding::RLE_DICTIONARY)), indices});
  // Headers of 14, 9 and 17 bytes: the data page starts at 1000 + 14 + 8 + 9 + 2.
  ASSERT_EQ(chunk.size(), 53u);
  PageReader reader(chunk, 1000, Compression::Uncompressed);
  Page p;
  ASSERT_TRUE(reader.next(p));
  EXPECT_EQ(p.type, PageType::DictionaryPage);
  EXPECT_EQ(p.file_offset, 1000);
  EXPECT_EQ(p.num_values, 2);
  EXPECT_EQ(p.encoding, Encoding::PlainDictionary);
  EXPECT_TRUE(p.dictionary_sorted);
  EXPECT_EQ(bytes_of(p.body), dict_body);
  ASSERT_TRUE(reader.next(p));  // the index page is skipped
  EXPECT_EQ(p.type, PageType::DataPage);
  EXPECT_EQ(p.file_offset, 1033);
  EXPECT_EQ(p.num_values, 3);
  EXPECT_EQ(p.encoding, Encoding::RleDictionary);
  EXPECT_FALSE(p.dictionary_sorted);
  EXPECT_EQ(bytes_of(p.body), indices);
  EXPECT_FALSE(reader.next(p));
}

TEST(PageReader, UnknownPageTypesAreSkipped) {
  format::PageHeader future;
  future.type = static_cast<format::PageType>(7);
  future.uncompressed_page_size = future.compressed_page_size = 1;
  const Bytes chunk = concat({header(future), {0xAA}, header(v1(3, 14, 14)), kV1Body});
  ASSERT_EQ(chunk.size(), 7u + 1 + 17 + 14);  // a header of 7 bytes: type, sizes, stop
  const std::vector<Copy> pages = read_all(chunk, Compression::Uncompressed);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].page.type, PageType::DataPage);
  EXPECT_EQ(pages[0].page.file_offset, 1008);
  EXPECT_EQ(pages[0].body, kV1Body);
}

TEST(PageReader, MissingTypeHeader) {
  format::PageHeader h;
  h.uncompressed_page_size = h.compressed_page_size = 0;
  for (auto [type, needle] : {std::pair{format::PageType::DATA_PAGE, "data page without its header"},
                              std::pair{format::PageType::DATA_PAGE_V2, "v2 data page without its header"},
                              std::pair{format::PageType::DICTIONARY_PAGE, "dictionary page without its header"}}) {
    h.type = type;
    EXPECT_ERROR(read_all(header(h), Compression::Uncompressed), ErrorKind::Corrupt, needle);
  }
}

TEST(PageReader, V2DataPage) {
  // Compressed flag false, true and absent (which means true); Snappy only where it applies.
  struct V2Case {
    const char* name;
    Compression codec;
    std::optional<bool> is_compressed;
    Bytes values;
  };
  for (const V2Case& c : {V2Case{"uncompressed chunk", Compression::Uncompressed, true, kV2Values},
                          V2Case{"is_compressed false", Compression::Snappy, false, kV2Values},
                          V2Case{"is_compressed true", Compression::Snappy, true, kV2ValuesSnappy},
                          V2Case{"is_compressed absent", Compression::Snappy, std::nullopt, kV2ValuesSnappy}}) {
    SCOPED_TRACE(c.name);
    const auto compressed = static_cast<int32_t>(4 + c.values.size());
    const Bytes chunk = concat({header(v2(3, 0, 2, 2, 2, 16, compressed, c.is_compressed)), kV2Rep, kV2Def, c.values});
    PageReader reader(chunk, 1000, c.codec);
    Page p;
    ASSERT_TRUE(reader.next(p));
    EXPECT_EQ(p.type, PageType::DataPageV2);
    EXPECT_EQ(p.file_offset, 1000);
    EXPECT_EQ(p.num_values, 3);
    EXPECT_EQ(p.num_nulls, 0);
    EXPECT_EQ(p.num_rows, 2);
    EXPECT_EQ(p.encoding, Encoding::Plain);
    EXPECT_EQ(bytes_of(p.rep_levels), kV2Rep);
    EXPECT_EQ(bytes_of(p.def_levels), kV2Def);
    EXPECT_EQ(bytes_of(p.body), kV2Values);
    EXPECT_FALSE(reader.next(p));
  }
}

TEST(PageReader, EmptySectionsNeverReachTheCodec) {
  // Snappy cannot decode zero bytes (there is no length varint), so these read only if the
  // empty sections are not handed to it.
  {
    SCOPED_TRACE("v2 page without levels or values");
    const Bytes chunk = header(v2(0, 0, 0, 0, 0, 0, 0, true));
    const std::vector<Copy> pages = read_all(chunk, Compression::Snappy);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pages[0].page.num_values, 0);
    EXPECT_EQ(pages[0].page.num_rows, 0);
    EXPECT_TRUE(pages[0].rep_levels.empty());
    EXPECT_TRUE(pages[0].def_levels.empty());
    EXPECT_TRUE(pages[0].body.empty());
  }
  {
    SCOPED_TRACE("v2 page of one null: levels, then an empty compressed section");
    const Bytes def = {0x02, 0x00};  // an RLE run of one 0
    const Bytes chunk = concat({header(v2(1, 1, 1, 0, 2, 2, 2, true)), def});
    PageReader reader(chunk, 1000, Compression::Snappy);
    Page p;
    ASSERT_TRUE(reader.next(p));
    EXPECT_EQ(p.num_values, 1);
    EXPECT_EQ(p.num_nulls, 1);
    EXPECT_TRUE(p.rep_levels.empty());
    EXPECT_EQ(bytes_of(p.def_levels), def);
    EXPECT_TRUE(p.body.empty());
  }
  {
    SCOPED_TRACE("v1 page of zero bytes");
    const Bytes chunk = header(v1(0, 0, 0));
    const std::vector<Copy> pages = read_all(chunk, Compression::Snappy);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_TRUE(pages[0].body.empty());
  }
}

TEST(PageReader, Crc) {
  PageReaderOptions verify;
  verify.verify_crc = true;
  format::PageHeader good = v1(1, 9, 9);
  good.crc = kCheckCrc;
  const std::vector<Copy> checked = read_all(concat({header(good), kCheck}), Compression::Uncompressed, verify);
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_EQ(checked[0].body, kCheck);

  format::PageHeader bad = v1(1, 9, 9);
  bad.crc = static_cast<int32_t>(0xCBF43927u);
  const Bytes bad_chunk = concat({header(bad), kCheck});
  EXPECT_ERROR(read_all(bad_chunk, Compression::Uncompressed, verify), ErrorKind::Corrupt,
               "page at offset 1000: page CRC mismatch: the header says 3421780263, the page has 3421780262");
  // Without verification the CRC is not looked at.
  const std::vector<Copy> unchecked = read_all(bad_chunk, Compression::Uncompressed);
  ASSERT_EQ(unchecked.size(), 1u);
  EXPECT_EQ(unchecked[0].body, kCheck);

  // In a v2 page the CRC covers the levels too: "1234" are levels, "56789" values.
  format::PageHeader v2_crc = v2(1, 0, 1, 0, 4, 9, 9, false);
  v2_crc.crc = kCheckCrc;
  const std::vector<Copy> pages = read_all(concat({header(v2_crc), kCheck}), Compression::Uncompressed, verify);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].def_levels, (Bytes{'1', '2', '3', '4'}));
  EXPECT_EQ(pages[0].body, (Bytes{'5', '6', '7', '8', '9'}));
}

TEST(PageReader, PageBeyondTheChunk) {
  // The header claims 14 bytes; 10 follow.
  const Bytes chunk = concat({header(v1(3, 14, 14)), Bytes(kV1Body.begin(), kV1Body.begin() + 10)});
  EXPECT_ERROR(read_all(chunk, Compression::Uncompressed), ErrorKind::Corrupt,
               "page at offset 1000: page of 14 bytes exceeds the 10 bytes left in the column chunk");
  // The second page is named by its own offset: 1000 + 17 + 14.
  const Bytes two = concat({header(v1(3, 14, 14)), kV1Body, header(v1(3, 14, 14)), {0x00}});
  EXPECT_ERROR(read_all(two, Compression::Uncompressed), ErrorKind::Corrupt,
               "page at offset 1031: page of 14 bytes exceeds the 1 bytes left");
  // A header cut short.
  const Bytes cut = Bytes(chunk.begin(), chunk.begin() + 5);
  EXPECT_ERROR(read_all(cut, Compression::Uncompressed), ErrorKind::Corrupt, "page at offset 1000: invalid page header");
}

TEST(PageReader, MaxPageSize) {
  PageReaderOptions limit;
  limit.max_page_size = 14;
  const Bytes chunk = concat({header(v1(3, 14, 14)), kV1Body});
  EXPECT_EQ(read_all(chunk, Compression::Uncompressed, limit).size(), 1u);  // at the limit
  limit.max_page_size = 13;
  EXPECT_ERROR(read_all(chunk, Compression::Uncompressed, limit), ErrorKind::ResourceLimit,
               "page at offset 1000: page of 14 bytes exceeds the limit (max_page_size)");
  // Checked on the decompressed size, before decompressing.
  const Bytes snappy = concat({header(v1(3, 14, 16)), kV1Snappy});
  EXPECT_ERROR(read_all(snappy, Compression::Snappy, limit), ErrorKind::ResourceLimit, "max_page_size");
}

TEST(PageReader, NegativeSizesAndCounts) {
  auto refused = [](const format::PageHeader& h, const Bytes& body, const char* needle) {
    EXPECT_ERROR(read_all(concat({header(h), body}), Compression::Uncompressed), ErrorKind::Corrupt, needle);
  };
  refused(v1(3, 14, -1), kV1Body, "negative page size");
  refused(v1(3, -14, 14), kV1Body, "negative page size");
  refused(v1(-3, 14, 14), kV1Body, "negative value count");
  format::PageHeader dict;
  dict.type = format::PageType::DICTIONARY_PAGE;
  dict.dictionary_page_header.emplace();
  dict.dictionary_page_header->num_values = -2;
  refused(dict, {}, "negative dictionary size");
  const Bytes v2_body = concat({kV2Rep, kV2Def, kV2Values});
  refused(v2(3, 0, 2, -2, 2, 16, 16, false), v2_body, "negative level lengths");
  refused(v2(3, 0, 2, 2, -2, 16, 16, false), v2_body, "negative level lengths");
  refused(v2(-3, 0, 2, 2, 2, 16, 16, false), v2_body, "impossible counts");
  refused(v2(3, 4, 2, 2, 2, 16, 16, false), v2_body, "impossible counts");  // more nulls than values
  refused(v2(3, 0, -2, 2, 2, 16, 16, false), v2_body, "impossible counts");
}

TEST(PageReader, SizesThatDisagree) {
  auto refused = [](const format::PageHeader& h, const Bytes& body, Compression codec, const char* needle) {
    EXPECT_ERROR(read_all(concat({header(h), body}), codec), ErrorKind::Corrupt, needle);
  };
  const Bytes v2_body = concat({kV2Rep, kV2Def, kV2Values});
  // Level sections of 10 + 10 bytes in a page of 16.
  refused(v2(3, 0, 2, 10, 10, 16, 16, false), v2_body, Compression::Uncompressed, "level sections of 20 bytes exceed the page");
  // Uncompressed values section: 12 bytes stored, 13 claimed.
  refused(v2(3, 0, 2, 2, 2, 17, 16, false), v2_body, Compression::Uncompressed, "uncompressed v2 page sizes disagree");
  // An uncompressed chunk whose page claims to shrink from 14 to 10 bytes.
  refused(v1(3, 10, 14), kV1Body, Compression::Uncompressed, "decompressed to 14 bytes, the page header says 10");
  // Snappy data stating 14 bytes under a header saying 15.
  refused(v1(3, 15, 16), kV1Snappy, Compression::Snappy, "the page header says 15 bytes");
}

}  // namespace
}  // namespace parkett::page

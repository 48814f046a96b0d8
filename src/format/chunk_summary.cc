#include "format/chunk_summary.h"

#include "parkett/error.h"

namespace parkett::format {
namespace {

using namespace thrift;

bool is_bool(uint8_t t) { return t == kBoolTrue || t == kBoolFalse; }

ByteView view_of(CompactReader& r) {
  std::string_view v = r.read_binary();
  return {static_cast<uint32_t>(reinterpret_cast<const uint8_t*>(v.data()) - r.data()),
          static_cast<uint32_t>(v.size())};
}

// Reads field `h` when its wire type is `want`; otherwise skips it (an incompatible field
// of a newer format version) and returns false, as the generic decoder does.
bool expect(CompactReader& r, FieldHeader h, uint8_t want) {
  if (h.type == want) return true;
  r.skip(h.type);
  r.count_unknown_field();
  return false;
}

void decode_statistics(CompactReader& r, StatisticsSummary& s) {
  r.enter_struct();
  int16_t last = 0;
  using S = StatisticsSummary;
  while (true) {
    FieldHeader h = r.read_field_header(last);
    if (h.type == kStop) break;
    switch (h.id) {
      case 1: if (expect(r, h, kBinary)) { s.max = view_of(r); s.present |= S::kMax; } break;
      case 2: if (expect(r, h, kBinary)) { s.min = view_of(r); s.present |= S::kMin; } break;
      case 3: if (expect(r, h, kI64)) { s.null_count = r.read_i64(); s.present |= S::kNullCount; } break;
      case 4: if (expect(r, h, kI64)) { s.distinct_count = r.read_i64(); s.present |= S::kDistinctCount; } break;
      case 5: if (expect(r, h, kBinary)) { s.max_value = view_of(r); s.present |= S::kMaxValue; } break;
      case 6: if (expect(r, h, kBinary)) { s.min_value = view_of(r); s.present |= S::kMinValue; } break;
      case 7:
        if (is_bool(h.type)) {
          s.is_max_value_exact = h.type == kBoolTrue;
          s.present |= S::kMaxExact;
        } else {
          expect(r, h, kBoolTrue);
        }
        break;
      case 8:
        if (is_bool(h.type)) {
          s.is_min_value_exact = h.type == kBoolTrue;
          s.present |= S::kMinExact;
        } else {
          expect(r, h, kBoolTrue);
        }
        break;
      case 9: if (expect(r, h, kI64)) { s.nan_count = r.read_i64(); s.present |= S::kNanCount; } break;
      default:
        r.skip(h.type);
        r.count_unknown_field();
    }
  }
  r.leave_struct();
}

// Skips a field this summary only flags.
void flag_and_skip(CompactReader& r, FieldHeader h, uint8_t want, ChunkSummary& c,
                   ChunkSummary::Flag flag) {
  if (h.type == want) c.flags |= flag;
  else r.count_unknown_field();
  r.skip(h.type);
}

void decode_meta_data(CompactReader& r, ChunkSummary& c) {
  r.enter_struct();
  int16_t last = 0;
  uint32_t seen = 0;
  while (true) {
    FieldHeader h = r.read_field_header(last);
    if (h.type == kStop) break;
    bool known = true;
    switch (h.id) {
      case 1: if ((known = expect(r, h, kI32))) c.type = static_cast<Type>(r.read_i32()); break;
      case 2:
        if ((known = expect(r, h, kList))) {
          ListHeader l = r.read_list_header();
          if (!l.holds(kI32)) r.fail("list element type " + std::to_string(l.elem_type) + ", expected 5");
          for (uint32_t i = 0; i < l.size; ++i) {
            int32_t e = r.read_i32();
            if (c.num_encodings < ChunkSummary::kMaxEncodings && e >= INT8_MIN && e <= INT8_MAX) {
              c.encodings[c.num_encodings++] = static_cast<int8_t>(e);
            } else {
              c.flags |= ChunkSummary::kMoreEncodings;
            }
          }
        }
        break;
      case 3:
        if ((known = expect(r, h, kList))) {
          ListHeader l = r.read_list_header();
          if (!l.holds(kBinary)) r.fail("list element type " + std::to_string(l.elem_type) + ", expected 8");
          uint64_t hash = path_hash_begin();
          for (uint32_t i = 0; i < l.size; ++i) hash = path_hash_add(hash, r.read_binary());
          c.path_length = l.size;
          c.path_hash = hash;
        }
        break;
      case 4: if ((known = expect(r, h, kI32))) c.codec = static_cast<CompressionCodec>(r.read_i32()); break;
      case 5: if ((known = expect(r, h, kI64))) c.num_values = r.read_i64(); break;
      case 6: if ((known = expect(r, h, kI64))) c.total_uncompressed_size = r.read_i64(); break;
      case 7: if ((known = expect(r, h, kI64))) c.total_compressed_size = r.read_i64(); break;
      case 8: flag_and_skip(r, h, kList, c, ChunkSummary::kHasKeyValueMetadata); known = false; break;
      case 9: if ((known = expect(r, h, kI64))) c.data_page_offset = r.read_i64(); break;
      case 10:
        if (expect(r, h, kI64)) {
          c.index_page_offset = r.read_i64();
          c.flags |= ChunkSummary::kHasIndexPageOffset;
        }
        known = false;
        break;
      case 11:
        if (expect(r, h, kI64)) {
          c.dictionary_page_offset = r.read_i64();
          c.flags |= ChunkSummary::kHasDictionaryPageOffset;
        }
        known = false;
        break;
      case 12:
        if (expect(r, h, kStruct)) {
          decode_statistics(r, c.statistics);
          c.flags |= ChunkSummary::kHasStatistics;
        }
        known = false;
        break;
      case 13: flag_and_skip(r, h, kList, c, ChunkSummary::kHasEncodingStats); known = false; break;
      case 14:
        if (expect(r, h, kI64)) {
          c.bloom_filter_offset = r.read_i64();
          c.flags |= ChunkSummary::kHasBloomFilterOffset;
        }
        known = false;
        break;
      case 15:
        if (expect(r, h, kI32)) {
          c.bloom_filter_length = r.read_i32();
          c.flags |= ChunkSummary::kHasBloomFilterLength;
        }
        known = false;
        break;
      case 16: flag_and_skip(r, h, kStruct, c, ChunkSummary::kHasSizeStatistics); known = false; break;
      case 17: flag_and_skip(r, h, kStruct, c, ChunkSummary::kHasGeospatialStatistics); known = false; break;
      default:
        r.skip(h.type);
        r.count_unknown_field();
        known = false;
    }
    if (known) seen |= 1u << h.id;
  }
  static const char* const kRequired[] = {nullptr, "type", "encodings", "path_in_schema", "codec",
                                          "num_values", "total_uncompressed_size",
                                          "total_compressed_size", nullptr, "data_page_offset"};
  for (int id = 1; id <= 9; ++id) {
    if (kRequired[id] && !(seen & (1u << id))) {
      r.fail(std::string("ColumnMetaData is missing required field '") + kRequired[id] + "'");
    }
  }
  r.leave_struct();
}

}  // namespace

uint64_t path_hash_begin() { return 14695981039346656037ull; }

uint64_t path_hash_add(uint64_t h, std::string_view element) {
  for (char ch : element) {
    h ^= static_cast<uint8_t>(ch);
    h *= 1099511628211ull;
  }
  h ^= 0x1f;  // separator: ("ab","c") and ("a","bc") differ
  return h * 1099511628211ull;
}

void decode_chunk_summary(CompactReader& r, ChunkSummary& c) {
  const size_t start = r.position();
  r.enter_struct();
  int16_t last = 0;
  while (true) {
    FieldHeader h = r.read_field_header(last);
    if (h.type == kStop) break;
    switch (h.id) {
      case 1: flag_and_skip(r, h, kBinary, c, ChunkSummary::kHasFilePath); break;
      case 2: if (expect(r, h, kI64)) c.file_offset = r.read_i64(); break;
      case 3:
        if (expect(r, h, kStruct)) {
          decode_meta_data(r, c);
          c.flags |= ChunkSummary::kHasMetaData;
        }
        break;
      case 4:
        if (expect(r, h, kI64)) {
          c.offset_index_offset = r.read_i64();
          c.flags |= ChunkSummary::kHasOffsetIndexOffset;
        }
        break;
      case 5:
        if (expect(r, h, kI32)) {
          c.offset_index_length = r.read_i32();
          c.flags |= ChunkSummary::kHasOffsetIndexLength;
        }
        break;
      case 6:
        if (expect(r, h, kI64)) {
          c.column_index_offset = r.read_i64();
          c.flags |= ChunkSummary::kHasColumnIndexOffset;
        }
        break;
      case 7:
        if (expect(r, h, kI32)) {
          c.column_index_length = r.read_i32();
          c.flags |= ChunkSummary::kHasColumnIndexLength;
        }
        break;
      case 8: flag_and_skip(r, h, kStruct, c, ChunkSummary::kHasCryptoMetaData); break;
      case 9: flag_and_skip(r, h, kBinary, c, ChunkSummary::kHasEncryptedMetaData); break;
      default:
        r.skip(h.type);
        r.count_unknown_field();
    }
  }
  r.leave_struct();
  c.bytes.offset = static_cast<uint32_t>(start);
  c.bytes.length = static_cast<uint32_t>(r.position() - start);
}

}  // namespace parkett::format

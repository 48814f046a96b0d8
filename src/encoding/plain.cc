#include "encoding/plain.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parkett/error.h"

namespace parkett::encoding {
namespace {

[[noreturn]] void short_data(size_t want, size_t have, const char* what) {
  throw Error(ErrorKind::Corrupt, std::string("PLAIN ") + what + ": expected " +
                                      std::to_string(want) + ", the page holds " +
                                      std::to_string(have));
}

}  // namespace

size_t decode_plain(std::span<const uint8_t> in, size_t n, bool boolean, ValueBuffer& out) {
  if (boolean) {
    const size_t bytes = (n + 7) / 8;
    if (bytes > in.size()) short_data(n, in.size() * 8, "booleans");
    const size_t start = out.fixed.size();
    out.fixed.resize(start + n);
    for (size_t i = 0; i < n; ++i) out.fixed[start + i] = (in[i >> 3] >> (i & 7)) & 1;
    out.count += n;
    return bytes;
  }
  if (!out.is_binary()) {
    const size_t bytes = n * out.width;
    if (n != 0 && (bytes / n != out.width || bytes > in.size())) {
      short_data(n, in.size() / out.width, "values");
    }
    out.fixed.append(in.data(), bytes);
    out.count += n;
    return bytes;
  }
  // Each value takes at least its 4-byte length, so the page bounds the count.
  if (n > in.size() / 4) short_data(n, in.size() / 4, "byte arrays");
  const size_t first = out.offsets.size();
  out.offsets.resize(first + n);
  int64_t* offsets = out.offsets.data() + first;
  // The page bounds the bytes added; 16 more let short values be copied in whole 16-byte
  // steps (the bytes past a value are overwritten by the next one or cut off below).
  size_t at = out.data.size();
  out.data.resize(at + in.size() + 16);
  uint8_t* dst = out.data.data();
  const uint8_t* src = in.data();
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    if (in.size() - pos < 4) {
      out.data.resize(at);
      out.offsets.resize(first);
      short_data(n, i, "byte arrays");
    }
    uint32_t len;
    std::memcpy(&len, src + pos, 4);
    pos += 4;
    if (len > in.size() - pos) {
      out.data.resize(at);
      out.offsets.resize(first);
      throw Error(ErrorKind::Corrupt, "PLAIN byte array of " + std::to_string(len) +
                                          " bytes exceeds the " + std::to_string(in.size() - pos) +
                                          " bytes left in the page");
    }
    if (in.size() - pos - len >= 16) {
      // Whole 16-byte steps: the source has 16 bytes past the value, the output the slack.
      for (size_t k = 0; k < len; k += 16) std::memcpy(dst + at + k, src + pos + k, 16);
    } else {
      std::memcpy(dst + at, src + pos, len);
    }
    at += len;
    pos += len;
    offsets[i] = static_cast<int64_t>(at);
  }
  out.data.resize(at);
  out.count += n;
  return pos;
}

size_t decode_plain_in_place(table::GrowableBuffer page, size_t offset, size_t size, size_t n, ValueBuffer& out) {
  if (!out.is_binary() || out.count != 0 || offset + size > page.size()) {
    throw Error(ErrorKind::Internal, "decode_plain_in_place needs an empty byte array buffer and bytes inside the page");
  }
  if (n > size / 4) short_data(n, size / 4, "byte arrays");
  table::PodVector<int64_t> offsets;
  offsets.resize(n + 1);
  offsets[0] = 0;
  uint8_t* bytes = page.data();
  size_t pos = offset;  // reading; always at least 4 bytes per value ahead of writing
  const size_t end = offset + size;
  size_t at = 0;        // writing
  for (size_t i = 0; i < n; ++i) {
    if (end - pos < 4) short_data(n, i, "byte arrays");
    uint32_t len;
    std::memcpy(&len, bytes + pos, 4);
    pos += 4;
    if (len > end - pos) {
      throw Error(ErrorKind::Corrupt, "PLAIN byte array of " + std::to_string(len) + " bytes exceeds the " +
                                          std::to_string(end - pos) + " bytes left in the page");
    }
    if (len) std::memmove(bytes + at, bytes + pos, len);
    at += len;
    pos += len;
    offsets[i + 1] = static_cast<int64_t>(at);
  }
  page.resize(at);
  out.data = std::move(page);
  out.offsets = std::move(offsets);
  out.count = n;
  return pos - offset;
}

}  // namespace parkett::encoding

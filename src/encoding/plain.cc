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
  size_t pos = 0;
  out.offsets.reserve(out.offsets.size() + std::min(n, in.size() / 4));  // 4 bytes per value at least
  out.data.reserve(out.data.size() + in.size());  // the page bounds the bytes it can add
  for (size_t i = 0; i < n; ++i) {
    if (in.size() - pos < 4) short_data(n, i, "byte arrays");
    uint32_t len;
    std::memcpy(&len, in.data() + pos, 4);
    pos += 4;
    if (len > in.size() - pos) {
      throw Error(ErrorKind::Corrupt, "PLAIN byte array of " + std::to_string(len) +
                                          " bytes exceeds the " + std::to_string(in.size() - pos) +
                                          " bytes left in the page");
    }
    out.data.append(in.data() + pos, len);
    pos += len;
    out.offsets.push_back(static_cast<int64_t>(out.data.size()));
  }
  out.count += n;
  return pos;
}

}  // namespace parkett::encoding

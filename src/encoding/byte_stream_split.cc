#include "encoding/byte_stream_split.h"

#include <string>

#include "parkett/error.h"

namespace parkett::encoding {

void decode_byte_stream_split(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  const size_t w = out.width;
  if (w == 0) throw Error(ErrorKind::Corrupt, "BYTE_STREAM_SPLIT of variable-length values");
  if (in.size() != n * w) {
    throw Error(ErrorKind::Corrupt, "BYTE_STREAM_SPLIT page of " + std::to_string(in.size()) +
                                        " bytes for " + std::to_string(n) + " values of " +
                                        std::to_string(w) + " bytes");
  }
  const size_t start = out.fixed.size();
  out.fixed.resize(start + n * w);
  uint8_t* dst = out.fixed.data() + start;
  for (size_t k = 0; k < w; ++k) {
    const uint8_t* stream = in.data() + k * n;
    for (size_t i = 0; i < n; ++i) dst[i * w + k] = stream[i];
  }
  out.count += n;
}

}  // namespace parkett::encoding

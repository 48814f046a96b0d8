// UNCOMPRESSED, SNAPPY, BROTLI, ZSTD and LZ4_RAW: thin wrappers over the reference libraries.
#include <brotli/decode.h>
#include <lz4.h>
#include <snappy.h>
#include <zstd.h>

#include <climits>
#include <cstring>

#include "codec/basic_codecs.h"
#include "codec/codec_error.h"

namespace parkett::codec {

void UncompressedCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  if (in.size() != out.size()) wrong_size(id(), in.size(), out.size());
  if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
}

void SnappyCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  const char* src = reinterpret_cast<const char*>(in.data());
  size_t length = 0;
  if (!snappy::GetUncompressedLength(src, in.size(), &length)) {
    corrupt_data(id(), "invalid length preamble");
  }
  if (length != out.size()) wrong_size(id(), length, out.size());
  if (!snappy::RawUncompress(src, in.size(), reinterpret_cast<char*>(out.data()))) {
    corrupt_data(id(), "invalid compressed stream");
  }
}

void BrotliCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  size_t written = out.size();
  BrotliDecoderResult r = BrotliDecoderDecompress(in.size(), in.data(), &written, out.data());
  if (r != BROTLI_DECODER_RESULT_SUCCESS) {
    corrupt_data(id(), r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT
                           ? "it holds more than the " + std::to_string(out.size()) +
                                 " bytes the page header says"
                           : "invalid compressed stream");
  }
  if (written != out.size()) wrong_size(id(), written, out.size());
}

void ZstdCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  // ZSTD_decompress handles several concatenated frames and checks every bound itself.
  size_t written = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(written)) corrupt_data(id(), ZSTD_getErrorName(written));
  if (written != out.size()) wrong_size(id(), written, out.size());
}

void decompress_lz4_block(Compression id, std::span<const uint8_t> in, std::span<uint8_t> out) {
  if (in.size() > INT_MAX || out.size() > INT_MAX) corrupt_data(id, "block larger than 2 GiB");
  int written = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()),
                                    reinterpret_cast<char*>(out.data()),
                                    static_cast<int>(in.size()), static_cast<int>(out.size()));
  if (written < 0) corrupt_data(id, "invalid LZ4 block");
  if (static_cast<size_t>(written) != out.size()) {
    wrong_size(id, static_cast<size_t>(written), out.size());
  }
}

void Lz4RawCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  decompress_lz4_block(id(), in, out);
}

}  // namespace parkett::codec

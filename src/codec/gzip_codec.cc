// GZIP: gzip members (several may follow each other in one page, NOTES.md
// concatenated_gzip_members) or, from some older writers, a zlib stream.
#include <libdeflate.h>

#include <memory>

#include "codec/basic_codecs.h"
#include "codec/codec_error.h"

namespace parkett::codec {
namespace {

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// One decompressor per thread: allocating it costs more than decompressing a small page.
libdeflate_decompressor* thread_decompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> d(
      libdeflate_alloc_decompressor());
  if (!d) throw Error(ErrorKind::ResourceLimit, "cannot allocate a deflate decompressor");
  return d.get();
}

bool is_zlib_header(std::span<const uint8_t> in) {
  return in.size() >= 2 && (in[0] & 0x0f) == 8 && (in[0] >> 4) <= 7 &&
         ((in[0] << 8) | in[1]) % 31 == 0;
}

}  // namespace

void GzipCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  libdeflate_decompressor* d = thread_decompressor();
  if (!(in.size() >= 2 && in[0] == 0x1f && in[1] == 0x8b) && is_zlib_header(in)) {
    size_t written = 0;
    libdeflate_result r =
        libdeflate_zlib_decompress(d, in.data(), in.size(), out.data(), out.size(), &written);
    if (r == LIBDEFLATE_INSUFFICIENT_SPACE) wrong_size(id(), out.size() + 1, out.size());
    if (r != LIBDEFLATE_SUCCESS) corrupt_data(id(), "invalid zlib stream");
    if (written != out.size()) wrong_size(id(), written, out.size());
    return;
  }
  size_t in_pos = 0, out_pos = 0;
  do {
    size_t used = 0, written = 0;
    libdeflate_result r = libdeflate_gzip_decompress_ex(d, in.data() + in_pos, in.size() - in_pos,
                                                        out.data() + out_pos, out.size() - out_pos,
                                                        &used, &written);
    if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
      corrupt_data(id(), "it holds more than the " + std::to_string(out.size()) +
                             " bytes the page header says");
    }
    if (r != LIBDEFLATE_SUCCESS) {
      corrupt_data(id(), "invalid gzip member at byte " + std::to_string(in_pos));
    }
    in_pos += used;
    out_pos += written;
  } while (in_pos < in.size());
  if (out_pos != out.size()) wrong_size(id(), out_pos, out.size());
}

}  // namespace parkett::codec

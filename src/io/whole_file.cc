#include "io/whole_file.h"

#include "parkett/error.h"

namespace parkett::io {

std::string read_whole_file(const FileSystem& fs, const std::string& path, int64_t max_bytes,
                            const std::string& what) {
  const std::shared_ptr<const InputFile> in = fs.open_input(path, 0);
  const int64_t size = in->size();
  if (size > max_bytes) {
    throw Error(ErrorKind::Corrupt, what + " " + path + " is " + std::to_string(size) + " bytes, more than the " +
                                        std::to_string(max_bytes) + " allowed");
  }
  std::string out(static_cast<size_t>(size), '\0');
  in->read_at(0, size, reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

void write_whole_file(const FileSystem& fs, const std::string& path, const std::string& bytes) {
  std::unique_ptr<OutputFile> out = fs.open_output(path);
  out->write(bytes.data(), bytes.size());
  out->close();
}

}  // namespace parkett::io

// Opening a Parquet file: trailer validation and the (usually single) footer read.
#include <cstring>
#include <new>

#include "file/calendar_modes.h"
#include "file/footer_decryption.h"
#include "file/read_plan.h"
#include "file/writer_version.h"
#include "file/reader_access.h"
#include "io/random_access_file.h"
#include "io/remote_file.h"
#include "io/s3_client.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

constexpr int64_t kTrailerSize = 8;  // 4-byte footer length + 4-byte magic
constexpr int64_t kMinFileSize = 4 + kTrailerSize;

std::string printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(c);
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[(static_cast<uint8_t>(c) >> 4) & 15]);
      out.push_back(kHex[static_cast<uint8_t>(c) & 15]);
    }
  }
  return out;
}

file::OpenedFooter read_footer(const io::RandomAccessFile& file, const ReadOptions& options) {
  const int64_t size = file.size();
  if (size < kMinFileSize) {
    throw Error(ErrorKind::Corrupt, "not a Parquet file: it has " + std::to_string(size) +
                                        " bytes, fewer than the 12 of an empty one");
  }
  const int64_t tail_size = std::min(size, std::max(options.footer_read_size, kTrailerSize));
  std::string tail;
  file.read_at(size - tail_size, tail_size, tail);
  std::string_view magic(tail.data() + tail.size() - 4, 4);
  if (magic != "PAR1" && magic != "PARE") {
    throw Error(ErrorKind::Corrupt, "not a Parquet file: expected magic 'PAR1' at the end, found '" +
                                        printable(magic) + "'");
  }
  uint32_t footer_len;
  std::memcpy(&footer_len, tail.data() + tail.size() - kTrailerSize, 4);
  if (static_cast<int64_t>(footer_len) > size - kMinFileSize) {
    throw Error(ErrorKind::Corrupt, "footer length " + std::to_string(footer_len) +
                                        " exceeds the file size " + std::to_string(size) +
                                        " minus magic and trailer");
  }
  if (static_cast<int64_t>(footer_len) > options.max_footer_size) {
    throw Error(ErrorKind::ResourceLimit,
                "footer of " + std::to_string(footer_len) + " bytes exceeds the limit of " +
                    std::to_string(options.max_footer_size) + " (ReadOptions::max_footer_size)");
  }
  std::string footer;
  const int64_t needed = static_cast<int64_t>(footer_len) + kTrailerSize;
  if (needed <= tail_size) {
    footer.assign(tail.data() + (tail_size - needed), footer_len);
  } else {
    file.read_at(size - needed, footer_len, footer);
  }
  if (magic == "PARE") return file::open_encrypted_footer(footer, options, file.name());
  return file::open_plaintext_footer(std::move(footer), options, file.name());
}

// Every column chunk's bytes must lie within the file (a footer from elsewhere, such as a
// dataset's `_metadata`, may not describe this file).
void check_within(const FileMetadata& md, int64_t size) {
  for (int32_t g = 0; g < md.num_row_groups(); ++g) {
    const RowGroupMetadata rg = md.row_group(g);
    for (int32_t c = 0; c < rg.num_columns(); ++c) {
      const ColumnChunkMetadata chunk = rg.column(c);
      const int64_t start = std::min(chunk.dictionary_page_offset().value_or(chunk.data_page_offset()),
                                     chunk.data_page_offset());
      int64_t end = 0;
      if (start < 0 || chunk.total_compressed_size() < 0 ||
          __builtin_add_overflow(start, chunk.total_compressed_size(), &end) || end > size) {
        throw Error(ErrorKind::Corrupt,
                    "the footer given does not describe this file: the chunk's bytes end at " + std::to_string(end) +
                        ", past the file's " + std::to_string(size),
                    {{}, g, chunk.path_in_schema(), std::nullopt});
      }
    }
  }
}

}  // namespace

FileReader FileReaderAccess::make(std::shared_ptr<io::RandomAccessFile> file, const ReadOptions& options,
                                  const FileMetadata* known, std::string path) {
  auto state = std::make_shared<FileReader::State>();
  state->name = file->name();
  state->path = std::move(path);
  try {
    // An encrypted file's own footer is read: its keys and AAD come with it.
    if (known && !options.decryption) {
      check_within(*known, file->size());
      state->metadata = *known;
    } else {
      file::OpenedFooter footer = read_footer(*file, options);
      state->metadata = std::move(footer.metadata);
      state->decryptor = std::move(footer.decryptor);
    }
  } catch (Error& e) {
    e.set_file(state->name);
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::ResourceLimit, "out of memory decoding the footer", ErrorContext{state->name, {}, {}, {}});
  }
  state->file = std::move(file);
  state->options = options;
  state->pads_dictionary_header = file::chunk_sizes_miss_dictionary_header(state->metadata.created_by());
  state->calendar_rules = file::read_calendar_rules(
      state->metadata.schema(), file::file_calendar(state->metadata.key_value_metadata(), options));
  FileReader r;
  r.state_ = std::move(state);
  return r;
}

ReadOptions FileReaderAccess::with_scan(const FileReader& r, const ScanOptions& scan) {
  ReadOptions out = state(r).options;
  static_cast<ScanOptions&>(out) = scan;
  if (!scan.column_ids.empty()) {
    if (!scan.columns.empty()) {
      throw Error(ErrorKind::InvalidArgument, "columns are chosen by name or by field id, not both",
                  ErrorContext{state(r).name, {}, {}, {}});
    }
    out.columns = file::paths_of_field_ids(state(r).metadata.schema(), scan.column_ids, state(r).name);
    out.column_ids.clear();
  }
  return out;
}

const FileReader::State& FileReaderAccess::state(const FileReader& r) {
  if (!r.state_) throw Error(ErrorKind::InvalidArgument, "the FileReader holds no file (default-constructed or moved from)");
  return *r.state_;
}

std::shared_ptr<const crypto::ChunkCipher> FileReaderAccess::cipher(const FileReader& r, int32_t row_group,
                                                                    int32_t column) {
  const FileReader::State& s = state(r);
  const ColumnChunkMetadata chunk = s.metadata.row_group(row_group).column(column);
  if (s.decryptor) return s.decryptor->chunk(chunk, row_group, column);
  if (const auto encryption = chunk.encryption()) file::throw_keys_required(*encryption);
  return nullptr;
}

const FileMetadata& FileReader::metadata() const { return FileReaderAccess::state(*this).metadata; }
const std::string& FileReader::name() const { return FileReaderAccess::state(*this).name; }

namespace {

// Local paths read with pread or a mapping; others (s3://, http(s)://, or any path of a given
// filesystem) through the filesystem, which fetches `tail_bytes` with the size when it can.
std::shared_ptr<io::RandomAccessFile> open_path(const std::string& path, const OpenOptions& options, int64_t tail_bytes) {
  if (!options.filesystem && !io::is_remote_url(path)) {
    return options.memory_map ? io::open_mapped_file(path) : io::open_local_file(path);
  }
  const std::shared_ptr<FileSystem> fs = options.filesystem ? options.filesystem : filesystem_for(path, options.s3);
  try {
    return io::open_input(fs->open_input(path, tail_bytes));
  } catch (Error& e) {
    e.set_file(io::url_for_messages(path));
    throw;
  }
}

}  // namespace

FileReader FileReader::open(const std::string& path, const ReadOptions& options) {
  return FileReaderAccess::make(open_path(path, options, options.footer_read_size), options, nullptr, path);
}

FileReader FileReader::open(const std::string& path, const FileMetadata& footer, const ReadOptions& options) {
  return FileReaderAccess::make(open_path(path, options, 0), options, &footer, path);
}

FileReader FileReader::open(std::shared_ptr<const InputFile> input, const ReadOptions& options) {
  return FileReaderAccess::make(io::open_input(std::move(input)), options);
}

FileReader FileReader::open_buffer(std::shared_ptr<const std::string> bytes,
                                   const ReadOptions& options, std::string name) {
  return FileReaderAccess::make(io::open_memory(std::move(bytes), std::move(name)), options);
}

}  // namespace parkett

#pragma once
// Small files read or written in one piece through a FileSystem: key material stores and
// other sidecars, never data files.

#include <cstdint>
#include <string>

#include "parkett/filesystem.h"

namespace parkett::io {

// The whole of `path`. Larger than `max_bytes` is Error(Corrupt) naming `what` and the
// path, so a damaged or hostile sidecar cannot make the reader allocate without bound.
std::string read_whole_file(const FileSystem& fs, const std::string& path, int64_t max_bytes,
                            const std::string& what);

// `bytes` as the whole of `path`: it appears complete when this returns, or not at all.
void write_whole_file(const FileSystem& fs, const std::string& path, const std::string& bytes);

}  // namespace parkett::io

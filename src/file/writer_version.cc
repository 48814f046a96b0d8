#include "file/writer_version.h"

#include <cstdio>

namespace parkett::file {

bool chunk_sizes_miss_dictionary_header(const std::optional<std::string>& created_by) {
  if (!created_by) return false;
  const std::string& s = *created_by;
  if (s.rfind("parquet-mr", 0) != 0) return false;
  const std::string marker = "parquet-mr version ";
  if (s.rfind(marker, 0) != 0) return true;  // no version: assume the oldest
  int major = 0, minor = 0, patch = 0;
  if (std::sscanf(s.c_str() + marker.size(), "%d.%d.%d", &major, &minor, &patch) < 2) return true;
  if (major != 1) return major < 1;
  if (minor != 2) return minor < 2;
  return patch < 9;
}

}  // namespace parkett::file

// A dataset's `_metadata` (pyarrow's write_metadata, Spark's and Dask's summary file): the
// footers of its data files in one footer, each column chunk's file_path naming its file
// relative to the root. Read, it gives every file's footer without reading the files'.
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/reader.h"

namespace parkett::dataset {

struct MetadataPlan {
  std::vector<std::string> files;     // below the root, sorted by path
  std::vector<FileMetadata> footers;  // per file: its row groups, as _metadata has them
  Schema schema;                      // the files' Arrow schema
};

/// Reads `_metadata` at `path`, whose file paths are relative to `root`. `discovered` are
/// the data files found below the root: every one must be in `_metadata` and every file
/// `_metadata` names must exist with its chunks' bytes inside it, else Error(Corrupt)
/// saying how they differ (a `_metadata` left from an earlier write).
MetadataPlan read_metadata_file(const std::string& path, const std::string& root,
                                const std::vector<std::string>& discovered, const OpenOptions& options);

}  // namespace parkett::dataset

// libFuzzer target: dataset paths. Lines of the input are file paths below a base; hive and
// directory partitioning of them, the arrays of their values, and glob matching never crash
// or hang; every refusal is an Error(InvalidArgument), and every value a column was typed
// for reads back as that type.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "dataset/discovery.h"
#include "dataset/partitioning.h"
#include "parkett/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> paths;
  std::vector<std::vector<std::string>> segments;
  size_t start = 0;
  while (start <= text.size() && paths.size() < 64) {
    const size_t end = std::min(text.find('\n', start), text.size());
    paths.push_back("/base/" + text.substr(start, end - start));
    segments.push_back(parkett::dataset::segments_below("/base", paths.back()));
    start = end + 1;
  }
  for (auto kind : {parkett::Partitioning::Kind::Detect, parkett::Partitioning::Kind::Directory}) {
    parkett::Partitioning p;
    p.kind = kind;
    p.names = {"a", "b"};
    p.allow_key_order_mismatch = !text.empty() && text[0] == '!';
    try {
      const parkett::dataset::PartitionValues v = parkett::dataset::partition_files(segments, paths, p);
      for (const auto& row : v.values) {
        if (row.size() != v.schema.fields.size()) std::abort();
        for (size_t c = 0; c < row.size(); ++c) {
          // Throws Error(Internal) if a value typed for the column does not read as it.
          parkett::dataset::constant_array(v.schema.fields[c].type, row[c], 3);
        }
      }
    } catch (const parkett::Error& e) {
      if (e.kind() != parkett::ErrorKind::InvalidArgument) std::abort();
    }
  }
  if (paths.size() >= 2) parkett::dataset::glob_match(paths[0], paths[1]);
  return 0;
}

#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace parkett::test {

std::string corpus_dir() { return PARKETT_TESTING_DIR; }

std::string data_file(const std::string& name) { return corpus_dir() + "/data/" + name; }

std::vector<std::string> corpus_parquet_files() {
  std::vector<std::string> out;
  for (const char* sub : {"data", "bad_data", "shredded_variant"}) {
    fs::path dir = fs::path(corpus_dir()) / sub;
    if (!fs::exists(dir)) throw std::runtime_error("corpus folder missing: " + dir.string());
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::string name = e.path().filename().string();
      if (name.find(".parquet") == std::string::npos || name.ends_with(".json")) continue;
      out.push_back(fs::relative(e.path(), corpus_dir()).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace parkett::test

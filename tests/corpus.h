// Paths of the conformance corpus and helpers shared by the tests.
#pragma once

#include <string>
#include <vector>

namespace parkett::test {

std::string corpus_dir();                   // shared/parquet-testing
std::string data_file(const std::string& name);  // shared/parquet-testing/data/NAME
/// Every file under data/ (recursively), bad_data/ and shredded_variant/ whose name
/// contains ".parquet", relative to corpus_dir(), sorted.
std::vector<std::string> corpus_parquet_files();
std::string read_file(const std::string& path);

}  // namespace parkett::test

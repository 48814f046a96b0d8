// Column names for text outputs (JSON Lines keys, CSV and table headers).
#pragma once

#include <string>
#include <vector>

namespace parkett::convert {

/// `names` made distinct, so that JSON tools (which merge repeated keys) and SQL engines
/// (which compare identifiers without regard to case) see every column: an empty name
/// becomes "C<position>" (1-based, as DuckDB names unnamed columns), and a name equal to an
/// earlier one ignoring ASCII case gets "_1", "_2", ... appended (DuckDB's rule). Names
/// already distinct are returned unchanged; the file's schema keeps the real names.
std::vector<std::string> output_names(const std::vector<std::string>& names);

}  // namespace parkett::convert

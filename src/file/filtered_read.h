// A read with a filter (ReadOptions::filter): row groups pruned by their statistics, then
// the rows of the others filtered exactly.
#pragma once

#include "parkett/reader.h"

namespace parkett::file {

/// FileReader::read_table for options with a filter. `counts`, if given, receives what the
/// scan skipped.
Table read_filtered(const FileReader& reader, const ReadOptions& options, ScanCounts* counts = nullptr);

}  // namespace parkett::file

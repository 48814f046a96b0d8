// Subcommand registration: each cmd_*.cc adds its subcommand to the app and returns the
// function that runs it once arguments are parsed.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace parkett::cli {

using Runner = std::function<int()>;

Runner add_schema_command(CLI::App& app);
Runner add_meta_command(CLI::App& app);
Runner add_cat_command(CLI::App& app);
Runner add_head_command(CLI::App& app);
Runner add_convert_command(CLI::App& app);
Runner add_stats_command(CLI::App& app);

}  // namespace parkett::cli

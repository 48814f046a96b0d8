#include <iostream>
#include <map>
#include <new>

#include "cli/commands.h"
#include "parkett/error.h"
#include "parkett/version.h"

int main(int argc, char** argv) {
  CLI::App app{"parkett: read, inspect and write Apache Parquet files"};
  app.set_version_flag("--version", std::string("parkett ") + parkett::version());
  app.require_subcommand(1);
  std::map<CLI::App*, parkett::cli::Runner> runners;
  auto add = [&](parkett::cli::Runner (*fn)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    parkett::cli::Runner r = fn(app);
    runners[app.get_subcommands({})[before]] = std::move(r);
  };
  add(parkett::cli::add_schema_command);
  add(parkett::cli::add_meta_command);
  add(parkett::cli::add_cat_command);
  add(parkett::cli::add_head_command);
  add(parkett::cli::add_convert_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    for (auto* sub : app.get_subcommands()) return runners.at(sub)();
  } catch (const parkett::Error& e) {
    std::cerr << "parkett: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "parkett: out of memory\n";  // where the library could not say more
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "parkett: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

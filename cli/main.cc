#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <new>

#include "cli/commands.h"
#include "io/atomic_file.h"
#include "parkett/error.h"
#include "parkett/version.h"

namespace {

// SIGINT, SIGTERM and SIGHUP: remove the temporary files of unfinished writes, say so, and
// end by the same signal so that the caller sees the conventional status (128 + signal).
void on_fatal_signal(int sig) {
  parkett::io::remove_temporary_files_on_signal();
  const char* what = sig == SIGINT ? "parkett: interrupted (SIGINT)\n"
                     : sig == SIGTERM ? "parkett: terminated (SIGTERM)\n"
                                      : "parkett: hangup (SIGHUP)\n";
  ssize_t ignored = ::write(STDERR_FILENO, what, std::strlen(what));
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    sigaddset(&sa.sa_mask, sig);  // one handler at a time
  }
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  // Past a file-size limit (ulimit -f) a write fails with EFBIG, which the writer reports
  // as an Io error and cleans up after, instead of the process being killed silently.
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  install_signal_handlers();
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
  add(parkett::cli::add_stats_command);

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

// Runs the parkett command as a user would (through the shell), for the tests of what it
// prints and how it exits.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace parkett::test {

struct CliResult {
  int code;         // exit status, or 128 + signal
  std::string out;  // stdout and stderr together
};

/// Runs a shell command line in which PARKETT stands for the binary.
inline CliResult sh(const std::string& line) {
  std::string cmd = line;
  for (size_t at; (at = cmd.find("PARKETT")) != std::string::npos;) cmd.replace(at, 7, PARKETT_CLI);
  FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

/// `parkett ARGS`.
inline CliResult run_cli(const std::string& args) { return sh("PARKETT " + args); }

}  // namespace parkett::test

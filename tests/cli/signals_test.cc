// `parkett convert` stopped by a signal in every direction: SIGINT, SIGTERM and SIGHUP
// remove the temporary file, print a message and end by that signal (status 128 + signal);
// a file-size limit (SIGXFSZ) becomes the Io error of a failed write (EFBIG). Text inputs
// come through a FIFO that the test keeps open, so the conversion is surely mid-way when
// the signal arrives; Parquet inputs are large enough to take a while.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path g_dir;  // shared inputs, made once

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string csv_rows(int64_t begin, int64_t end) {
  std::string out;
  for (int64_t i = begin; i < end; ++i) {
    out += std::to_string(i) + ",name " + std::to_string(i % 977) + "," + std::to_string(i * 0.25) + "\n";
  }
  return out;
}

std::string jsonl_rows(int64_t begin, int64_t end) {
  std::string out;
  for (int64_t i = begin; i < end; ++i) {
    out += "{\"id\":" + std::to_string(i) + ",\"name\":\"n" + std::to_string(i % 977) + "\"}\n";
  }
  return out;
}

// Runs parkett with `args` in `dir`, stderr to dir/stderr; `file_blocks` > 0 sets ulimit -f.
pid_t spawn(const fs::path& dir, const std::vector<std::string>& args, rlim_t file_bytes = 0) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    const int err = open("stderr", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(err, 2);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    if (file_bytes > 0) {
      rlimit r{file_bytes, file_bytes};
      setrlimit(RLIMIT_FSIZE, &r);
    }
    std::vector<char*> argv{const_cast<char*>(PARKETT_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(PARKETT_CLI, argv.data());
    _exit(127);
  }
  return pid;
}

std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".parkett-tmp-") != std::string::npos) out.push_back(name);
  }
  return out;
}

bool wait_for_temporary(const fs::path& dir, pid_t pid) {
  for (int i = 0; i < 30000; ++i) {
    if (!temporaries(dir).empty()) return true;
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;  // finished (or failed) first
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

class Signals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_dir = fs::temp_directory_path() / ("parkett-signals-" + std::to_string(getpid()));
    fs::remove_all(g_dir);
    fs::create_directories(g_dir);
    // A Parquet input that takes a while to convert: 3,000,000 rows.
    std::ofstream(g_dir / "big.csv") << "id,name,x\n" << csv_rows(0, 3000000);
    const pid_t pid = spawn(g_dir, {"convert", "big.csv", "big.parquet"});
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(g_dir / "stderr");
  }
  static void TearDownTestSuite() { fs::remove_all(g_dir); }

  void SetUp() override {
    dir_ = g_dir / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_);
  }

  // Converts `input` (a FIFO fed by the test for CSV and JSON Lines, or big.parquet) to
  // `output`, sends `sig` once the temporary file exists, and checks how the process ended.
  void interrupt(int sig, const std::string& input, const std::string& output) {
    SCOPED_TRACE(input + " -> " + output + ", signal " + std::to_string(sig));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const bool parquet_in = input.ends_with(".parquet");
    if (parquet_in) {
      fs::copy_file(g_dir / "big.parquet", dir_ / input);
    } else {
      ASSERT_EQ(mkfifo((dir_ / input).c_str(), 0644), 0);
    }
    const pid_t pid = spawn(dir_, {"convert", "--no-progress", input, output});
    int feed = -1;
    if (!parquet_in) {
      feed = open((dir_ / input).c_str(), O_WRONLY);  // waits for parkett to open it
      ASSERT_GE(feed, 0);
      const std::string head = input.ends_with(".csv") ? "id,name,x\n" + csv_rows(0, 5000) : jsonl_rows(0, 5000);
      ASSERT_EQ(write(feed, head.data(), head.size()), static_cast<ssize_t>(head.size()));
      // The FIFO stays open: parkett waits for the rest.
    }
    ASSERT_TRUE(wait_for_temporary(dir_, pid)) << slurp(dir_ / "stderr");
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    if (feed >= 0) close(feed);
    ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << WEXITSTATUS(status) << ": " << slurp(dir_ / "stderr");
    EXPECT_EQ(WTERMSIG(status), sig);
    const std::string said = slurp(dir_ / "stderr");
    const char* expected = sig == SIGINT ? "parkett: interrupted (SIGINT)"
                           : sig == SIGTERM ? "parkett: terminated (SIGTERM)"
                                            : "parkett: hangup (SIGHUP)";
    EXPECT_NE(said.find(expected), std::string::npos) << said;
    EXPECT_EQ(temporaries(dir_), std::vector<std::string>{});
    EXPECT_FALSE(fs::exists(dir_ / output));
  }

  fs::path dir_;
};

TEST_F(Signals, EachSignalInEachDirectionRemovesTheTemporaryFile) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    interrupt(sig, "in.csv", "out.parquet");
    interrupt(sig, "in.jsonl", "out.parquet");
    interrupt(sig, "in.parquet", "out.parquet");
    interrupt(sig, "in.parquet", "out.csv");
    interrupt(sig, "in.parquet", "out.jsonl");
  }
}

TEST_F(Signals, AFileSizeLimitIsAnIoErrorAndLeavesNothing) {
  for (const std::string output : {"out.parquet", "out.csv", "out.jsonl"}) {
    SCOPED_TRACE(output);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(g_dir / "big.parquet", dir_ / "in.parquet");
    const pid_t pid = spawn(dir_, {"convert", "--no-progress", "in.parquet", output}, 1 << 20);
    int status = 0;
    waitpid(pid, &status, 0);
    const std::string said = slurp(dir_ / "stderr");
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ": " << said;
    EXPECT_EQ(WEXITSTATUS(status), 1) << said;
    EXPECT_NE(said.find("File too large"), std::string::npos) << said;
    EXPECT_NE(said.find(output), std::string::npos) << said;
    EXPECT_EQ(temporaries(dir_), std::vector<std::string>{});
    EXPECT_FALSE(fs::exists(dir_ / output));
  }
}

}  // namespace

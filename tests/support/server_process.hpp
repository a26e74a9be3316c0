// `docledger serve` as a child process (DOCLEDGER_BINARY), started as a user would: its own
// environment, a port, output to a file or inherited. For black-box, shutdown and fault
// tests: SIGTERM (graceful), SIGKILL (crash), restart on the same port.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/test_master_key.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {

class ServerProcess {
 public:
  using Environment = std::vector<std::pair<std::string, std::string>>;
  // `env`: extra variables for the child. `log_path` empty: the child writes to the test's
  // stdout/stderr.
  ServerProcess(std::string database_url, std::uint16_t port, Environment env = {}, std::string log_path = "")
      : database_url_(std::move(database_url)), port_(port), env_(std::move(env)), log_path_(std::move(log_path)) {
    Start();
  }
  ~ServerProcess() { Kill(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!log_path_.empty()) {
        const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
          ::dup2(fd, 1);
          ::dup2(fd, 2);
        }
      }
      for (const auto& [name, value] : env_) ::setenv(name.c_str(), value.c_str(), 1);
      ::setenv("DATABASE_URL", database_url_.c_str(), 1);
      ::setenv("DOCLEDGER_LISTEN", ("127.0.0.1:" + std::to_string(port_)).c_str(), 1);
      ::setenv("DOCLEDGER_ENV", "development", 1);
      const bool has_key = std::any_of(env_.begin(), env_.end(), [](const auto& variable) {
        return variable.first == "DOCLEDGER_MASTER_KEY" || variable.first == "DOCLEDGER_MASTER_KEY_FILE";
      });
      if (!has_key) {
        ::setenv("DOCLEDGER_MASTER_KEY", kTestMasterKey, 1);
      }
      const char* binary = std::getenv("DOCLEDGER_BINARY");
      ::execl(binary, binary, "serve", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  bool WaitUntilServing() {
    return WaitUntil([&] { return HttpRequest(port_, "GET", "/health/live").status == 200; });
  }
  // SIGKILL and reap: a crash. No-op when not running.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // SIGTERM and wait: the exit code (-1 when killed by a signal).
  int Terminate() {
    SendTerm();
    return Wait();
  }
  void SendTerm() { ::kill(pid_, SIGTERM); }
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  std::string database_url_;
  std::uint16_t port_;
  Environment env_;
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace docledger::testing

// A child process for fault tests: its stdout is read line by line in the background, so
// a test can await a line (never sleep) and then SIGKILL the child at that point.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace docledger::testing {

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] {
      FILE* in = ::fdopen(fd, "r");
      char line[4096];
      while (std::fgets(line, sizeof line, in) != nullptr) {
        std::string text(line);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        std::lock_guard lock(mutex_);
        lines_.push_back(std::move(text));
        changed_.notify_all();
      }
      ::fclose(in);
      std::lock_guard lock(mutex_);
      closed_ = true;
      changed_.notify_all();
    });
  }
  ~ChildProcess() {
    Kill();
    if (reader_.joinable()) reader_.join();
  }

  // Waits until some line (from index `from` on) satisfies `match`; returns its index or -1.
  int WaitForLine(const std::function<bool(const std::string&)>& match, std::size_t from = 0,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    int found = -1;
    changed_.wait_for(lock, timeout, [&] {
      for (std::size_t i = from; i < lines_.size(); ++i) {
        if (match(lines_[i])) {
          found = static_cast<int>(i);
          return true;
        }
      }
      return closed_;
    });
    return found;
  }
  std::size_t LineCount() {
    std::lock_guard lock(mutex_);
    return lines_.size();
  }
  void Kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool closed_ = false;
};

}  // namespace docledger::testing

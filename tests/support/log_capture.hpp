// Capturing log lines in tests: installs the docledger logger (logging.hpp) in the given
// format on a sink that keeps every formatted line; restores the stderr text logger on
// destruction. Lines() may be called while other threads log.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

#include "infrastructure/logging.hpp"

namespace docledger::testing {

class LineSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> Lines() const {
    const std::lock_guard lock(lines_mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line(formatted.data(), formatted.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    const std::lock_guard lock(lines_mutex_);
    lines_.push_back(std::move(line));
  }
  void flush_() override {}

 private:
  mutable std::mutex lines_mutex_;
  std::vector<std::string> lines_;
};

class LogCapture {
 public:
  explicit LogCapture(infrastructure::LogFormat format) : sink_(std::make_shared<LineSink>()) {
    infrastructure::InitLogging(format, sink_);
  }
  ~LogCapture() { infrastructure::InitLogging(infrastructure::LogFormat::kText); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<std::string> Lines() const { return sink_->Lines(); }

 private:
  std::shared_ptr<LineSink> sink_;
};

}  // namespace docledger::testing

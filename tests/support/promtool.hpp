// `promtool check metrics` (Debian package prometheus) over an exposition, for tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace docledger::testing {

// "" when the text passes, else promtool's complaint; nullopt when promtool is missing.
inline std::optional<std::string> PromtoolCheckMetrics(const std::string& text) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  char path[] = "/tmp/docledger-metrics-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return std::string("cannot create a temporary file");
  ::close(fd);
  std::ofstream(path) << text;
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? ::pclose(pipe) : -1;
  ::unlink(path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::string();
  return "promtool failed (status " + std::to_string(status) + "): " + output;
}

}  // namespace docledger::testing

// Lints `text` with promtool; skips the test when promtool is missing, except under CI
// (CI=true), where that is a failure.
#define DOCLEDGER_EXPECT_PROMTOOL_PASSES(text)                                                  \
  do {                                                                                          \
    const auto promtool_result = ::docledger::testing::PromtoolCheckMetrics(text);              \
    if (!promtool_result) {                                                                     \
      const char* ci = std::getenv("CI");                                                       \
      if (ci != nullptr && std::string(ci) == "true") {                                         \
        FAIL() << "promtool is required under CI (apt-get install prometheus)";                 \
      }                                                                                         \
      GTEST_SKIP() << "promtool not installed (Debian package prometheus); exposition not linted"; \
    }                                                                                           \
    EXPECT_EQ(*promtool_result, "") << (text);                                                  \
  } while (0)

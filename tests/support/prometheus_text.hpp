// Reading series out of a Prometheus text exposition in tests:
//   SeriesValue(text, "docledger_http_requests_total", {{"route", "/x"}, {"status", "200"}})
// is the value of the one series with that name whose labels include the given ones
// (nullopt if there is none; a test failure if several match).
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace docledger::testing {

struct Series {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Every sample line (comments and blank lines skipped). Label values may hold escaped
// quotes (\").
inline std::vector<Series> ParseSeries(const std::string& text) {
  std::vector<Series> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    Series s;
    std::size_t i = line.find_first_of("{ ");
    s.name = line.substr(0, i);
    if (i != std::string::npos && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const auto eq = line.find('=', i);
        const std::string name = line.substr(i, eq - i);
        std::string value;
        std::size_t j = eq + 2;  // after ="
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) ++j;
          value += line[j];
        }
        s.labels[name] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;
    }
    s.value = std::stod(line.substr(line.find_first_not_of(' ', i)));
    out.push_back(std::move(s));
  }
  return out;
}

inline std::optional<double> SeriesValue(const std::string& text, const std::string& name,
                                         const std::map<std::string, std::string>& labels = {}) {
  std::optional<double> found;
  for (const auto& s : ParseSeries(text)) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      const auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (!match) continue;
    EXPECT_FALSE(found.has_value()) << "several series " << name << " match the labels";
    found = s.value;
  }
  return found;
}

}  // namespace docledger::testing

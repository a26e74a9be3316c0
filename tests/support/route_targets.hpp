// A concrete request target for a route pattern, for tests that call every route:
// {file} -> a console file, {stream_id} -> a stream name, any other parameter -> a UUID.
#pragma once

#include <string>

namespace docledger::testing {

inline std::string ConcreteTarget(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const auto close = pattern.find('}', i);
    const auto name = pattern.substr(i + 1, close - i - 1);
    out += name == "file" ? "app.js" : name == "stream_id" ? "stream-1" : "00000000-0000-4000-8000-000000000000";
    i = close;
  }
  return out;
}

}  // namespace docledger::testing

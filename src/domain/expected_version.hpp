// The optimistic-concurrency precondition of an append.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace docledger::domain {

class ExpectedVersion {
 public:
  // Append whatever the stream's version.
  static ExpectedVersion Any() { return ExpectedVersion(kAny); }
  // The stream must not exist yet (has no events).
  static ExpectedVersion NoStream() { return ExpectedVersion(0); }
  // The stream must hold exactly `version` events (0 is the same as NoStream).
  static ExpectedVersion Exact(std::int64_t version);

  // "any", "no_stream" or a non-negative integer; nullopt otherwise.
  static std::optional<ExpectedVersion> Parse(std::string_view text);

  bool IsAny() const { return value_ == kAny; }
  bool Matches(std::int64_t actual_version) const { return IsAny() || value_ == actual_version; }
  // The wire form used by the SQL append function: -1 any, otherwise the exact version.
  std::int64_t ToWire() const { return value_; }
  std::string ToString() const;

  friend bool operator==(const ExpectedVersion&, const ExpectedVersion&) = default;

 private:
  static constexpr std::int64_t kAny = -1;
  explicit ExpectedVersion(std::int64_t value) : value_(value) {}
  std::int64_t value_;
};

}  // namespace docledger::domain

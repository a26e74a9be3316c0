#include "domain/event_validation.hpp"

#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/text_rules.hpp"

namespace docledger::domain {
namespace {

constexpr std::size_t kMaxJsonDepth = 64;

bool IsEventTypeChar(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  if (first) return false;
  return (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// What a linear scan of a JSON text (strings skipped) finds before it is parsed: how deep
// arrays and objects nest (a hostile body must not exhaust the stack of anything
// downstream), and whether a number has an exponent beyond 1000 either way, which
// PostgreSQL's numeric (and so jsonb) cannot hold although nlohmann reads 1e-20000 as 0.
struct JsonTextScan {
  std::size_t depth = 0;
  bool unrepresentable_number = false;
};

JsonTextScan ScanJsonText(const std::string& text) {
  JsonTextScan scan;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      scan.depth = std::max(scan.depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == 'e' || c == 'E') {  // in a number, or in true/false (no digits follow)
      std::size_t j = i + 1;
      if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
      long exponent = 0;
      for (; j < text.size() && text[j] >= '0' && text[j] <= '9' && exponent <= 1000; ++j) {
        exponent = exponent * 10 + (text[j] - '0');
      }
      if (exponent > 1000) scan.unrepresentable_number = true;
    }
  }
  return scan;
}

// PostgreSQL text and jsonb cannot hold U+0000; refuse it instead of failing the batch.
// Iterative: the depth is bounded, but no recursion is needed either.
bool ContainsNul(const nlohmann::json& root) {
  std::vector<const nlohmann::json*> pending{&root};
  while (!pending.empty()) {
    const auto* value = pending.back();
    pending.pop_back();
    if (value->is_string()) {
      if (value->get_ref<const std::string&>().find('\0') != std::string::npos) return true;
    } else if (value->is_object()) {
      for (const auto& [key, item] : value->items()) {
        if (key.find('\0') != std::string::npos) return true;
        pending.push_back(&item);
      }
    } else if (value->is_array()) {
      for (const auto& item : *value) pending.push_back(&item);
    }
  }
  return false;
}

void CheckJsonObject(const std::string& text, const std::string& path, std::size_t max_bytes,
                     std::vector<ValidationIssue>& issues) {
  if (text.size() > max_bytes) {
    issues.push_back({path, "is larger than " + std::to_string(max_bytes) + " bytes"});
    return;
  }
  const auto scan = ScanJsonText(text);
  if (scan.depth > kMaxJsonDepth) {
    issues.push_back({path, "is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return;
  }
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    issues.push_back({path, "is not valid JSON (or not valid UTF-8)"});
  } else if (!parsed.is_object()) {
    issues.push_back({path, "must be a JSON object"});
  } else if (ContainsNul(parsed)) {
    issues.push_back({path, "must not contain the character U+0000"});
  } else if (scan.unrepresentable_number) {
    issues.push_back({path, "contains a number outside the range PostgreSQL can store (exponent beyond 1000)"});
  }
}

}  // namespace

std::vector<ValidationIssue> ValidateAppend(const AppendRequest& request,
                                            const AppendLimits& limits) {
  std::vector<ValidationIssue> issues;
  const auto& stream = request.stream_id;
  if (stream.empty()) {
    issues.push_back({"/stream_id", "must not be empty"});
  } else if (stream.size() > limits.max_stream_id_bytes) {
    issues.push_back({"/stream_id", "is longer than " + std::to_string(limits.max_stream_id_bytes) + " bytes"});
  } else if (!IsValidUtf8(stream)) {
    issues.push_back({"/stream_id", "is not valid UTF-8"});
  } else {
    for (unsigned char c : stream) {
      if (c < 0x20 || c == 0x7F) {
        issues.push_back({"/stream_id", "must not contain control characters"});
        break;
      }
    }
  }
  if (request.events.empty()) {
    issues.push_back({"/events", "must contain at least one event"});
  } else if (request.events.size() > limits.max_events_per_append) {
    issues.push_back({"/events", "must contain at most " +
                                     std::to_string(limits.max_events_per_append) + " events"});
  }
  std::set<std::string> seen_ids;
  for (std::size_t i = 0; i < request.events.size() && i < limits.max_events_per_append; ++i) {
    const auto& event = request.events[i];
    const std::string base = "/events/" + std::to_string(i);
    auto id = CanonicalUuid(event.event_id);
    if (!id) {
      issues.push_back({base + "/event_id", "must be a UUID"});
    } else if (!seen_ids.insert(*id).second) {
      issues.push_back({base + "/event_id", "occurs twice in this append"});
    }
    const auto& type = event.event_type;
    bool type_ok = !type.empty() && type.size() <= limits.max_event_type_bytes;
    for (std::size_t k = 0; type_ok && k < type.size(); ++k) type_ok = IsEventTypeChar(type[k], k == 0);
    if (!type_ok) {
      issues.push_back({base + "/event_type",
                        "must start with a letter and contain only letters, digits, '_', '.', '-' (at most " +
                            std::to_string(limits.max_event_type_bytes) + " bytes)"});
    }
    if (event.schema_version < 1) {
      issues.push_back({base + "/schema_version", "must be >= 1"});
    }
    CheckJsonObject(event.payload, base + "/payload", limits.max_payload_bytes, issues);
    CheckJsonObject(event.metadata, base + "/metadata", limits.max_payload_bytes, issues);
  }
  return issues;
}

void RequireValidAppend(AppendRequest& request, const AppendLimits& limits) {
  auto issues = ValidateAppend(request, limits);
  if (!issues.empty()) throw ValidationError(std::move(issues));
  for (auto& event : request.events) event.event_id = *CanonicalUuid(event.event_id);
}

}  // namespace docledger::domain

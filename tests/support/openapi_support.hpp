// Reading api/openapi.json the way a client would: $ref resolution, "which operation does
// this request hit", "is this status documented for it". Shared by the OpenAPI consistency
// test and the router fuzzer (no gtest here).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace docledger::testing::openapi {

inline const std::vector<std::string>& HttpMethods() {
  static const std::vector<std::string> methods = {"get", "put", "post", "delete", "options", "head", "patch",
                                                   "trace"};
  return methods;
}

// The node a local "$ref" ("#/components/...") points to; nullptr when it resolves to
// nothing (or is not local).
inline const nlohmann::json* ResolvePointer(const nlohmann::json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    const nlohmann::json::json_pointer pointer(ref.substr(1));
    return doc.contains(pointer) ? &doc.at(pointer) : nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

// `node`, or what its $ref chain points to (nullptr when a link is broken or loops).
inline const nlohmann::json* Resolve(const nlohmann::json& doc, const nlohmann::json& node) {
  const nlohmann::json* current = &node;
  for (int hops = 0; hops < 16; ++hops) {
    if (!current->is_object()) return current;
    const auto ref = current->find("$ref");
    if (ref == current->end() || !ref->is_string()) return current;
    current = ResolvePointer(doc, ref->get<std::string>());
    if (current == nullptr) return nullptr;
  }
  return nullptr;
}

// Every "$ref" value in the document that does not resolve.
inline void CollectBrokenRefs(const nlohmann::json& doc, const nlohmann::json& node, const std::string& where,
                              std::vector<std::string>& broken) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) {
        if (Resolve(doc, node) == nullptr) broken.push_back(where + ": " + value.get<std::string>());
      } else {
        CollectBrokenRefs(doc, value, where + "/" + key, broken);
      }
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) CollectBrokenRefs(doc, node[i], where + "/" + std::to_string(i), broken);
  }
}

inline std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

inline bool IsPlaceholder(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// The path template of `doc` that `path` (no query) hits, as the router picks it: segments
// match literally or fill a {placeholder} (non-empty); a literal beats a placeholder at the
// first position where two candidates differ. nullopt when none matches.
inline std::optional<std::string> MatchPath(const nlohmann::json& doc, std::string_view path) {
  const auto segments = SplitPath(path);
  if (segments.empty()) return std::nullopt;
  std::optional<std::string> best;
  std::vector<std::string_view> best_segments;
  for (const auto& [pattern, item] : doc.at("paths").items()) {
    const auto candidate = SplitPath(pattern);
    if (candidate.size() != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      matches = IsPlaceholder(candidate[i]) ? !segments[i].empty() : candidate[i] == segments[i];
    }
    if (!matches) continue;
    bool better = !best.has_value();
    for (std::size_t i = 0; !better && i < candidate.size(); ++i) {
      if (IsPlaceholder(candidate[i]) != IsPlaceholder(best_segments[i])) {
        better = !IsPlaceholder(candidate[i]);
        break;
      }
    }
    if (better) {
      best = pattern;
      best_segments = SplitPath(*best);
    }
  }
  return best;
}

inline bool IsPlanned(const nlohmann::json& operation) {
  return operation.value("x-docledger-planned", false);
}

// The operation (method lower-case) of a path template, or nullptr.
inline const nlohmann::json* FindOperation(const nlohmann::json& doc, const std::string& pattern,
                                           const std::string& method) {
  const auto& paths = doc.at("paths");
  const auto item = paths.find(pattern);
  if (item == paths.end()) return nullptr;
  const auto operation = item->find(method);
  return operation == item->end() ? nullptr : &*operation;
}

inline bool DocumentsStatus(const nlohmann::json& operation, int status) {
  const auto& responses = operation.at("responses");
  return responses.contains(std::to_string(status)) || responses.contains(std::to_string(status / 100) + "XX");
}

}  // namespace docledger::testing::openapi

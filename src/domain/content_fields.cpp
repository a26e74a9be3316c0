#include "domain/content_fields.hpp"

#include <map>

namespace docledger::domain {
namespace {

const std::map<std::string, std::vector<std::string>, std::less<>>& Table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table{
      {"DocumentUploaded", {"filename", "metadata", "source_url"}},
      {"DocumentRevised", {"filename", "metadata", "source_url"}},
      {"DocumentMetadataUpdated", {"filename", "metadata"}},
      {"DocumentConverted", {"markdown"}},
      {"DocumentConversionFailed", {"message"}},
      {"SemanticIRExtracted", {"items"}},
      {"ExtractionRecorded", {"data"}},
      {"JobStarted", {"input"}},
  };
  return table;
}

}  // namespace

const std::vector<std::string>& ContentFields(std::string_view event_type) {
  static const std::vector<std::string> kNone;
  const auto found = Table().find(event_type);
  return found == Table().end() ? kNone : found->second;
}

std::optional<std::string> ContentOwner(std::string_view event_type, const nlohmann::json& payload) {
  const auto& fields = ContentFields(event_type);
  if (fields.empty() || !payload.is_object()) return std::nullopt;
  const auto document = payload.find("document_id");
  if (document == payload.end() || !document->is_string()) return std::nullopt;
  for (const auto& field : fields) {
    if (payload.contains(field)) return document->get<std::string>();
  }
  return std::nullopt;
}

std::vector<std::string> ContentEventTypes() {
  std::vector<std::string> types;
  for (const auto& [type, fields] : Table()) types.push_back(type);
  return types;
}

}  // namespace docledger::domain

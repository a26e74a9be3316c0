// Which payload fields carry a document's content: the fields sealed with the document's
// data key (docs/erasure.md) and lost for good when the document is erased. Everything else
// (ids, types, versions, sha256, sizes, timestamps) stays in clear: order, routing and the
// projections' bookkeeping need it. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace docledger::domain {

// The content fields of this event type, e.g. {"markdown"} for DocumentConverted; empty
// for types that carry none.
const std::vector<std::string>& ContentFields(std::string_view event_type);

// The document whose data key seals this payload: its "document_id" when the type has
// content fields, the payload names a document, and at least one content field is present
// (JobStarted seals its input only when it names a document). nullopt otherwise.
std::optional<std::string> ContentOwner(std::string_view event_type, const nlohmann::json& payload);

// Every event type with content fields (for SQL filters).
std::vector<std::string> ContentEventTypes();

}  // namespace docledger::domain

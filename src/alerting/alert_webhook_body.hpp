// What the alert webhook receives, per DOCLEDGER_ALERT_WEBHOOK_FORMAT:
//   json   {"type","level","message","details","raised_at","alert_id"}
//   slack  {"text": "<one short readable line>"}  (Slack incoming webhooks, Mattermost...)
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "infrastructure/config.hpp"

namespace docledger::alerting {

struct AlertMessage {
  std::string alert_id;
  std::string type;
  std::string level;
  std::string key;
  std::string message;
  nlohmann::json details = nlohmann::json::object();
  std::string raised_at;  // ISO 8601, UTC
};

// Where an operator resolves an alert of `type` with `key`: the API route that acts on it
// (parked events of a projection, recovery for orphaned extractions), else the alert list
// filtered to its type. A path: prefix it with the service's address.
std::string ActionUrl(const std::string& type, const std::string& key);

// The JSON body carries `action_url` (ActionUrl); Slack's text ends with it.
std::string WebhookBody(const AlertMessage& alert, infrastructure::WebhookFormat format);

}  // namespace docledger::alerting

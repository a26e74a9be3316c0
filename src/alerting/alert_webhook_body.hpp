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

std::string WebhookBody(const AlertMessage& alert, infrastructure::WebhookFormat format);

}  // namespace docledger::alerting

#include "alerting/alert_webhook_body.hpp"

#include <cctype>

namespace docledger::alerting {

using infrastructure::WebhookFormat;

std::string ActionUrl(const std::string& type, const std::string& key) {
  const bool plain_key = !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (type == "projection_parked" && plain_key) return "/api/v1/projections/" + key + "/parked";
  if (type == "orphaned_extractions") return "/api/v1/recovery";
  const bool uuid_key = key.size() == 36 && key.find_first_not_of("0123456789abcdef-") == std::string::npos;
  if (type == "subscription_failing" && uuid_key) return "/api/v1/subscriptions/" + key;
  const bool plain_type = type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  return plain_type ? "/api/v1/alerts?type=" + type : "/api/v1/alerts";
}

std::string WebhookBody(const AlertMessage& alert, WebhookFormat format) {
  const std::string action = ActionUrl(alert.type, alert.key);
  if (format == WebhookFormat::kSlack) {
    std::string level = alert.level;
    for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string message = alert.message.size() > 500 ? alert.message.substr(0, 497) + "..." : alert.message;
    return nlohmann::json{{"text", "[docledger " + level + "] " + alert.type + ": " + message + " (alert " +
                                       alert.alert_id + ", " + alert.raised_at + "; " + action + ")"}}
        .dump();
  }
  return nlohmann::json{{"type", alert.type},           {"level", alert.level},
                        {"message", alert.message},     {"details", alert.details},
                        {"raised_at", alert.raised_at}, {"alert_id", alert.alert_id},
                        {"action_url", action}}
      .dump();
}

}  // namespace docledger::alerting

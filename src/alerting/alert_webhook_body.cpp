#include "alerting/alert_webhook_body.hpp"

#include <cctype>

namespace docledger::alerting {

using infrastructure::WebhookFormat;

std::string WebhookBody(const AlertMessage& alert, WebhookFormat format) {
  if (format == WebhookFormat::kSlack) {
    std::string level = alert.level;
    for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string message = alert.message.size() > 500 ? alert.message.substr(0, 497) + "..." : alert.message;
    return nlohmann::json{{"text", "[docledger " + level + "] " + alert.type + ": " + message + " (alert " +
                                       alert.alert_id + ", " + alert.raised_at + ")"}}
        .dump();
  }
  return nlohmann::json{{"type", alert.type},           {"level", alert.level},
                        {"message", alert.message},     {"details", alert.details},
                        {"raised_at", alert.raised_at}, {"alert_id", alert.alert_id}}
      .dump();
}

}  // namespace docledger::alerting

#include "operations/subscription_operations.hpp"

#include <boost/asio/ip/address.hpp>
#include <pqxx/pqxx>

#include "alerting/webhook_client.hpp"
#include "domain/errors.hpp"
#include "domain/subscription.hpp"
#include "domain/text_rules.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/pg_errors.hpp"
#include "subscriptions/webhook_signature.hpp"

namespace docledger::operations {
namespace {

#define DL_UTC(column) "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Every live subscription with its cursor ($1 NULL: all), in id order.
constexpr const char* kViewSql =
    "SELECT s.subscription_id::text, s.url, s.event_types::text, s.stream_prefix, s.start_after, s.max_batch, "
    "s.description, s.status, s.secret_version, s.last_error, s.version, " DL_UTC("s.created_at") ", "
    DL_UTC("s.updated_at") ", c.after_sequence, c.inflight_through, c.inflight_id, c.failures, "
    DL_UTC("c.next_attempt_at") ", c.last_error, CASE WHEN c.lease_until > now() THEN c.leased_by END, "
    DL_UTC("c.delivered_at") ", (SELECT coalesce(max(sequence), 0) FROM events) "
    "FROM subscriptions s LEFT JOIN subscription_cursors c USING (subscription_id) "
    "WHERE $1::uuid IS NULL OR s.subscription_id = $1::uuid ORDER BY s.subscription_id";

nlohmann::json Text(const pqxx::field& field) { return field.is_null() ? nlohmann::json(nullptr) : nlohmann::json(field.c_str()); }
nlohmann::json Number(const pqxx::field& field) {
  return field.is_null() ? nlohmann::json(nullptr) : nlohmann::json(field.as<std::int64_t>());
}

nlohmann::json CursorJson(const pqxx::row& row) {
  if (row[13].is_null()) return nullptr;  // the delivery worker has not started on it yet
  const auto after = row[13].as<std::int64_t>();
  nlohmann::json in_flight = nullptr;
  if (!row[14].is_null()) in_flight = {{"through_sequence", Number(row[14])}, {"webhook_id", Text(row[15])}};
  return {{"after_sequence", after},
          {"lag_events", std::max<std::int64_t>(0, row[21].as<std::int64_t>() - after)},
          {"in_flight", in_flight},
          {"failures", Number(row[16])},
          {"next_attempt_at", Text(row[17])},
          {"last_error", Text(row[18])},
          {"delivered_by", Text(row[19])},
          {"last_delivered_at", Text(row[20])}};
}

nlohmann::json ViewJson(const pqxx::row& row) {
  return {{"subscription_id", row[0].c_str()},
          {"url", row[1].c_str()},
          {"event_types", nlohmann::json::parse(row[2].c_str())},
          {"stream_prefix", row[3].c_str()},
          {"start_after", row[4].as<std::int64_t>()},
          {"max_batch", row[5].as<std::int64_t>()},
          {"description", row[6].c_str()},
          {"status", row[7].c_str()},
          {"secret_version", row[8].as<std::int64_t>()},
          {"failing_error", Text(row[9])},
          {"version", row[10].as<std::int64_t>()},
          {"created_at", row[11].c_str()},
          {"updated_at", row[12].c_str()},
          {"cursor", CursorJson(row)}};
}

// A subscription its events decided but the projection has not shown yet.
nlohmann::json StateJson(const domain::SubscriptionState& state) {
  return {{"subscription_id", state.subscription_id},
          {"url", state.url},
          {"event_types", state.event_types},
          {"stream_prefix", state.stream_prefix},
          {"start_after", state.start_after},
          {"max_batch", state.max_batch},
          {"description", state.description},
          {"status", domain::ToString(state.status)},
          {"secret_version", state.secret_version},
          {"failing_error", state.failing_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(state.failing_error)},
          {"version", state.version},
          {"cursor", nullptr}};
}

std::string Canonical(const std::string& id) { return domain::CanonicalUuid(id).value_or(id); }

}  // namespace

void SubscriptionOperations::CheckTarget(const std::string& url) const {
  if (!policy_.public_addresses_only) return;
  std::string host;
  try {
    host = alerting::ParseWebhookUrl(url).host;
  } catch (const alerting::WebhookError&) {
    return;  // the decision reports a malformed URL
  }
  boost::system::error_code not_ip;
  const auto address = boost::asio::ip::make_address(host, not_ip);
  const bool local_name = host == "localhost" || (host.size() > 10 && host.rfind(".localhost") == host.size() - 10);
  if (local_name || (!not_ip && !alerting::IsPublicAddress(address))) {
    throw domain::ValidationError("/url", "must be a public address: loopback, private and link-local targets are "
                                            "refused (DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY)");
  }
}

// A sequence past the head would skip events not yet appended: refused (422).
void SubscriptionOperations::CheckNotPastHead(const std::string& field, std::int64_t sequence) const {
  std::int64_t head = 0;
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::read_transaction tx(*lease);
    head = tx.exec("SELECT coalesce(max(sequence), 0) FROM events")[0][0].as<std::int64_t>();
  });
  if (sequence > head) {
    throw domain::ValidationError(field, "must not be past the head of the log (" + std::to_string(head) + ")");
  }
}

nlohmann::json SubscriptionOperations::Create(domain::CreateSubscription command, SubscriptionStart start,
                                              const domain::CommandContext& context) {
  if (command.subscription_id.empty()) command.subscription_id = infrastructure::NewRandomUuid();
  command.subscription_id = Canonical(command.subscription_id);
  if (start.kind == SubscriptionStart::Kind::kAfter) {
    CheckNotPastHead("/start", start.after);
    command.start_after = start.after;
  }
  Decide(domain::SubscriptionState{}, command);  // 422 before anything is written
  CheckTarget(command.url);
  std::string secret;
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::work tx(*lease);
    if (start.kind == SubscriptionStart::Kind::kNow) {
      command.start_after = tx.exec("SELECT coalesce(max(sequence), 0) FROM events")[0][0].as<std::int64_t>();
    }
    secret = secrets_.Create(tx, command.subscription_id);
    tx.commit();
  });
  const auto outcome = commands_.Execute(command, context);
  auto json = Get(outcome.id);
  json["secret"] = subscriptions::SecretText(secret);
  return json;
}

nlohmann::json SubscriptionOperations::Update(const domain::UpdateSubscription& command,
                                              const domain::CommandContext& context) {
  if (command.url) CheckTarget(*command.url);
  const auto outcome = commands_.Execute(command, context);
  auto json = Get(outcome.id);
  json["changed"] = !outcome.events.empty();
  return json;
}

nlohmann::json SubscriptionOperations::Rewind(const domain::RewindSubscription& command,
                                              const domain::CommandContext& context) {
  CheckNotPastHead("/after", command.after);
  const auto outcome = commands_.Execute(command, context);
  return {{"subscription_id", outcome.id}, {"after", command.after}, {"version", outcome.version},
          {"sequence", outcome.events.empty() ? nlohmann::json(nullptr) : nlohmann::json(outcome.events[0].sequence)}};
}

nlohmann::json SubscriptionOperations::RotateSecret(const std::string& subscription_id,
                                                    std::optional<std::chrono::seconds> overlap,
                                                    const domain::CommandContext& context) {
  const auto id = Canonical(subscription_id);
  if (!commands_.LoadSubscription(id).live()) throw domain::NotFound("subscription " + id + " not found");
  subscriptions::RotatedSecret rotated;
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::work tx(*lease);
    rotated = secrets_.Rotate(tx, id, overlap.value_or(policy_.default_overlap));
    tx.commit();
  });
  const auto outcome =
      commands_.Execute(domain::RotateSubscriptionSecret{id, rotated.version, rotated.previous_valid_until}, context);
  return {{"subscription_id", id},
          {"secret", subscriptions::SecretText(rotated.secret)},
          {"secret_version", rotated.version},
          {"previous_valid_until", rotated.previous_valid_until},
          {"version", outcome.version}};
}

void SubscriptionOperations::Delete(const std::string& subscription_id, const domain::CommandContext& context) {
  const auto id = Canonical(subscription_id);
  commands_.Execute(domain::DeleteSubscription{id}, context);
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::work tx(*lease);
    secrets_.Delete(tx, id);
    tx.exec_params("DELETE FROM subscription_cursors WHERE subscription_id = $1::uuid", id);
    tx.commit();
  });
}

nlohmann::json SubscriptionOperations::Get(const std::string& subscription_id) {
  const auto id = Canonical(subscription_id);
  if (!domain::CanonicalUuid(id)) throw domain::NotFound("subscription " + id + " not found");
  const auto state = commands_.LoadSubscription(id);
  if (!state.live()) throw domain::NotFound("subscription " + id + " not found");
  nlohmann::json json;
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::nontransaction tx(*lease);
    const auto rows = tx.exec_params(kViewSql, id);
    json = rows.empty() ? StateJson(state) : ViewJson(rows[0]);
  });
  if (json["version"] != state.version) {  // the projection lags the events: show them
    auto cursor = json["cursor"];
    json = StateJson(state);
    json["cursor"] = cursor;
  }
  return json;
}

nlohmann::json SubscriptionOperations::List() {
  auto out = nlohmann::json::array();
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::nontransaction tx(*lease);
    for (const auto& row : tx.exec_params(kViewSql, nullptr)) out.push_back(ViewJson(row));
  });
  return {{"subscriptions", out}};
}

nlohmann::json SubscriptionOperations::Deliveries(const std::string& subscription_id, int limit) {
  const auto id = Canonical(subscription_id);
  if (!commands_.LoadSubscription(id).live()) throw domain::NotFound("subscription " + id + " not found");
  auto out = nlohmann::json::array();
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::nontransaction tx(*lease);
    const auto rows = tx.exec_params(
        "SELECT webhook_id, after_sequence, through_sequence, event_count, outcome, status_code, error, latency_ms, "
        "instance, " DL_UTC("attempted_at") " FROM subscription_deliveries WHERE subscription_id = $1::uuid "
        "ORDER BY id DESC LIMIT $2",
        id, limit);
    for (const auto& row : rows) {
      out.push_back({{"webhook_id", row[0].c_str()},
                     {"after_sequence", row[1].as<std::int64_t>()},
                     {"through_sequence", row[2].as<std::int64_t>()},
                     {"event_count", row[3].as<std::int64_t>()},
                     {"outcome", row[4].c_str()},
                     {"status_code", Number(row[5])},
                     {"error", Text(row[6])},
                     {"latency_ms", row[7].as<double>()},
                     {"instance", row[8].c_str()},
                     {"attempted_at", row[9].c_str()}});
    }
  });
  return {{"subscription_id", id}, {"deliveries", out}};
}

#undef DL_UTC

}  // namespace docledger::operations

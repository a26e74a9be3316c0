// Pure parts of alerting and recovery: the webhook bodies (JSON and Slack), webhook URL
// parsing, and the decision to orphan an extraction.
#include <gtest/gtest.h>

#include "alerting/alert_delivery_worker.hpp"
#include "alerting/alert_webhook_body.hpp"
#include "alerting/webhook_client.hpp"
#include "domain/extraction.hpp"

namespace docledger {
namespace {

alerting::AlertMessage Sample() {
  return {"9b2f0c1e-0000-4000-8000-000000000001", "job_failed", "error", "conversion/Timeout",
          "conversion job 1 failed: Timeout: slow", {{"job_id", "1"}}, "2026-11-24T10:00:00.000000Z"};
}

TEST(AlertWebhookBody, JsonCarriesExactlyTheSevenFields) {
  const auto body = nlohmann::json::parse(alerting::WebhookBody(Sample(), infrastructure::WebhookFormat::kJson));
  EXPECT_EQ(body, nlohmann::json({{"type", "job_failed"},
                                  {"level", "error"},
                                  {"message", "conversion job 1 failed: Timeout: slow"},
                                  {"details", {{"job_id", "1"}}},
                                  {"raised_at", "2026-11-24T10:00:00.000000Z"},
                                  {"alert_id", "9b2f0c1e-0000-4000-8000-000000000001"},
                                  {"action_url", "/api/v1/alerts?type=job_failed"}}));
}

TEST(AlertWebhookBody, TheActionUrlIsWhereTheAlertIsResolved) {
  EXPECT_EQ(alerting::ActionUrl("projection_parked", "document_views"), "/api/v1/projections/document_views/parked");
  EXPECT_EQ(alerting::ActionUrl("orphaned_extractions", "any"), "/api/v1/recovery");
  EXPECT_EQ(alerting::ActionUrl("embedding_failure", "Timeout"), "/api/v1/alerts?type=embedding_failure");
  // Nothing from a key or type goes into a URL unescaped.
  EXPECT_EQ(alerting::ActionUrl("projection_parked", "../x?y"), "/api/v1/alerts?type=projection_parked");
  EXPECT_EQ(alerting::ActionUrl("odd type&", "k"), "/api/v1/alerts");
  const auto slack = nlohmann::json::parse(alerting::WebhookBody(Sample(), infrastructure::WebhookFormat::kSlack));
  EXPECT_NE(slack["text"].get<std::string>().find("/api/v1/alerts?type=job_failed"), std::string::npos);
}

TEST(AlertWebhookBody, SlackIsOneShortReadableLine) {
  auto alert = Sample();
  alert.message = std::string(2000, 'x');
  const auto body = nlohmann::json::parse(alerting::WebhookBody(alert, infrastructure::WebhookFormat::kSlack));
  ASSERT_EQ(body.size(), 1u);
  const std::string text = body["text"];
  EXPECT_EQ(text.rfind("[docledger ERROR] job_failed: xxx", 0), 0u) << text;
  EXPECT_LT(text.size(), 700u);
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(WebhookUrl, ParsesSchemeHostPortAndTarget) {
  auto url = alerting::ParseWebhookUrl("https://hooks.slack.com/services/T0/B0/xyz");
  EXPECT_TRUE(url.https);
  EXPECT_EQ(url.host, "hooks.slack.com");
  EXPECT_EQ(url.port, "443");
  EXPECT_EQ(url.target, "/services/T0/B0/xyz");
  url = alerting::ParseWebhookUrl("http://127.0.0.1:9000?x=1");
  EXPECT_FALSE(url.https);
  EXPECT_EQ(url.port, "9000");
  EXPECT_EQ(url.target, "/?x=1");
  url = alerting::ParseWebhookUrl("http://[::1]:8081/hook");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, "8081");
  EXPECT_EQ(alerting::ParseWebhookUrl("http://h").target, "/");
  EXPECT_THROW(alerting::ParseWebhookUrl("ftp://h/x"), alerting::WebhookError);
  EXPECT_THROW(alerting::ParseWebhookUrl("http:///x"), alerting::WebhookError);
}

TEST(PgTimestamp, IsUtcWithMicroseconds) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::microseconds(1764000000123456LL));
  EXPECT_EQ(alerting::PgTimestamp(time), "2025-11-24 16:00:00.123456+00");
}

TEST(OrphanExtraction, OnlyARecordedExtractionOfADeletedDocumentAndOnlyOnce) {
  domain::ExtractionState state;
  state = domain::Evolve(state, domain::ExtractionRecorded{"e", "p", "d", "t", nlohmann::json::object(), 1});
  domain::DocumentState live;
  live.status = domain::DocumentStatus::kConverted;
  domain::DocumentState deleted;
  deleted.status = domain::DocumentStatus::kDeleted;
  EXPECT_TRUE(domain::Decide(state, live, domain::OrphanExtraction{"e", ""}).empty());
  const auto events = domain::Decide(state, deleted, domain::OrphanExtraction{"e", "gone"});
  ASSERT_EQ(events.size(), 1u);
  const auto& orphaned = std::get<domain::ExtractionOrphaned>(events[0]);
  EXPECT_EQ(orphaned.document_id, "d");
  EXPECT_EQ(orphaned.project_id, "p");
  state = domain::Evolve(state, events[0]);
  EXPECT_TRUE(domain::Decide(state, deleted, domain::OrphanExtraction{"e", ""}).empty());
  EXPECT_THROW(domain::Decide(domain::ExtractionState{}, deleted, domain::OrphanExtraction{"x", ""}),
               domain::NotFound);
}

}  // namespace
}  // namespace docledger

// The metrics registry and its text exposition (no sockets, no database).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include "api/handlers/metrics_handler.hpp"
#include "api/middleware/metrics.hpp"
#include "api/router.hpp"
#include "infrastructure/metrics.hpp"
#include "tests/support/prometheus_text.hpp"

namespace docledger::infrastructure {
namespace {

using testing::ParseSeries;
using testing::SeriesValue;

bool HasFamily(const std::string& text, const std::string& name, const std::string& type) {
  return text.find("# TYPE " + name + " " + type + "\n") != std::string::npos &&
         text.find("# HELP " + name + " ") != std::string::npos;
}

TEST(MetricsTest, UnlabelledSeriesExistFromTheStart) {
  Metrics metrics;
  const auto text = metrics.Serialize();
  EXPECT_TRUE(HasFamily(text, "docledger_append_duration_seconds", "histogram")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_append_batch_size", "histogram")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_db_pool_connections", "gauge")) << text;
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_count"), 0.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_duration_seconds_count"), 0.0);
  EXPECT_EQ(SeriesValue(text, "docledger_db_pool_connections", {{"state", "in_use"}}), 0.0);
  EXPECT_EQ(SeriesValue(text, "docledger_db_pool_connections", {{"state", "idle"}}), 0.0);
  // A labelled family appears with its first series (prometheus-cpp omits empty ones).
  EXPECT_EQ(text.find("docledger_http_requests_total"), std::string::npos);
}

TEST(MetricsTest, EveryFamilyIsExposedWithItsTypeAndHelp) {
  Metrics metrics;
  metrics.ObserveHttpRequest("/x", "GET", 200, 0.01);
  metrics.ObserveAppendBatch(1, 0.001, {{"ProjectCreated", 1}});
  metrics.SetProjector("jobs", 1, 0, 0);
  metrics.CountWebhookDelivery("delivered");
  const auto text = metrics.Serialize();
  EXPECT_TRUE(HasFamily(text, "docledger_http_requests_total", "counter")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_http_request_duration_seconds", "histogram")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_events_appended_total", "counter")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_append_duration_seconds", "histogram")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_append_batch_size", "histogram")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_projector_checkpoint", "gauge")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_projector_lag_events", "gauge")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_projector_parked", "gauge")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_db_pool_connections", "gauge")) << text;
  EXPECT_TRUE(HasFamily(text, "docledger_webhook_deliveries_total", "counter")) << text;
  // Exactly these ten families, and every series belongs to one of them.
  std::set<std::string> families;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) == 0) families.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  for (const auto& s : ParseSeries(text)) {
    const bool known = std::any_of(families.begin(), families.end(), [&](const std::string& f) {
      return s.name == f || s.name == f + "_bucket" || s.name == f + "_sum" || s.name == f + "_count";
    });
    EXPECT_TRUE(known) << s.name;
  }
  EXPECT_EQ(families.size(), 10u) << text;
}

TEST(MetricsTest, HttpRequestsAreCountedByRoutePatternMethodAndStatus) {
  Metrics metrics;
  for (int i = 0; i < 3; ++i) metrics.ObserveHttpRequest("/api/v1/jobs/{id}", "GET", 200, 0.004);
  metrics.ObserveHttpRequest("/api/v1/jobs/{id}", "GET", 404, 0.002);
  metrics.ObserveHttpRequest("", "GET", 404, 0.001);
  metrics.ObserveHttpRequest("", "BREW", 405, 0.001);
  metrics.ObserveHttpRequest("", "", 431, 0.001);
  const auto text = metrics.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}, {"status", "200"}}),
            3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}, {"status", "404"}}),
            1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
            1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "unmatched"}, {"method", "OTHER"}, {"status", "405"}}),
            1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "unmatched"}, {"method", "OTHER"}, {"status", "431"}}),
            1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_request_duration_seconds_count",
                        {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}}),
            4.0);
  EXPECT_NEAR(*SeriesValue(text, "docledger_http_request_duration_seconds_sum",
                           {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}}),
              0.014, 1e-9);
  // 0.004 s falls in the 0.005 bucket (cumulative: all four), not in the 0.0025 one.
  EXPECT_EQ(SeriesValue(text, "docledger_http_request_duration_seconds_bucket",
                        {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}, {"le", "0.005"}}),
            4.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_request_duration_seconds_bucket",
                        {{"route", "/api/v1/jobs/{id}"}, {"method", "GET"}, {"le", "0.0025"}}),
            1.0);
  // The duration histogram has no status label.
  for (const auto& s : ParseSeries(text)) {
    if (s.name.rfind("docledger_http_request_duration_seconds", 0) == 0) {
      EXPECT_EQ(s.labels.count("status"), 0u);
    }
  }
}

TEST(MetricsTest, RequestSummariesAreRecordedWithTheirRoute) {
  Metrics metrics;
  api::RequestSummary summary;
  summary.method = "POST";
  summary.path = "/api/v1/jobs/7/complete";
  summary.route = "/api/v1/jobs/{id}/complete";
  summary.status = 202;
  summary.duration = std::chrono::milliseconds(30);
  api::RecordRequestMetrics(metrics, summary);
  summary.route.clear();
  summary.path = "/nope/123";
  summary.status = 404;
  api::RecordRequestMetrics(metrics, summary);
  const auto text = metrics.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "/api/v1/jobs/{id}/complete"}, {"method", "POST"}, {"status", "202"}}),
            1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total", {{"route", "unmatched"}, {"status", "404"}}), 1.0);
  EXPECT_EQ(text.find("/nope/123"), std::string::npos) << "never the raw path";
  EXPECT_EQ(text.find("/api/v1/jobs/7"), std::string::npos) << "never the raw path";
}

TEST(MetricsTest, AppendBatchesCountEventsPerTypeAndBatchSizes) {
  Metrics metrics;
  metrics.ObserveAppendBatch(3, 0.002, {{"DocumentUploaded", 2}, {"ProjectCreated", 1}});
  metrics.ObserveAppendBatch(40, 0.02, {{"DocumentUploaded", 38}});
  metrics.ObserveAppendBatch(1, 0.001, {});  // a duplicate: nothing new written
  const auto text = metrics.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "DocumentUploaded"}}), 40.0);
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "ProjectCreated"}}), 1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_count"), 3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_sum"), 44.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_bucket", {{"le", "2"}}), 1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_bucket", {{"le", "50"}}), 3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_duration_seconds_count"), 3.0);
  EXPECT_NEAR(*SeriesValue(text, "docledger_append_duration_seconds_sum"), 0.023, 1e-9);
}

TEST(MetricsTest, EventTypeLabelsAreCapped) {
  Metrics metrics;
  for (std::size_t i = 0; i < Metrics::kMaxEventTypeLabels + 5; ++i) {
    metrics.ObserveAppendBatch(1, 0.001, {{"Type" + std::to_string(i), 1}});
  }
  metrics.ObserveAppendBatch(1, 0.001, {{"Type0", 1}});  // a known type keeps its label
  const auto text = metrics.Serialize();
  std::size_t series = 0;
  for (const auto& s : ParseSeries(text)) series += s.name == "docledger_events_appended_total";
  EXPECT_EQ(series, Metrics::kMaxEventTypeLabels + 1);
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "other"}}), 5.0);
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "Type0"}}), 2.0);
}

TEST(MetricsTest, GaugesAndWebhookCounter) {
  Metrics metrics;
  metrics.SetProjector("stream_catalog", 120, 5, 1);
  metrics.SetProjector("stream_catalog", 125, 0, 1);  // gauges are set, not added
  metrics.SetProjector("jobs", 7, 118, 0);
  metrics.SetDbPoolConnections(3, 5);
  metrics.CountWebhookDelivery("delivered");
  metrics.CountWebhookDelivery("delivered");
  metrics.CountWebhookDelivery("failed");
  const auto text = metrics.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_projector_checkpoint", {{"projection", "stream_catalog"}}), 125.0);
  EXPECT_EQ(SeriesValue(text, "docledger_projector_lag_events", {{"projection", "stream_catalog"}}), 0.0);
  EXPECT_EQ(SeriesValue(text, "docledger_projector_parked", {{"projection", "stream_catalog"}}), 1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_projector_lag_events", {{"projection", "jobs"}}), 118.0);
  EXPECT_EQ(SeriesValue(text, "docledger_db_pool_connections", {{"state", "in_use"}}), 3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_db_pool_connections", {{"state", "idle"}}), 5.0);
  EXPECT_EQ(SeriesValue(text, "docledger_webhook_deliveries_total", {{"result", "delivered"}}), 2.0);
  EXPECT_EQ(SeriesValue(text, "docledger_webhook_deliveries_total", {{"result", "failed"}}), 1.0);
}

TEST(MetricsTest, CollectorsRefreshGaugesOnEveryScrapeAndAFailingOneIsSkipped) {
  Metrics metrics;
  int scrapes = 0;
  metrics.AddCollector([](Metrics&) { throw std::runtime_error("database unreachable"); });
  metrics.AddCollector([&scrapes](Metrics& m) { m.SetDbPoolConnections(++scrapes, 0); });
  EXPECT_EQ(SeriesValue(metrics.Serialize(), "docledger_db_pool_connections", {{"state", "in_use"}}), 1.0);
  EXPECT_EQ(SeriesValue(metrics.Serialize(), "docledger_db_pool_connections", {{"state", "in_use"}}), 2.0);
}

TEST(MetricsTest, MethodLabelsAreAFixedSet) {
  EXPECT_EQ(MethodLabel("GET"), "GET");
  EXPECT_EQ(MethodLabel("DELETE"), "DELETE");
  EXPECT_EQ(MethodLabel("get"), "OTHER");
  EXPECT_EQ(MethodLabel("PROPFIND"), "OTHER");
  EXPECT_EQ(MethodLabel(""), "OTHER");
}

TEST(MetricsRouteTest, ServesTheExpositionPubliclyAsPrometheusText) {
  Metrics metrics;
  metrics.SetProjector("jobs", 1, 2, 3);
  api::Router router;
  api::AddMetricsRoute(router, metrics);
  const auto routes = router.Routes();
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].pattern, "/metrics");
  EXPECT_EQ(routes[0].role, api::Role::kPublic);

  api::Request request{api::http::verb::get, "/metrics", 11};
  const auto response = router.Handle(request);
  EXPECT_EQ(response.result(), api::http::status::ok);
  EXPECT_EQ(response[api::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(SeriesValue(response.body(), "docledger_projector_parked", {{"projection", "jobs"}}), 3.0);
}

}  // namespace
}  // namespace docledger::infrastructure

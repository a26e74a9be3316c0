// Alerts end to end on PostgreSQL: the alerts projection raises each type from the event
// that causes it; the outbox worker delivers to a real local HTTP sink (JSON and Slack
// bodies, throttling on a controllable clock, retries, dead deliveries, leases that run
// out, two workers at once); a rebuild raises the same alerts and sends nothing again;
// recovery of orphaned extractions; GET /api/v1/alerts and POST /api/v1/recovery over HTTP.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "alerting/alert_delivery_worker.hpp"
#include "domain/job.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/recovery.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "projections/alerts/alerts.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/webhook_sink.hpp"

namespace docledger::testing {
namespace {

using std::chrono::system_clock;

// A clock the test moves by hand.
struct ManualClock {
  std::atomic<std::int64_t> micros{std::chrono::duration_cast<std::chrono::microseconds>(
                                       system_clock::now().time_since_epoch())
                                       .count()};
  system_clock::time_point Now() const { return system_clock::time_point(std::chrono::microseconds(micros.load())); }
  void Advance(std::chrono::milliseconds by) { micros += std::chrono::duration_cast<std::chrono::microseconds>(by).count(); }
};

// A self-signed certificate for `name` (DNS subjectAltName), made with the openssl CLI.
TlsFiles SelfSignedCertificate(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("docledger-tls-" + infrastructure::NewRandomUuid());
  std::filesystem::create_directories(dir);
  TlsFiles files{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  const auto command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=" +
                       name + " -addext subjectAltName=DNS:" + name + " -keyout " + files.key + " -out " +
                       files.certificate + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return files;
}

class Alerts : public ApiTest {
 protected:
  // A job of `kind` that fails; returns the JobFailed event's sequence.
  std::int64_t FailJob(const std::string& kind, const std::string& error_type = "Timeout") {
    const auto job = service_->Execute(domain::StartJob{"", kind, std::nullopt, std::nullopt, "worker-1", {}}).id;
    return service_->Execute(domain::FailJob{job, error_type, "took too long"}).events.at(0).sequence;
  }
  std::string Extract(const std::string& project, const std::string& document) {
    return service_->Execute(domain::RecordExtraction{"", project, document, "entity", {{"n", 1}}}).id;
  }

  alerting::AlertDeliveryOptions Options(const WebhookSink& sink) {
    alerting::AlertDeliveryOptions options;
    options.webhook_url = sink.url();
    options.throttle = std::chrono::seconds(0);
    options.max_attempts = 3;
    options.client.timeout = std::chrono::milliseconds(2000);
    options.base_backoff = std::chrono::milliseconds(1000);
    options.max_backoff = std::chrono::milliseconds(4000);
    options.lease = std::chrono::seconds(30);
    options.poll_interval = std::chrono::milliseconds(10);
    options.clock = [this] { return clock_.Now(); };
    return options;
  }

  // alert type -> number of alerts
  std::map<std::string, std::int64_t> AlertCounts() {
    std::map<std::string, std::int64_t> counts;
    const auto rows = Sql("SELECT type, count(*) FROM alerts GROUP BY type");
    for (const auto& row : rows) counts[row[0].c_str()] = row[1].as<std::int64_t>();
    return counts;
  }
  std::string DeliveryStatus(const std::string& type) {
    return Sql("SELECT string_agg(d.status, ',' ORDER BY d.source_sequence) FROM alert_deliveries d WHERE type = '" +
               type + "'")[0][0]
        .c_str();
  }

  ManualClock clock_;
};

TEST_F(Alerts, EachAlertTypeIsRaisedByTheEventThatCausesIt) {
  const auto failed = FailJob("conversion");
  const auto embedding = FailJob("embedding", "ModelUnavailable");
  const auto project = NewProject();
  const auto document = Upload(project);
  const auto e1 = Extract(project, document);
  const auto e2 = Extract(project, document);
  const auto deleted = service_->Execute(domain::DeleteDocument{document, "obsolete"}).events.at(0).sequence;
  // A JobFailed the jobs projector cannot read: it is parked (and ProjectionParked appended).
  const auto bad_job = infrastructure::NewRandomUuid();
  service_->Execute(domain::StartJob{bad_job, "crawl", std::nullopt, std::nullopt, "w", {}});
  store_->Append(MakeAppend(domain::JobStream(bad_job), domain::ExpectedVersion::Any(),
                            {MakeEvent("JobFailed", R"({"job_id":")" + bad_job + R"(","error_type":7})")}));
  CatchUpAll();

  const auto row = [&](std::int64_t sequence) {
    return Sql("SELECT type, level, key, details::text, id::text FROM alerts WHERE source_sequence = " +
               std::to_string(sequence));
  };
  auto r = row(failed);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(std::string(r[0][0].c_str()), "job_failed");
  EXPECT_EQ(std::string(r[0][1].c_str()), "error");
  EXPECT_EQ(std::string(r[0][2].c_str()), "conversion/Timeout");
  EXPECT_EQ(nlohmann::json::parse(r[0][3].c_str())["kind"], "conversion");

  r = row(embedding);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(std::string(r[0][0].c_str()), "embedding_failure");
  EXPECT_EQ(std::string(r[0][2].c_str()), "ModelUnavailable");

  r = row(deleted);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(std::string(r[0][0].c_str()), "orphaned_extractions");
  EXPECT_EQ(std::string(r[0][1].c_str()), "warning");
  const auto details = nlohmann::json::parse(r[0][3].c_str());
  EXPECT_EQ(details["extraction_ids"], nlohmann::json({e1, e2}));
  EXPECT_EQ(details["document_id"], document);
  EXPECT_EQ(details["project_id"], project);

  const auto parked = Sql("SELECT details::text FROM alerts WHERE type = 'projection_parked'");
  ASSERT_GE(parked.size(), 1u);
  const auto parked_details = nlohmann::json::parse(parked[0][0].c_str());
  EXPECT_EQ(parked_details["projection"], "jobs");
  EXPECT_EQ(parked_details["stream_id"], domain::JobStream(bad_job));
  EXPECT_NE(parked_details["error"].get<std::string>().find("error_type"), std::string::npos);

  // Recovery resolves the orphans and raises recovery_completed.
  const auto summary = infrastructure::RunRecovery(*pool_, *service_, false);
  ASSERT_EQ(summary.extraction_ids.size(), 2u);
  CatchUpAll();
  const auto recovery = Sql("SELECT level, details::text FROM alerts WHERE type = 'recovery_completed'");
  ASSERT_EQ(recovery.size(), 1u);
  EXPECT_EQ(std::string(recovery[0][0].c_str()), "info");
  EXPECT_EQ(nlohmann::json::parse(recovery[0][1].c_str())["orphaned_extractions"], 2);

  // Every alert has exactly one outbox row, keyed by the alert's id.
  EXPECT_EQ(Count("SELECT count(*) FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id"),
            Count("SELECT count(*) FROM alerts"));
  EXPECT_EQ(Count("SELECT count(*) FROM alert_deliveries WHERE status = 'pending'"), Count("SELECT count(*) FROM alerts"));
}

TEST_F(Alerts, JsonAndSlackBodiesAsTheSinkReceivesThem) {
  WebhookSink sink;
  const auto sequence = FailJob("extraction", "SchemaError");
  CatchUpAll();
  const auto alert_id = std::string(
      Sql("SELECT id::text FROM alerts WHERE source_sequence = " + std::to_string(sequence))[0][0].c_str());

  alerting::AlertDeliveryWorker json_worker(db_->url(), Options(sink));
  EXPECT_EQ(json_worker.RunOnce().delivered, 1u);
  ASSERT_EQ(sink.Delivered().size(), 1u);
  const auto body = nlohmann::json::parse(sink.Delivered()[0]);
  EXPECT_EQ(body["type"], "job_failed");
  EXPECT_EQ(body["level"], "error");
  EXPECT_EQ(body["alert_id"], alert_id);
  EXPECT_EQ(body["details"]["error_type"], "SchemaError");
  EXPECT_NE(body["message"].get<std::string>().find("extraction job"), std::string::npos);
  EXPECT_TRUE(body.contains("raised_at"));
  EXPECT_EQ(body["action_url"], "/api/v1/alerts?type=job_failed");
  EXPECT_EQ(body.size(), 7u);
  EXPECT_EQ(sink.ContentTypes()[0], "application/json");

  FailJob("crawl", "Http404");
  CatchUpAll();
  auto options = Options(sink);
  options.format = infrastructure::WebhookFormat::kSlack;
  alerting::AlertDeliveryWorker slack_worker(db_->url(), options);
  EXPECT_EQ(slack_worker.RunOnce().delivered, 1u);
  ASSERT_EQ(sink.Delivered().size(), 2u);
  const auto slack = nlohmann::json::parse(sink.Delivered()[1]);
  ASSERT_EQ(slack.size(), 1u);
  const std::string text = slack["text"];
  EXPECT_NE(text.find("[docledger ERROR] job_failed: crawl job"), std::string::npos) << text;
  EXPECT_NE(text.find("Http404"), std::string::npos) << text;
  EXPECT_EQ(DeliveryStatus("job_failed"), "delivered,delivered");
}

TEST_F(Alerts, ThrottlingSendsOnePerTypeAndKeyPerWindowAndCountsTheRest) {
  WebhookSink sink;
  infrastructure::Metrics metrics;
  auto options = Options(sink);
  options.throttle = std::chrono::seconds(300);
  alerting::AlertDeliveryWorker worker(db_->url(), options, &metrics);

  FailJob("conversion");
  FailJob("conversion");
  FailJob("conversion", "OutOfMemory");  // another key
  FailJob("conversion");
  CatchUpAll();
  const auto pass = worker.RunOnce();
  EXPECT_EQ(pass.delivered, 2u);
  EXPECT_EQ(pass.throttled, 2u);
  EXPECT_EQ(sink.Delivered().size(), 2u);
  EXPECT_EQ(DeliveryStatus("job_failed"), "delivered,throttled,delivered,throttled");

  // Still inside the window: throttled.
  clock_.Advance(std::chrono::seconds(299));
  FailJob("conversion");
  CatchUpAll();
  EXPECT_EQ(worker.RunOnce().throttled, 1u);
  // The window is over: sent.
  clock_.Advance(std::chrono::seconds(2));
  FailJob("conversion");
  CatchUpAll();
  EXPECT_EQ(worker.RunOnce().delivered, 1u);
  EXPECT_EQ(sink.Delivered().size(), 3u);
  const auto text = metrics.Serialize();
  EXPECT_NE(text.find("docledger_webhook_deliveries_total{result=\"throttled\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("docledger_webhook_deliveries_total{result=\"delivered\"} 3"), std::string::npos) << text;
}

TEST_F(Alerts, AfterDeliveryWasOffOnlyAlertsYoungerThanTheMaxAgeAreSent) {
  WebhookSink sink;
  infrastructure::Metrics metrics;
  FailJob("conversion", "Old");  // raised while delivery was off (no worker ran)
  CatchUpAll();
  clock_.Advance(std::chrono::minutes(90));  // delivery turned on again 90 minutes later
  const auto young_sequence = FailJob("conversion", "Young");
  CatchUpAll();
  // The young alert's raised_at is the event's time (now); move it to the test clock's "now".
  Sql("UPDATE alert_deliveries SET raised_at = raised_at + interval '90 minutes' WHERE source_sequence = " +
      std::to_string(young_sequence));
  auto options = Options(sink);
  options.max_age = std::chrono::hours(1);
  alerting::AlertDeliveryWorker worker(db_->url(), options, &metrics);
  const auto pass = worker.RunOnce();
  EXPECT_EQ(pass.expired, 1u);
  EXPECT_EQ(pass.delivered, 1u);
  ASSERT_EQ(sink.Delivered().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink.Delivered()[0])["details"]["error_type"], "Young");
  EXPECT_EQ(DeliveryStatus("job_failed"), "expired,delivered");
  EXPECT_EQ(AlertCounts()["job_failed"], 2) << "the expired alert stays recorded";
  EXPECT_NE(metrics.Serialize().find("docledger_webhook_deliveries_total{result=\"expired\"} 1"), std::string::npos);
}

TEST_F(Alerts, SinkDownThenUpDeliversExactlyOnceAfterRetries) {
  WebhookSink sink;
  sink.Down();
  FailJob("conversion");
  CatchUpAll();
  alerting::AlertDeliveryWorker worker(db_->url(), Options(sink));
  EXPECT_EQ(worker.RunOnce().failed, 1u);
  auto row = Sql("SELECT status, attempts, last_error FROM alert_deliveries");
  EXPECT_EQ(std::string(row[0][0].c_str()), "pending");
  EXPECT_EQ(row[0][1].as<int>(), 1);
  EXPECT_NE(std::string(row[0][2].c_str()).find("connecting to 127.0.0.1"), std::string::npos) << row[0][2].c_str();
  // Backing off: not due yet.
  EXPECT_EQ(worker.RunOnce().total(), 0u);
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(worker.RunOnce().failed, 1u);

  sink.Up();
  EXPECT_EQ(worker.RunOnce().total(), 0u) << "still backing off";
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(worker.RunOnce().delivered, 1u);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(worker.RunOnce().total(), 0u);
  EXPECT_EQ(sink.Delivered().size(), 1u);
  EXPECT_EQ(sink.Requests(), 1u);
  row = Sql("SELECT status, attempts, last_error IS NULL FROM alert_deliveries");
  EXPECT_EQ(std::string(row[0][0].c_str()), "delivered");
  EXPECT_EQ(row[0][1].as<int>(), 3);
  EXPECT_TRUE(row[0][2].as<bool>());
}

TEST_F(Alerts, HttpsVerifiesTheCertificateAndTheHostName) {
  const auto files = SelfSignedCertificate("localhost");
  WebhookSink sink(files);
  FailJob("conversion");
  CatchUpAll();
  const auto port = std::to_string(sink.port());
  auto options = Options(sink);
  options.max_attempts = 5;
  const auto last_error = [&] { return std::string(Sql("SELECT last_error FROM alert_deliveries")[0][0].c_str()); };

  // The system's CAs do not know the test's certificate: refused.
  options.webhook_url = "https://localhost:" + port + "/hook";
  EXPECT_EQ(alerting::AlertDeliveryWorker(db_->url(), options).RunOnce().failed, 1u);
  EXPECT_NE(last_error().find("TLS handshake with localhost"), std::string::npos) << last_error();

  // Trusted, but the certificate does not name 127.0.0.1: refused.
  options.client.ca_file = files.certificate;
  options.webhook_url = "https://127.0.0.1:" + port + "/hook";
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(alerting::AlertDeliveryWorker(db_->url(), options).RunOnce().failed, 1u);
  EXPECT_NE(last_error().find("TLS handshake with 127.0.0.1"), std::string::npos) << last_error();
  EXPECT_EQ(sink.Requests(), 0u);

  // Trusted and the right name: delivered.
  options.webhook_url = "https://localhost:" + port + "/hook";
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(alerting::AlertDeliveryWorker(db_->url(), options).RunOnce().delivered, 1u);
  ASSERT_EQ(sink.Delivered().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink.Delivered()[0])["type"], "job_failed");
  EXPECT_EQ(sink.FailedHandshakes(), 2u);
  std::filesystem::remove_all(std::filesystem::path(files.certificate).parent_path());
}

TEST_F(Alerts, ASinkAnswering500ForeverMakesTheDeliveryDeadAfterTheMaximum) {
  WebhookSink sink;
  sink.SetStatus(500);
  infrastructure::Metrics metrics;
  FailJob("conversion");
  CatchUpAll();
  alerting::AlertDeliveryWorker worker(db_->url(), Options(sink), &metrics);
  for (int i = 0; i < 10; ++i) {
    worker.RunOnce();
    clock_.Advance(std::chrono::seconds(10));
  }
  EXPECT_EQ(sink.Requests(), 3u) << "max_attempts = 3";
  const auto row = Sql("SELECT status, attempts, last_error FROM alert_deliveries");
  EXPECT_EQ(std::string(row[0][0].c_str()), "dead");
  EXPECT_EQ(row[0][1].as<int>(), 3);
  EXPECT_EQ(std::string(row[0][2].c_str()), "HTTP 500: sink failure");
  const auto text = metrics.Serialize();
  EXPECT_NE(text.find("docledger_webhook_deliveries_total{result=\"dead\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("docledger_webhook_deliveries_total{result=\"failed\"} 2"), std::string::npos) << text;
  // And the API shows it.
  const auto list = Json(Call("GET", "/api/v1/alerts"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["delivery"]["status"], "dead");
  EXPECT_EQ(list["items"][0]["delivery"]["attempts"], 3);
}

TEST_F(Alerts, AWorkerThatDiesMidDeliveryLosesNothingTheLeaseRunsOut) {
  WebhookSink sink;
  FailJob("conversion");
  CatchUpAll();
  auto crashed = std::make_unique<alerting::AlertDeliveryWorker>(db_->url(), Options(sink));
  ASSERT_EQ(crashed->Claim(1).size(), 1u);  // claimed, then "killed" before sending
  crashed.reset();

  alerting::AlertDeliveryWorker survivor(db_->url(), Options(sink));
  EXPECT_EQ(survivor.RunOnce().total(), 0u) << "the dead worker's lease still holds";
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(survivor.RunOnce().delivered, 1u);
  EXPECT_EQ(sink.Delivered().size(), 1u);
  const auto row = Sql("SELECT status, attempts FROM alert_deliveries");
  EXPECT_EQ(std::string(row[0][0].c_str()), "delivered");
  EXPECT_EQ(row[0][1].as<int>(), 2) << "the abandoned claim counts as an attempt";
}

TEST_F(Alerts, AWorkerWhoseLeaseRanOutCannotOverwriteTheOutcome) {
  WebhookSink sink;
  FailJob("conversion");
  CatchUpAll();
  alerting::AlertDeliveryWorker slow(db_->url(), Options(sink));
  const auto claimed = slow.Claim(1);
  ASSERT_EQ(claimed.size(), 1u);
  clock_.Advance(std::chrono::seconds(31));  // its lease runs out before it sends
  alerting::AlertDeliveryWorker other(db_->url(), Options(sink));
  EXPECT_EQ(other.RunOnce().delivered, 1u);
  sink.SetStatus(500);
  EXPECT_EQ(slow.Deliver(claimed[0]), "failed");
  const auto row = Sql("SELECT status, last_error IS NULL FROM alert_deliveries");
  EXPECT_EQ(std::string(row[0][0].c_str()), "delivered") << "the stale claim's failure changed nothing";
  EXPECT_TRUE(row[0][1].as<bool>());
  EXPECT_EQ(sink.Delivered().size(), 1u);
}

TEST_F(Alerts, TwoWorkersNeverSendTheSameDeliveryTwice) {
  WebhookSink sink;
  constexpr int kAlerts = 40;
  for (int i = 0; i < kAlerts; ++i) FailJob("conversion", "E" + std::to_string(i));
  CatchUpAll();
  auto options = Options(sink);
  options.clock = [] { return system_clock::now(); };
  options.batch_size = 3;
  options.instance = "a";
  alerting::AlertDeliveryWorker a(db_->url(), options);
  options.instance = "b";
  alerting::AlertDeliveryWorker b(db_->url(), options);
  a.Start();
  b.Start();
  ASSERT_TRUE(sink.WaitForDelivered(kAlerts));
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM alert_deliveries WHERE status = 'delivered'") == kAlerts; }));
  a.Stop();
  b.Stop();
  std::set<std::string> ids;
  for (const auto& body : sink.Delivered()) ids.insert(nlohmann::json::parse(body)["alert_id"].get<std::string>());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kAlerts));
  EXPECT_EQ(sink.Requests(), static_cast<std::size_t>(kAlerts));
}

TEST_F(Alerts, ARebuildRaisesTheSameAlertsWithTheSameIdsAndSendsNothingAgain) {
  WebhookSink sink;
  FailJob("conversion");
  FailJob("embedding");
  const auto project = NewProject();
  const auto document = Upload(project);
  Extract(project, document);
  service_->Execute(domain::DeleteDocument{document, ""});
  CatchUpAll();
  alerting::AlertDeliveryWorker worker(db_->url(), Options(sink));
  EXPECT_EQ(worker.RunOnce().delivered, 3u);
  const auto before = Sql("SELECT string_agg(id::text || type || key || details::text, ',' ORDER BY id) FROM alerts");

  const auto result = projection_runtime::RebuildProjection(db_->url(), std::make_shared<projections::Alerts>(), RebuildWith());
  EXPECT_TRUE(result.swapped);
  const auto after = Sql("SELECT string_agg(id::text || type || key || details::text, ',' ORDER BY id) FROM alerts");
  EXPECT_EQ(std::string(before[0][0].c_str()), std::string(after[0][0].c_str()));
  const auto verify = RebuildWith(/*verify_only=*/true);
  EXPECT_TRUE(projection_runtime::RebuildProjection(db_->url(), std::make_shared<projections::Alerts>(), verify).identical());

  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(worker.RunOnce().total(), 0u);
  EXPECT_EQ(sink.Delivered().size(), 3u);
  EXPECT_EQ(Count("SELECT count(*) FROM alert_deliveries"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM alert_deliveries WHERE status = 'delivered'"), 3);

  // `replay --verify` changes nothing outside its shadow schema: not even a missing outbox row.
  Sql("DELETE FROM alert_deliveries WHERE type = 'embedding_failure'");
  EXPECT_TRUE(projection_runtime::RebuildProjection(db_->url(), std::make_shared<projections::Alerts>(), verify).identical());
  EXPECT_EQ(Count("SELECT count(*) FROM alert_deliveries"), 2);
}

TEST_F(Alerts, RecoverDryRunThenRealThenAgainFindsNothing) {
  const auto project = NewProject();
  const auto kept = Upload(project, "kept.pdf");
  const auto gone = Upload(project, "gone.pdf");
  Extract(project, kept);
  const auto o1 = Extract(project, gone);
  const auto o2 = Extract(project, gone);
  service_->Execute(domain::DeleteDocument{gone, ""});
  CatchUpAll();
  const auto head = store_->HeadSequence();

  const auto dry = infrastructure::RunRecovery(*pool_, *service_, true);
  EXPECT_EQ(dry.extraction_ids, (std::vector<std::string>{o1, o2}));
  EXPECT_EQ(dry.document_ids, (std::vector<std::string>{gone}));
  EXPECT_FALSE(dry.run_id);
  EXPECT_EQ(store_->HeadSequence(), head) << "a dry run appends nothing";

  const auto real = infrastructure::RunRecovery(*pool_, *service_, false);
  EXPECT_EQ(real.extraction_ids, (std::vector<std::string>{o1, o2}));
  ASSERT_TRUE(real.run_id);
  EXPECT_EQ(store_->HeadSequence(), head + 3) << "two ExtractionOrphaned and one RecoveryCompleted";
  // Before the read model caught up, the domain already refuses a second orphaning.
  EXPECT_TRUE(infrastructure::RunRecovery(*pool_, *service_, false).extraction_ids.empty());
  CatchUpAll();
  EXPECT_EQ(Count("SELECT count(*) FROM extractions WHERE orphaned_at IS NOT NULL"), 2);
  EXPECT_TRUE(infrastructure::RunRecovery(*pool_, *service_, true).extraction_ids.empty());
  EXPECT_TRUE(infrastructure::RunRecovery(*pool_, *service_, false).extraction_ids.empty());
  EXPECT_EQ(store_->HeadSequence(), head + 3);
}

TEST_F(Alerts, HttpListsAlertsWithDeliveriesAndRunsRecovery) {
  const auto project = NewProject();
  const auto document = Upload(project);
  const auto extraction = Extract(project, document);
  service_->Execute(domain::DeleteDocument{document, ""});
  for (int i = 0; i < 3; ++i) FailJob("conversion");
  CatchUpAll();

  auto reply = Call("GET", "/api/v1/alerts?limit=2");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto page = Json(reply);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["type"], "job_failed");
  EXPECT_EQ(page["items"][0]["delivery"]["status"], "pending");
  EXPECT_EQ(page["items"][0]["delivery"]["attempts"], 0);
  ASSERT_TRUE(page["next_cursor"].is_string());
  reply = Call("GET", "/api/v1/alerts?limit=2&cursor=" + page["next_cursor"].get<std::string>());
  page = Json(reply);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][1]["type"], "orphaned_extractions");
  EXPECT_EQ(page["items"][1]["details"]["extraction_ids"], nlohmann::json({extraction}));

  page = Json(Call("GET", "/api/v1/alerts?type=orphaned_extractions"));
  EXPECT_EQ(page["items"].size(), 1u);
  EXPECT_TRUE(page["next_cursor"].is_null());
  // `since` against the alerts' own times (never the clock's): from the earliest, all; from
  // the latest, those raised at that instant; just after it, none.
  const auto bounds = Sql("SELECT to_char(min(raised_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                          "to_char(max(raised_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                          "to_char((max(raised_at) + interval '1 microsecond') AT TIME ZONE 'UTC', "
                          "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                          "count(*) FILTER (WHERE raised_at = (SELECT max(raised_at) FROM alerts)) FROM alerts");
  const std::string earliest = bounds[0][0].c_str(), latest = bounds[0][1].c_str(), after_latest = bounds[0][2].c_str();
  EXPECT_EQ(Json(Call("GET", "/api/v1/alerts?since=" + earliest))["items"].size(), 4u);
  EXPECT_EQ(Json(Call("GET", "/api/v1/alerts?since=" + latest))["items"].size(), bounds[0][3].as<std::size_t>());
  EXPECT_EQ(Json(Call("GET", "/api/v1/alerts?since=" + after_latest))["items"].size(), 0u);
  EXPECT_EQ(Json(Call("GET", "/api/v1/alerts?since=2000-01-01"))["items"].size(), 4u);  // a date alone
  EXPECT_EQ(Call("GET", "/api/v1/alerts?type=nope").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?since=yesterday").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?since=2026-13-45T99:00:00Z").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?cursor=zz").status, 400);

  reply = Call("POST", "/api/v1/recovery?dry_run=true");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Json(reply)["orphaned_extractions"], 1);
  EXPECT_EQ(Json(reply)["dry_run"], true);
  EXPECT_TRUE(Json(reply)["run_id"].is_null());
  reply = Call("POST", "/api/v1/recovery");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Json(reply)["extraction_ids"], nlohmann::json({extraction}));
  EXPECT_TRUE(Json(reply)["run_id"].is_string());
  EXPECT_EQ(Json(Call("POST", "/api/v1/recovery"))["orphaned_extractions"], 0);
  EXPECT_EQ(Call("POST", "/api/v1/recovery?dry_run=maybe").status, 400);
  CatchUpAll();
  EXPECT_EQ(Json(Call("GET", "/api/v1/alerts?type=recovery_completed"))["items"].size(), 1u);
}

}  // namespace
}  // namespace docledger::testing

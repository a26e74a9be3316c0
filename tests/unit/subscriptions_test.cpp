// Outbound subscriptions' pure parts: the aggregate's decisions, event matching, batching
// and its body-size split, the webhook-id, and Standard Webhooks signatures (against the
// specification's published example).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerting/webhook_client.hpp"
#include "domain/errors.hpp"
#include "domain/subscription.hpp"
#include "infrastructure/content_encoding.hpp"
#include "subscriptions/delivery_batch.hpp"
#include "subscriptions/webhook_signature.hpp"

namespace docledger {
namespace {

using domain::SubscriptionStatus;

const std::string kId = "55555555-5555-4555-8555-555555555555";

domain::SubscriptionState Created(domain::CreateSubscription command = {}) {
  command.subscription_id = kId;
  if (command.url.empty()) command.url = "https://hooks.example.org/docledger";
  domain::SubscriptionState state;
  for (const auto& event : domain::Decide(state, command)) state = domain::Evolve(state, event);
  return state;
}

domain::SubscriptionState Apply(domain::SubscriptionState state, const std::vector<domain::DomainEvent>& events) {
  for (const auto& event : events) state = domain::Evolve(state, event);
  return state;
}

TEST(SubscriptionDecisions, CreateValidatesTargetFiltersAndBatchSize) {
  const auto state = Created({"", "", {"DocumentConverted"}, "document-", 7, 50, "ir ready"});
  EXPECT_TRUE(state.live());
  EXPECT_EQ(state.start_after, 7);
  EXPECT_EQ(state.max_batch, 50);
  EXPECT_EQ(state.status, SubscriptionStatus::kActive);
  const auto refused = [](domain::CreateSubscription command) {
    command.subscription_id = kId;
    EXPECT_THROW(domain::Decide(domain::SubscriptionState{}, command), domain::ValidationError) << command.url;
  };
  refused({"", "ftp://example.org/", {}, "", 0, 100, ""});
  refused({"", "not a url", {}, "", 0, 100, ""});
  refused({"", "https://example.org/", {"NoSuchEvent"}, "", 0, 100, ""});
  refused({"", "https://example.org/", {}, "", 0, 0, ""});
  refused({"", "https://example.org/", {}, "", 0, domain::kMaxSubscriptionBatch + 1, ""});
  refused({"", "https://example.org/", {}, "", -1, 100, ""});
  EXPECT_THROW(domain::Decide(state, domain::CreateSubscription{kId, "https://example.org/", {}, "", 0, 100, ""}),
               domain::Conflict);
}

TEST(SubscriptionDecisions, PauseResumeAndFailingFollowTheStatus) {
  auto state = Created();
  domain::UpdateSubscription pause{kId, {}, {}, {}, {}, {}, true};
  state = Apply(state, domain::Decide(state, pause));
  EXPECT_EQ(state.status, SubscriptionStatus::kPaused);
  EXPECT_TRUE(domain::Decide(state, pause).empty()) << "pausing a paused subscription changes nothing";
  EXPECT_TRUE(domain::Decide(state, domain::MarkSubscriptionFailing{kId, 10, 5, "HTTP 500"}).empty())
      << "a paused subscription is not failing";
  domain::UpdateSubscription resume{kId, {}, {}, {}, {}, {}, false};
  state = Apply(state, domain::Decide(state, resume));
  EXPECT_EQ(state.status, SubscriptionStatus::kActive);
  state = Apply(state, domain::Decide(state, domain::MarkSubscriptionFailing{kId, 10, 5, "HTTP 500"}));
  EXPECT_EQ(state.status, SubscriptionStatus::kFailing);
  EXPECT_EQ(state.failing_error, "HTTP 500");
  EXPECT_TRUE(domain::Decide(state, domain::MarkSubscriptionFailing{kId, 11, 5, "HTTP 500"}).empty());
  state = Apply(state, domain::Decide(state, resume));
  EXPECT_EQ(state.status, SubscriptionStatus::kActive) << "a resume ends failing";
  EXPECT_TRUE(state.failing_error.empty());
}

TEST(SubscriptionDecisions, UpdateAppendsOnlyWhatChangesAndDeleteEndsIt) {
  auto state = Created();
  EXPECT_TRUE(domain::Decide(state, domain::UpdateSubscription{kId, state.url, {}, {}, {}, {}, {}}).empty());
  state = Apply(state, domain::Decide(state, domain::UpdateSubscription{kId, {}, {}, {}, std::int64_t{10}, {}, {}}));
  EXPECT_EQ(state.max_batch, 10);
  EXPECT_THROW(domain::Decide(state, domain::RewindSubscription{kId, -1}), domain::ValidationError);
  state = Apply(state, domain::Decide(state, domain::DeleteSubscription{kId}));
  EXPECT_FALSE(state.live());
  EXPECT_THROW(domain::Decide(state, domain::RewindSubscription{kId, 0}), domain::NotFound);
}

TEST(SubscriptionMatching, EventTypesAndStreamPrefixBothFilter) {
  EXPECT_TRUE(domain::Matches({}, "", "JobStarted", "job-1"));
  EXPECT_TRUE(domain::Matches({"JobStarted", "JobFailed"}, "", "JobFailed", "job-1"));
  EXPECT_FALSE(domain::Matches({"JobStarted"}, "", "JobFailed", "job-1"));
  EXPECT_TRUE(domain::Matches({}, "document-", "DocumentConverted", "document-9"));
  EXPECT_FALSE(domain::Matches({}, "document-", "DocumentConverted", "job-9"));
  EXPECT_FALSE(domain::Matches({"JobStarted"}, "document-", "JobStarted", "job-9"));
}

domain::RecordedEvent Event(std::int64_t sequence, std::size_t padding = 0) {
  domain::RecordedEvent event;
  event.sequence = sequence;
  event.event_id = "e" + std::to_string(sequence);
  event.stream_id = "job-1";
  event.stream_version = sequence;
  event.event_type = "JobStarted";
  event.payload = nlohmann::json{{"padding", std::string(padding, 'x')}}.dump();
  event.metadata = "{}";
  event.recorded_at = "2026-12-06T00:00:00Z";
  return event;
}

TEST(DeliveryBatch, CoversTheRangeReadAndSplitsWhatDoesNotFit) {
  const std::vector<domain::RecordedEvent> events = {Event(3, 100), Event(5, 100), Event(9, 100)};
  const auto whole = subscriptions::MakeBatch(kId, 2, events, 12, 1 << 20);
  EXPECT_EQ(whole.event_count, 3u);
  EXPECT_EQ(whole.after, 2);
  EXPECT_EQ(whole.through, 12) << "the range read, up to its bound, is covered";
  EXPECT_EQ(whole.webhook_id, "msg_55555555555545558555555555555555_2_12");
  const auto body = nlohmann::json::parse(whole.body);
  EXPECT_EQ(body["subscription_id"], kId);
  EXPECT_EQ(body["after_sequence"], 2);
  EXPECT_EQ(body["through_sequence"], 12);
  ASSERT_EQ(body["events"].size(), 3u);
  EXPECT_EQ(body["events"][1]["sequence"], 5);
  EXPECT_EQ(body["events"][1]["payload"]["padding"], std::string(100, 'x'));

  const auto split = subscriptions::MakeBatch(kId, 2, events, 12, 800);
  EXPECT_EQ(split.event_count, 2u);
  EXPECT_EQ(split.through, 5) << "a split batch ends at its last event";
  EXPECT_LE(split.body.size(), 800u);
  const auto lone = subscriptions::MakeBatch(kId, 2, {Event(3, 5000)}, 12, 600);
  EXPECT_EQ(lone.event_count, 1u) << "an event bigger than the limit goes alone";
  EXPECT_EQ(lone.through, 12);
  EXPECT_EQ(subscriptions::MakeBatch(kId, 2, events, 12, 800).webhook_id, split.webhook_id) << "stable per batch";
}

TEST(WebhookSignature, MatchesTheStandardWebhooksExample) {
  // The specification's example (and the `standardwebhooks` package's output for it).
  const auto secret = std::string("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const auto bytes = infrastructure::DecodeBase64(secret).value_or("");
  EXPECT_EQ(subscriptions::SecretText(bytes), "whsec_" + secret);
  EXPECT_EQ(subscriptions::Signature(bytes, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  const auto other = subscriptions::NewSecret();
  EXPECT_EQ(other.size(), subscriptions::kSecretBytes);
  const auto header = subscriptions::SignatureHeader({bytes, other}, "msg_1", 1, "{}");
  EXPECT_EQ(header, subscriptions::Signature(bytes, "msg_1", 1, "{}") + " " +
                        subscriptions::Signature(other, "msg_1", 1, "{}"));
}

TEST(WebhookTargets, OnlyPublicAddressesArePublic) {
  const auto is_public = [](const char* text) {
    return alerting::IsPublicAddress(boost::asio::ip::make_address(text));
  };
  for (const char* refused : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                              "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "::", "fe80::1", "fd00::1",
                              "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(is_public(refused)) << refused;
  }
  for (const char* allowed : {"93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700:4700::1111",
                              "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(is_public(allowed)) << allowed;
  }
}

}  // namespace
}  // namespace docledger

#include "cli/serve_subscriptions.hpp"



namespace docledger::cli {

subscriptions::SubscriptionDeliveryOptions SubscriptionDeliveryOptionsFor(const infrastructure::Config& config,
                                                                          const std::string& instance) {
  const auto& settings = config.subscriptions;
  subscriptions::SubscriptionDeliveryOptions options;
  options.instance = instance;
  options.lease = settings.lease;
  options.client.timeout = settings.timeout;
  options.client.public_addresses_only = settings.public_addresses_only;
  options.max_body_bytes = settings.max_body_bytes;
  options.max_failures = settings.max_failures;
  options.max_failing_time = settings.max_failing_time;
  options.base_backoff = settings.retry_base;
  options.max_backoff = settings.retry_max;
  return options;
}

namespace {

// A subscription past its failure bound gets SubscriptionFailing, appended as any command.
subscriptions::MarkFailing MarkFailingThrough(domain::CommandService& commands) {
  return [&commands](const domain::MarkSubscriptionFailing& command) {
    domain::CommandContext context;
    context.actor = "subscription-delivery";
    commands.Execute(command, context);
  };
}

}  // namespace

ServedSubscriptions::ServedSubscriptions(const infrastructure::Config& config, const std::string& instance,
                                         infrastructure::ConnectionPool& pool, domain::CommandService& commands,
                                         const infrastructure::MasterKey& master,
                                         eventstore::EventNotifier& notifier)
    : secrets_(master),
      operations_(pool, commands, secrets_,
                  operations::SubscriptionPolicy{config.subscriptions.public_addresses_only,
                                                 std::chrono::hours(24)}),
      dispatcher_(config.database_url, SubscriptionDeliveryOptionsFor(config, instance), secrets_,
                  MarkFailingThrough(commands), &notifier) {}

}  // namespace docledger::cli

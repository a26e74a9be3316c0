// `docledger subscriptions list|rewind|pause|resume` (docs/subscriptions.md): the same
// operations as /api/v1/subscriptions, for operators at a shell.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/operator_commands.hpp"
#include "domain/errors.hpp"
#include "infrastructure/pg_errors.hpp"
#include "operations/subscription_operations.hpp"
#include "subscriptions/subscription_secrets.hpp"

namespace docledger::cli {
namespace {

void PrintList(const nlohmann::json& list) {
  std::cout << "subscription_id                       status    after_sequence  lag_events  url\n";
  for (const auto& s : list.at("subscriptions")) {
    const auto& cursor = s.at("cursor");
    const bool started = cursor.is_object();
    std::cout << s.value("subscription_id", "") << "  " << s.value("status", "") << "  "
              << (started ? std::to_string(cursor.value("after_sequence", std::int64_t{0})) : "-") << "  "
              << (started ? std::to_string(cursor.value("lag_events", std::int64_t{0})) : "-") << "  "
              << s.value("url", "") << "\n";
  }
}

nlohmann::json Run(operations::SubscriptionOperations& operations, const SubscriptionsArgs& args,
                   const domain::CommandContext& context) {
  if (args.action == "list") return operations.List();
  if (args.action == "rewind") return operations.Rewind({args.subscription_id, args.after}, context);
  domain::UpdateSubscription update;
  update.subscription_id = args.subscription_id;
  update.paused = args.action == "pause";
  return operations.Update(update, context);
}

}  // namespace

int RunSubscriptions(const SubscriptionsArgs& args) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  const auto keys = DataKeysOrComplain(url);
  if (!keys) return 2;
  try {
    OperatorCommands side(url, keys);
    const subscriptions::SubscriptionSecrets secrets(keys->master());
    operations::SubscriptionOperations operations(side.pool, side.commands, secrets, {});
    domain::CommandContext context;
    context.actor = "docledger-subscriptions";
    const auto result = Run(operations, args, context);
    if (args.json) {
      std::cout << result.dump(2) << "\n";
    } else if (args.action == "list") {
      PrintList(result);
    } else {
      std::cout << "subscriptions " << args.action << ": " << args.subscription_id << " is now "
                << result.value("status", "?") << "\n";
    }
    return 0;
  } catch (const domain::NotFound& e) {
    std::cerr << "subscriptions: " << e.what() << "\n";
    return 3;
  } catch (const domain::ValidationError& e) {
    std::cerr << "subscriptions: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "subscriptions: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli

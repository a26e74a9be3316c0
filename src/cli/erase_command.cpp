// `docledger erase` and `docledger keys rotate` (docs/erasure.md).
#include <iostream>

#include <pqxx/pqxx>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/operator_commands.hpp"
#include "domain/errors.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "operations/document_erasure.hpp"
#include "subscriptions/subscription_secrets.hpp"

namespace docledger::cli {

int RunErase(const std::string& document_id, const std::string& reason, bool json) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  const auto keys = DataKeysOrComplain(url);
  if (!keys) return 2;
  try {
    OperatorCommands side(url, keys);
    domain::CommandContext context;
    context.actor = "docledger-erase";
    const auto result = operations::EraseDocument(side.pool, side.commands, document_id, reason, context);
    if (json) {
      std::cout << result.ToJson().dump(2) << "\n";
    } else if (result.already_erased) {
      std::cout << "erase: document " << document_id << " was erased already; leftovers removed: "
                << result.contents_deleted << " file(s), " << result.stored_responses_deleted << " stored response(s)\n";
    } else {
      std::cout << "erase: document " << document_id << " erased (DocumentErased at sequence " << result.sequence
                << "); " << result.contents_deleted << " file(s) deleted";
      if (result.unshredded_events > 0) {
        std::cout << "; " << result.unshredded_events
                  << " event(s) from before sealing keep their content in the log (docs/erasure.md)";
      }
      std::cout << "\n";
    }
    return 0;
  } catch (const domain::NotFound& e) {
    std::cerr << "erase: " << e.what() << "\n";
    return 3;  // scripts/restore: unknown to this database, not a failure
  } catch (const domain::ValidationError& e) {
    std::cerr << "erase: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "erase: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

int RunKeysRotate(const std::string& new_key_file) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  const auto keys = DataKeysOrComplain(url);
  if (!keys) return 2;
  try {
    const auto next = infrastructure::LoadMasterKey("", new_key_file, "");
    const auto conn = infrastructure::OpenConnection(url);
    pqxx::work tx(*conn);
    const auto count = infrastructure::RewrapDataKeys(tx, keys->master(), next);
    // Subscriptions' signing secrets are wrapped by the same key (docs/subscriptions.md).
    const bool has_secrets = tx.exec("SELECT to_regclass('subscription_secrets') IS NOT NULL")[0][0].as<bool>();
    const auto secrets = has_secrets ? subscriptions::SubscriptionSecrets(keys->master()).Rewrap(tx, next) : 0;
    tx.commit();
    std::cout << "keys rotate: " << count << " data key(s) and " << secrets
              << " subscription secret(s) re-wrapped from master key " << keys->master().Fingerprint() << " to "
              << next.Fingerprint() << "; start every instance with the new key now\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "keys rotate: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli

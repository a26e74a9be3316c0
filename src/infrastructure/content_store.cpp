#include "infrastructure/content_store.hpp"

#include <pqxx/pqxx>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {

void ContentStore::Store(const std::string& sha256, const std::string& bytes) {
  Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::nontransaction tx(*lease);
    tx.exec_prepared(statements::kContentStore, sha256, pqxx::binarystring(bytes));
    return 0;
  });
}

}  // namespace docledger::infrastructure

#include "infrastructure/pg_errors.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include <pqxx/except>

#include "domain/errors.hpp"

namespace docledger::infrastructure {
namespace {

// 08xxx connection exception, 57P01..57P03 admin shutdown, crash shutdown, cannot connect now.
bool IsConnectionLostSqlState(const std::string& state) {
  return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
}

bool IsTransientSqlState(const std::string& state) {
  // Conditions of the server, not of the statement: retrying later can succeed.
  //   08xxx connection exception        40001 serialization failure   40P01 deadlock
  //   57P01..57P03 shutdown/restarting  57014 query canceled (statement_timeout, cancel)
  //   55P03 lock not available          25006 read-only transaction (failover in progress)
  //   53xxx insufficient resources (disk full, out of memory, too many connections)
  //   58xxx system error (I/O error)
  return IsConnectionLostSqlState(state) || state.rfind("53", 0) == 0 || state.rfind("58", 0) == 0 ||
         state == "40001" || state == "40P01" || state == "57014" || state == "55P03" || state == "25006";
}

}  // namespace

PgErrorKind ClassifyPgError(const std::exception& error) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) return PgErrorKind::kInDoubt;
  if (IsConnectionLost(error)) return PgErrorKind::kTransient;
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr) return PgErrorKind::kTransient;
  if (dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) return PgErrorKind::kTransient;
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&error) != nullptr) {
    return PgErrorKind::kInDoubt;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    if (IsTransientSqlState(sql->sqlstate())) return PgErrorKind::kTransient;
  }
  return PgErrorKind::kPermanent;
}

bool IsConnectionLost(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) return true;
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  return sql != nullptr && IsConnectionLostSqlState(sql->sqlstate());
}

bool IsQueryCanceled(const std::exception& error) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  return sql != nullptr && sql->sqlstate() == "57014";
}

bool IsLockNotAvailable(const std::exception& error) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  return sql != nullptr && sql->sqlstate() == "55P03";
}

void RethrowTranslated() {
  try {
    throw;
  } catch (const std::exception& error) {
    if (IsQueryCanceled(error)) throw domain::StoreTimeout(DescribeError(error));
    if (ClassifyPgError(error) != PgErrorKind::kPermanent) throw domain::StoreUnavailable(DescribeError(error));
    throw;
  }
}

std::string DescribeError(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  std::string type = status == 0 && demangled ? demangled.get() : mangled;
  std::string message = error.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return type + ": " + message;
}

}  // namespace docledger::infrastructure

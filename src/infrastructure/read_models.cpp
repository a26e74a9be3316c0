#include "infrastructure/read_models.hpp"

#include <limits>

#include <pqxx/pqxx>

#include "domain/errors.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {
namespace {

// Runs `query` on a pooled connection; connection trouble is StoreUnavailable (pg_errors).
template <typename Query>
auto WithConnection(ConnectionPool& pool, Query query) {
  return Translated([&] {
    auto lease = pool.Acquire();
    pqxx::nontransaction tx(*lease);
    return query(tx);
  });
}

std::optional<Versioned> OneVersioned(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return Versioned{nlohmann::json::parse(result[0][0].c_str()), result[0][1].as<std::int64_t>()};
}

// Rows of (json, cursor key, id): a page, with a cursor when the page is full.
Page PageOf(const pqxx::result& result, int limit) {
  Page page;
  for (const auto& row : result) page.items.push_back(nlohmann::json::parse(row[0].c_str()));
  if (static_cast<int>(result.size()) == limit && !result.empty()) {
    const auto& last = result[result.size() - 1];
    page.next_cursor = EncodeCursor(last[1].c_str(), last[2].c_str());
  }
  return page;
}

}  // namespace

std::optional<Versioned> ReadModels::Project(const std::string& project_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(statements::kProjectGet, project_id));
  });
}

Page ReadModels::Projects(const std::string& cursor, int limit) {
  // Not a structured binding: clang before 16 cannot capture one in the lambda below (the
  // router fuzzer is built with clang 14).
  const auto after = cursor.empty() ? std::pair<std::string, std::string>{"-infinity", ""} : DecodeTimeCursor(cursor);
  const std::string& after_time = after.first;
  const std::string& after_id = after.second;
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kProjectList, after_time,
                                   after_id.empty() ? "00000000-0000-0000-0000-000000000000" : after_id, limit),
                  limit);
  });
}

std::optional<Versioned> ReadModels::Document(const std::string& document_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(statements::kDocumentGet, document_id));
  });
}

Page ReadModels::Documents(const DocumentFilter& filter, const std::string& cursor, int limit) {
  // Not a structured binding: clang before 16 cannot capture one in the lambda below (the
  // router fuzzer is built with clang 14).
  const auto after = cursor.empty() ? std::pair<std::string, std::string>{"-infinity", ""} : DecodeTimeCursor(cursor);
  const std::string& after_time = after.first;
  const std::string& after_id = after.second;
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    const char* project = filter.project_id ? filter.project_id->c_str() : nullptr;
    const char* status = filter.status ? filter.status->c_str() : nullptr;
    return PageOf(tx.exec_prepared(statements::kDocumentList, project, status, after_time,
                                   after_id.empty() ? "00000000-0000-0000-0000-000000000000" : after_id, limit),
                  limit);
  });
}

std::optional<nlohmann::json> ReadModels::SemanticIr(const std::string& document_id,
                                                     const std::optional<std::string>& ir_type) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) -> std::optional<nlohmann::json> {
    const auto result =
        tx.exec_prepared(statements::kSemanticIrOfDocument, document_id, ir_type ? ir_type->c_str() : nullptr);
    if (result.empty() || result[0][0].is_null()) return std::nullopt;
    return nlohmann::json::parse(result[0][0].c_str());
  });
}

std::optional<nlohmann::json> ReadModels::Extraction(const std::string& extraction_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) -> std::optional<nlohmann::json> {
    const auto result = tx.exec_prepared(statements::kExtractionGet, extraction_id);
    if (result.empty()) return std::nullopt;
    return nlohmann::json::parse(result[0][0].c_str());
  });
}

Page ReadModels::Extractions(const std::string& project_id, const std::string& cursor, int limit) {
  const std::int64_t after_sequence = cursor.empty() ? 0 : DecodeSequenceCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kExtractionList, project_id, after_sequence, limit), limit);
  });
}

std::optional<Versioned> ReadModels::Job(const std::string& job_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(statements::kJobGet, job_id));
  });
}

Page ReadModels::Alerts(const AlertFilter& filter, const std::string& cursor, int limit) {
  const std::int64_t before = cursor.empty() ? std::numeric_limits<std::int64_t>::max() : DecodeSequenceCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kAlertList, filter.type ? filter.type->c_str() : nullptr,
                                   filter.since ? filter.since->c_str() : nullptr, before, limit),
                  limit);
  });
}

std::map<std::string, std::int64_t> ReadModels::DeliveryCounts() {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    std::map<std::string, std::int64_t> counts;
    for (const auto& row : tx.exec_prepared(statements::kDeliveryCounts)) {
      counts[row[0].c_str()] = row[1].as<std::int64_t>();
    }
    return counts;
  });
}

void ReadModels::StoreContent(const std::string& sha256, const std::string& bytes) {
  WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    tx.exec_prepared(statements::kContentStore, sha256, pqxx::binarystring(bytes));
    return 0;
  });
}

std::optional<StoredContent> ReadModels::DocumentContent(const std::string& document_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) -> std::optional<StoredContent> {
    const auto result = tx.exec_prepared(statements::kContentOfDocument, document_id);
    if (result.empty()) return std::nullopt;
    return StoredContent{pqxx::binarystring(result[0][0]).str(), result[0][1].c_str()};
  });
}

std::int64_t ReadModels::Position(const std::string& projection) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return tx.exec_prepared1(statements::kReadPosition, projection)[0].as<std::int64_t>();
  });
}

}  // namespace docledger::infrastructure

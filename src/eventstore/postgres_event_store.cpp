#include "eventstore/postgres_event_store.hpp"

#include <algorithm>
#include <charconv>
#include <future>
#include <set>
#include <thread>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "domain/errors.hpp"
#include "eventstore/append_arrays.hpp"
#include "eventstore/event_rows.hpp"
#include "infrastructure/backoff.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::eventstore {

using infrastructure::ClassifyPgError;
using infrastructure::ConnectionPool;
using infrastructure::DescribeError;
using infrastructure::LogEvent;
using infrastructure::NewRandomUuid;
using infrastructure::PgErrorKind;
namespace statements = infrastructure::statements;
namespace {

std::chrono::milliseconds Backoff(const EventStoreOptions& options, int attempt) {
  return infrastructure::Backoff{options.base_backoff, options.max_backoff, 16}.Jittered(attempt);
}

// What the append function said about each request of a batch (its rows, by request index).
struct Outcome {
  std::string kind;
  std::int64_t actual = 0;
  std::vector<domain::EventPosition> positions;
};

std::vector<Outcome> DecodeOutcomes(const pqxx::result& rows, std::size_t requests) {
  std::vector<Outcome> outcomes(requests);
  for (const auto& row : rows) {
    const auto r = row[0].as<int>();
    if (r < 0 || static_cast<std::size_t>(r) >= requests) continue;
    auto& outcome = outcomes[r];
    outcome.kind = row[1].c_str();
    if (!row[5].is_null()) outcome.actual = row[5].as<std::int64_t>();
    if (!row[2].is_null()) {
      outcome.positions.push_back({row[2].c_str(), row[3].as<std::int64_t>(), row[4].as<std::int64_t>()});
    }
  }
  return outcomes;
}

}  // namespace

PostgresEventStore::PostgresEventStore(ConnectionPool& pool, EventStoreOptions options)
    : pool_(pool), options_(std::move(options)) {}

PostgresEventStore::~PostgresEventStore() = default;

domain::AppendResult PostgresEventStore::Append(const domain::AppendRequest& original) {
  domain::AppendRequest request = original;
  for (auto& event : request.events) {
    if (event.event_id.empty()) event.event_id = NewRandomUuid();
  }
  domain::RequireValidAppend(request, options_.limits);

  Pending self;
  self.request = &request;
  std::unique_lock lock(mutex_);
  queue_.push_back(&self);
  if (!leader_active_) {
    leader_active_ = true;
    self.leader = true;
  }
  for (;;) {
    // Wake-ups are targeted: a batch's callers, and the one caller that leads next. With
    // many writers, waking every waiter after every batch (notify_all) costs more CPU than
    // the batch itself on a small machine.
    self.wake.wait(lock, [&] { return self.answered || self.leader; });
    if (!self.leader) break;  // answered by another caller's batch
    std::vector<Pending*> batch;
    try {
      batch = TakeBatch();
    } catch (...) {
      // Step down without losing anyone: leave the queue, hand over, report the failure.
      std::erase(queue_, &self);
      self.leader = false;
      if (queue_.empty()) {
        leader_active_ = false;
      } else {
        queue_.front()->leader = true;
        queue_.front()->wake.notify_one();
      }
      throw;
    }
    lock.unlock();
    WriteBatch(batch);
    lock.lock();
    for (auto* pending : batch) {
      pending->answered = true;
      if (pending != &self) pending->wake.notify_one();
    }
    self.leader = false;
    if (queue_.empty()) {
      leader_active_ = false;
    } else {  // hand over: the oldest waiting caller leads the next batch
      queue_.front()->leader = true;
      queue_.front()->wake.notify_one();
    }
    if (self.answered) break;
    // Not in the batch (its stream clashed with an earlier request): wait again.
  }
  if (self.error) std::rethrow_exception(self.error);
  return std::move(*self.result);
}

std::vector<PostgresEventStore::Pending*> PostgresEventStore::TakeBatch() {
  // Select first, then remove: if anything throws while selecting (memory), the queue is
  // untouched and no request is lost.
  std::vector<Pending*> batch;
  std::set<std::string> streams;
  std::set<std::string> ids;
  std::size_t events = 0;
  std::size_t bytes = 0;
  for (auto* pending : queue_) {
    const auto& request = *pending->request;
    std::size_t request_bytes = 0;
    for (const auto& event : request.events) request_bytes += event.payload.size() + event.metadata.size();
    if (!batch.empty() && (events + request.events.size() > options_.max_batch_events ||
                           bytes + request_bytes > options_.max_batch_bytes)) {
      break;
    }
    bool clashes = streams.count(request.stream_id) > 0;
    for (std::size_t i = 0; !clashes && i < request.events.size(); ++i) {
      clashes = ids.count(request.events[i].event_id) > 0;
    }
    if (clashes) continue;  // same stream or id: decided in a later batch, in queue order
    streams.insert(request.stream_id);
    for (const auto& event : request.events) ids.insert(event.event_id);
    events += request.events.size();
    bytes += request_bytes;
    batch.push_back(pending);
  }
  std::erase_if(queue_, [&](Pending* p) { return std::find(batch.begin(), batch.end(), p) != batch.end(); });
  return batch;
}

// The batch's statement ran past the writer session's statement_timeout (the request
// deadline, ConnectionPoolOptions) or was cancelled: its transaction was rolled back, so
// nothing of it is recorded, and the connection is fine (kept). Not retried: the wait that
// cancelled it (e.g. a lock another session holds) would most likely repeat.
void PostgresEventStore::AnswerCanceled(const std::vector<Pending*>& batch, const std::exception& error) {
  LogEvent(spdlog::level::warn, "append batch cancelled (statement timeout)",
           {{"requests", batch.size()}, {"error", DescribeError(error)}});
  for (auto* pending : batch) {
    pending->error = std::make_exception_ptr(domain::StoreTimeout(
        "the append was cancelled by the statement timeout and not recorded: " + DescribeError(error)));
  }
}

void PostgresEventStore::WriteBatch(const std::vector<Pending*>& batch) {
  bool retried = false;
  for (int attempt = 1;; ++attempt) {
    try {
      WriteOnce(batch, retried);
      return;
    } catch (const std::exception& e) {
      if (infrastructure::IsQueryCanceled(e)) {
        AnswerCanceled(batch, e);
        return;
      }
      // The database cannot be reached (OpenConnection): nothing was sent, and the server
      // may be restarting (a crash recovery takes seconds). Retried like a lost connection,
      // then answered as unavailable (503), never as a permanent failure (500).
      const auto kind = dynamic_cast<const domain::StoreUnavailable*>(&e) != nullptr ? PgErrorKind::kTransient
                                                                                     : ClassifyPgError(e);
      if (kind == PgErrorKind::kPermanent) {
        if (dynamic_cast<const pqxx::sql_error*>(&e) == nullptr) writer_.reset();  // keep a healthy session
        if (batch.size() > 1) {
          // Isolate the request that breaks the batch: the others must not fail with it.
          LogEvent(spdlog::level::warn, "append batch failed; retrying its requests one by one",
                   {{"requests", batch.size()}, {"error", DescribeError(e)}});
          for (auto* pending : batch) WriteBatch({pending});
          return;
        }
        const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
        const std::string state = sql != nullptr ? sql->sqlstate() : "";
        if (state.rfind("22", 0) == 0 || state.rfind("54", 0) == 0) {
          // Data PostgreSQL refuses that validation let through (22: data exception,
          // 54: program limit): the client's input, not a server fault.
          batch.front()->error = std::make_exception_ptr(domain::ValidationError(
              {{"/events", "PostgreSQL refused the data (SQLSTATE " + state + ")"}}));
          return;
        }
        LogEvent(spdlog::level::err, "append failed permanently", {{"error", DescribeError(e)}});
        batch.front()->error = std::make_exception_ptr(
            std::runtime_error("append failed: " + DescribeError(e)));
        return;
      }
      // Transient or unknown outcome. Retrying is safe: every event has its id, and an
      // append that did commit is recognised by its ids and answered with its positions.
      writer_.reset();
      if (attempt >= options_.max_attempts) {
        LogEvent(spdlog::level::err, "append batch gave up", {{"attempts", attempt}, {"error", DescribeError(e)}});
        for (auto* pending : batch) {
          pending->error = std::make_exception_ptr(domain::StoreUnavailable(
              "the event store is unavailable; the append may or may not have been recorded. "
              "Retrying with the same event ids is safe."));
        }
        return;
      }
      retried = true;
      {
        std::lock_guard lock(mutex_);
        ++stats_.retries;
      }
      auto wait = Backoff(options_, attempt);
      LogEvent(spdlog::level::warn, "append batch retry",
               {{"attempt", attempt}, {"error", DescribeError(e)}, {"retry_in_ms", wait.count()}});
      std::this_thread::sleep_for(wait);
    } catch (...) {
      for (auto* pending : batch) {
        pending->error = std::current_exception();
      }
      return;
    }
  }
}

void PostgresEventStore::WriteOnce(const std::vector<Pending*>& batch, bool retried) {
  const auto started = std::chrono::steady_clock::now();
  AppendArrays arrays;
  std::size_t total = 0;
  for (const auto* pending : batch) total += pending->request->events.size();
  arrays.Reserve(total);
  for (std::size_t r = 0; r < batch.size(); ++r) arrays.Add(static_cast<int>(r), *batch[r]->request);

  if (!writer_ || !writer_->is_open()) writer_ = pool_.OpenUnpooled();
  pqxx::nontransaction tx(*writer_);
  // One statement, one implicit transaction: lock, decide, insert, commit (sql/001).
  // A lone request takes the leaner single-request function (same rules).
  const pqxx::result rows =
      batch.size() == 1 ? arrays.ExecuteOne(tx, *batch.front()->request) : arrays.ExecuteBatch(tx);

  auto outcomes = DecodeOutcomes(rows, batch.size());

  AppendBatchCommitted report;
  report.requests = batch.size();
  report.events = total;
  std::size_t written = 0;
  for (std::size_t r = 0; r < batch.size(); ++r) {
    auto& pending = *batch[r];
    const auto& request = *pending.request;
    auto& outcome = outcomes[r];
    if (outcome.kind == "written" || outcome.kind == "duplicate") {
      std::sort(outcome.positions.begin(), outcome.positions.end(),
                [](const auto& a, const auto& b) { return a.stream_version < b.stream_version; });
      domain::AppendResult result;
      result.stream_id = request.stream_id;
      result.positions = std::move(outcome.positions);
      result.stream_version = result.positions.empty() ? 0 : result.positions.back().stream_version;
      // After a retry, a "duplicate" is most likely our own first attempt that did commit.
      result.already_recorded = outcome.kind == "duplicate" && !retried;
      if (outcome.kind == "written") {
        written += result.positions.size();
        for (const auto& event : request.events) ++report.written_by_type[event.event_type];
      }
      pending.result = std::move(result);
    } else if (outcome.kind == "version_conflict") {
      pending.error = std::make_exception_ptr(domain::WrongExpectedVersion(
          request.stream_id, request.expected.ToString(), outcome.actual));
    } else if (outcome.kind == "id_conflict") {
      pending.error = std::make_exception_ptr(domain::EventIdConflict(request.stream_id));
    } else {
      pending.error = std::make_exception_ptr(
          std::runtime_error("append returned no outcome for a request"));
    }
  }
  report.events_written = written;
  report.duration = std::chrono::steady_clock::now() - started;
  std::function<void(const AppendBatchCommitted&)> callback;
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.requests += batch.size();
    stats_.events_written += written;
    callback = on_batch_;
  }
  if (callback) {
    try {
      callback(report);
    } catch (const std::exception& e) {  // metrics must never undo a committed batch
      LogEvent(spdlog::level::warn, "append batch callback failed", {{"error", DescribeError(e)}});
    }
  }
}

template <typename Fn>
auto PostgresEventStore::WithReadConnection(Fn&& fn) {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool_.Acquire();
    try {
      pqxx::nontransaction tx(*lease);
      return fn(tx);
    } catch (const std::exception& e) {
      // A cancelled statement (the request deadline) leaves a good connection: the lease
      // returns it; not retried (the same wait would repeat).
      if (infrastructure::IsQueryCanceled(e)) throw domain::StoreTimeout(DescribeError(e));
      if (ClassifyPgError(e) == PgErrorKind::kPermanent) throw;
      lease.Discard();
      if (attempt >= options_.max_attempts) {
        throw domain::StoreUnavailable("the event store is unavailable: " + DescribeError(e));
      }
      std::this_thread::sleep_for(Backoff(options_, attempt));
    }
  }
}

std::vector<domain::RecordedEvent> PostgresEventStore::ReadStream(const std::string& stream_id,
                                                                  std::int64_t from_version,
                                                                  std::size_t max) {
  return WithReadConnection([&](pqxx::nontransaction& tx) {
    const auto rows = tx.exec_prepared(statements::kReadStream, stream_id, from_version,
                                       static_cast<std::int64_t>(max));
    std::vector<domain::RecordedEvent> events;
    events.reserve(rows.size());
    for (const auto& row : rows) events.push_back(ToRecordedEvent(row));
    return events;
  });
}

std::vector<domain::RecordedEvent> PostgresEventStore::ReadAll(std::int64_t after_sequence,
                                                               std::size_t max) {
  return WithReadConnection([&](pqxx::nontransaction& tx) {
    const auto rows = tx.exec_prepared(statements::kReadAll, after_sequence,
                                       static_cast<std::int64_t>(max));
    std::vector<domain::RecordedEvent> events;
    events.reserve(rows.size());
    for (const auto& row : rows) events.push_back(ToRecordedEvent(row));
    return events;
  });
}

std::int64_t PostgresEventStore::StreamVersion(const std::string& stream_id) {
  return WithReadConnection([&](pqxx::nontransaction& tx) {
    return tx.exec_prepared(statements::kStreamVersion, stream_id)[0][0].as<std::int64_t>();
  });
}

std::int64_t PostgresEventStore::HeadSequence() {
  return WithReadConnection([&](pqxx::nontransaction& tx) {
    return tx.exec_prepared(statements::kHeadSequence)[0][0].as<std::int64_t>();
  });
}

std::int64_t PostgresEventStore::ForEachEvent(std::int64_t after_sequence, std::size_t page_size,
                                              const std::function<void(const domain::RecordedEvent&)>& visit) {
  auto page = ReadAll(after_sequence, page_size);
  std::int64_t last = after_sequence;
  for (;;) {
    std::future<std::vector<domain::RecordedEvent>> next;
    if (page.size() == page_size && page_size > 0) {
      next = std::async(std::launch::async, [this, from = page.back().sequence, page_size] {
        return ReadAll(from, page_size);
      });
    }
    for (const auto& event : page) {
      visit(event);
      last = event.sequence;
    }
    if (!next.valid()) return last;
    page = next.get();
  }
}

EventStoreStats PostgresEventStore::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t PostgresEventStore::QueuedRequests() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void PostgresEventStore::OnBatchCommitted(std::function<void(const AppendBatchCommitted&)> callback) {
  std::lock_guard lock(mutex_);
  on_batch_ = std::move(callback);
}

}  // namespace docledger::eventstore

#include "projection_runtime/projector_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <random>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "domain/domain_events.hpp"
#include "domain/errors.hpp"
#include "domain/event_validation.hpp"
#include "domain/text_rules.hpp"
#include "eventstore/append_arrays.hpp"
#include "eventstore/event_notifier.hpp"
#include "eventstore/event_rows.hpp"
#include "infrastructure/backoff.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/batched_row_writer.hpp"

namespace docledger::projection_runtime {

using infrastructure::ClassifyPgError;
using infrastructure::DescribeError;
using infrastructure::DeterministicUuid;
using infrastructure::LogEvent;
using infrastructure::OpenConnection;
using infrastructure::PgErrorKind;
using infrastructure::QuoteIdentifier;
using infrastructure::ToPgArray;
namespace statements = infrastructure::statements;
using eventstore::AppendArrays;
using eventstore::EventNotifier;
using eventstore::ToRecordedEvent;
namespace {

std::chrono::milliseconds Backoff(const ProjectorOptions& options, int attempt) {
  return infrastructure::Backoff{options.base_backoff, options.max_backoff, 20}.Jittered(attempt);
}

// Waiting for a dependency is not a failure: the dependency is usually busy with the
// events we are waiting for, so poll its checkpoint often (at most every 200 ms) instead of
// backing off like after an error.
std::chrono::milliseconds DependencyWait(const ProjectorOptions& options, int attempt) {
  const auto cap = std::chrono::milliseconds(200);
  return std::min(cap, Backoff(options, std::min(attempt, 2)));
}

// A failure applying events that retrying the same events cannot fix.
bool IsPermanent(const std::exception& e) {
  if (dynamic_cast<const CheckpointMoved*>(&e) != nullptr) return false;
  if (dynamic_cast<const domain::StoreUnavailable*>(&e) != nullptr) return false;  // cannot connect
  if (dynamic_cast<const pqxx::pqxx_exception*>(&e) == nullptr) return true;  // from Apply
  return ClassifyPgError(e) == PgErrorKind::kPermanent;
}

// A reactor's batch holds the event store's order lock from its first append to its commit,
// and every writer waits meanwhile: its batches are kept small.
constexpr std::size_t kMaxReactorBatch = 100;

// A reactor's appends, inside the batch transaction: the event store's order lock is taken
// by the first append and held until the batch commits, so the new events and the
// reactor's checkpoint become visible together. To keep that hold short, the requests go
// set-wise: one docledger_append call per run of requests on distinct streams (the
// function decides each stream once per call), usually one call per batch.
void AppendReactions(pqxx::transaction_base& tx, const std::string& reactor,
                     std::vector<std::pair<const domain::RecordedEvent*, domain::AppendRequest>>& reactions) {
  std::map<const domain::RecordedEvent*, std::size_t> per_source;
  for (auto& [source, request] : reactions) {
    const auto request_index = per_source[source]++;
    for (std::size_t i = 0; i < request.events.size(); ++i) {
      auto& event = request.events[i];
      if (event.event_id.empty()) {
        event.event_id = DeterministicUuid(reactor + "/" + source->event_id + "/" + std::to_string(request_index) +
                                           "/" + std::to_string(i));
      }
    }
    domain::RequireValidAppend(request);
  }
  std::size_t begin = 0;
  while (begin < reactions.size()) {
    std::set<std::string> streams_in_call;
    std::size_t end = begin;
    while (end < reactions.size() && streams_in_call.insert(reactions[end].second.stream_id).second) ++end;
    AppendArrays arrays;
    for (std::size_t r = begin; r < end; ++r) arrays.Add(static_cast<int>(r - begin), reactions[r].second);
    if (!arrays.empty()) {
      const auto rows = arrays.ExecuteBatch(tx);
      for (const auto& row : rows) {
        const std::string outcome = row[1].c_str();
        const auto& request = reactions[begin + static_cast<std::size_t>(row[0].as<int>())].second;
        if (outcome == "version_conflict") {
          throw domain::WrongExpectedVersion(request.stream_id, request.expected.ToString(),
                                             row[5].is_null() ? 0 : row[5].as<std::int64_t>());
        }
        if (outcome == "id_conflict") throw domain::EventIdConflict(request.stream_id);
        // "written", or "duplicate": a re-run after a rebuild; both are fine.
      }
    }
    begin = end;
  }
}

// Parking appends a ProjectionParked event in the parking transaction, so the alert
// (projection_parked) comes from the log like every other alert and a rebuild of the
// alerts projection raises it again with the same id. The event id is derived from the
// projection and the parked event: parking the same event again (a rebuild's shadow
// runner, a retry that fails again) appends nothing. An event that is itself a
// ProjectionParked is parked silently (no alert about an alert), so a projection that
// cannot read ProjectionParked events cannot feed itself forever.
// At most `max` bytes of `text`, valid UTF-8 (invalid bytes become '?'): an error message
// may quote a payload, and the event's JSON must be valid.
std::string Utf8Prefix(const std::string& text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = domain::Utf8SequenceLength(std::string_view(text).substr(i));
    const bool valid = length > 0;
    const std::size_t take = valid ? length : 1;
    if (out.size() + take > max) break;
    if (valid) {
      out.append(text, i, length);
    } else {
      out += '?';
    }
    i += take;
  }
  return out;
}

void AppendProjectionParked(pqxx::transaction_base& tx, const std::string& projection,
                            const domain::RecordedEvent& event, const std::string& error) {
  if (event.event_type == "ProjectionParked") return;
  const auto event_id = DeterministicUuid("docledger/parked/" + projection + "/" + event.event_id);
  {
    // An id already in the log (same or different error text): already reported.
    const auto existing = tx.exec_prepared(statements::kEventExists, event_id);
    if (!existing.empty()) return;
  }
  domain::AppendRequest request{domain::ProjectionStream(projection), domain::ExpectedVersion::Any(), {}};
  request.events.push_back(domain::Encode(
      domain::ProjectionParked{projection, event.sequence, event.event_id, event.stream_id, Utf8Prefix(error, 2000)},
      event_id, nlohmann::json{{"actor", "projector-runtime"}, {"causation_id", event.event_id}}));
  AppendArrays arrays;
  arrays.Add(0, request);
  arrays.ExecuteOne(tx, request);
}

}  // namespace

ProjectorRunner::ProjectorRunner(std::string url,
                                 std::shared_ptr<const projections::Projection> projection,
                                 ProjectorOptions options, EventNotifier* notifier)
    : url_(std::move(url)),
      projection_(std::move(projection)),
      tables_(projection_->Tables()),
      read_tables_(projection_->ReadTables()),
      outbox_tables_(projection_->OutboxTables()),
      reactor_(dynamic_cast<const projections::Reactor*>(projection_.get())),
      options_(std::move(options)),
      notifier_(notifier) {
  const auto types = projection_->EventTypes();
  if (!types.empty()) types_array_ = ToPgArray(types);
  const auto dependencies = projection_->DependsOn();
  if (!dependencies.empty()) dependencies_array_ = ToPgArray(dependencies);
}

ProjectorRunner::~ProjectorRunner() { Stop(); }

void ProjectorRunner::Start() {
  stop_ = false;
  thread_ = std::thread([this] { RunLoop(); });
}

void ProjectorRunner::Stop() {
  stop_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Disconnect();
}

ProjectorProgress ProjectorRunner::Progress() const {
  std::lock_guard lock(progress_mutex_);
  return progress_;
}

void ProjectorRunner::Disconnect() {
  if (conn_ && holds_lease_ && options_.take_lease) {
    try {
      pqxx::nontransaction tx(*conn_);
      tx.exec_prepared(statements::kLeaseRelease, kProjectorLeaseClass, projection_->Name());
    } catch (const std::exception&) {
      // The lease ends with the session anyway.
    }
  }
  if (holds_lease_ && options_.take_lease) {
    LogEvent(spdlog::level::info, "projector lease released", {{"projection", projection_->Name()}});
  }
  holds_lease_ = false;
  conn_.reset();
}

void ProjectorRunner::WaitFor(std::chrono::milliseconds duration, std::int64_t after_sequence) {
  if (notifier_ != nullptr && after_sequence >= 0) {
    // Slices keep Stop() responsive.
    const auto deadline = std::chrono::steady_clock::now() + duration;
    while (!stop_ && std::chrono::steady_clock::now() < deadline) {
      if (notifier_->WaitForEventsAfter(after_sequence, std::chrono::milliseconds(100)) > after_sequence) return;
    }
    return;
  }
  std::unique_lock lock(wait_mutex_);
  wake_.wait_for(lock, duration, [&] { return stop_.load(); });
}

// Connects (application_name shows the holder; search_path selects a rebuild's shadow
// schema) and takes the lease. Returns false when another instance holds it.
bool ProjectorRunner::EnsureConnectedWithLease(bool wait) {
  for (;;) {
    if (conn_ && conn_->is_open() && holds_lease_) return true;
    if (stop_) return false;
    if (!conn_ || !conn_->is_open()) {
      holds_lease_ = false;
      conn_ = OpenConnection(url_);
      if (!options_.schema.empty()) {
        // A rebuild's shadow schema first: the same statements then read and write it.
        conn_->set_variable("search_path", QuoteIdentifier(options_.schema) + ", public");
      }
      pqxx::nontransaction tx(*conn_);
      const std::string app = options_.instance + "/" + projection_->Name();
      tx.exec_params("SELECT set_config('application_name', $1, false)", app.substr(0, 63));
      // The lease is this session's: make the server notice a vanished holder in time.
      const auto keepalive = LeaseKeepaliveFor(options_.lease_timeout);
      tx.exec_prepared(statements::kLeaseKeepalive, std::to_string(keepalive.idle_s),
                       std::to_string(keepalive.interval_s), std::to_string(keepalive.count),
                       std::to_string(keepalive.user_timeout_ms));
    }
    bool acquired = false;
    {
      pqxx::nontransaction tx(*conn_);
      acquired = !options_.take_lease ||
                 tx.exec_prepared1(statements::kLeaseTry, kProjectorLeaseClass, projection_->Name())[0].as<bool>();
      if (acquired) {
        tx.exec_prepared(statements::kCheckpointEnsure, projection_->Name());
        checkpoint_ = tx.exec_prepared1(statements::kCheckpointRead, projection_->Name())[0].as<std::int64_t>();
      }
    }
    if (acquired) {
      holds_lease_ = true;
      if (options_.take_lease) {
        LogEvent(spdlog::level::info, "projector lease acquired",
                 {{"projection", projection_->Name()}, {"instance", options_.instance}, {"pid", ::getpid()},
                  {"checkpoint", checkpoint_}});
        if (on_lease_) on_lease_();
      }
      return true;
    }
    if (!wait) return false;
    const std::chrono::milliseconds timeout = options_.lease_timeout;
    WaitFor(std::min(options_.lease_retry, timeout / 10), -1);
  }
}

void ProjectorRunner::LoadParkedStreams(pqxx::transaction_base& tx) {
  parked_streams_.clear();
  for (const auto& row : tx.exec_prepared(statements::kParkedStreams, projection_->Name())) {
    parked_streams_[row[0].c_str()] = row[1].as<std::int64_t>();
  }
  if (!dependencies_array_.empty()) {
    for (const auto& row : tx.exec_prepared(statements::kDependencyParkedStreams, dependencies_array_)) {
      parked_streams_.emplace(row[0].c_str(), row[1].as<std::int64_t>());
    }
  }
}

template <typename Fn>
auto ProjectorRunner::WithTransientRetry(Fn&& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      return fn();
    } catch (const std::exception& e) {
      if (IsPermanent(e)) throw;
      Disconnect();  // reconnecting reloads the checkpoint and the parked streams
      if (stop_) throw;
      const auto wait = Backoff(options_, attempt);
      {
        std::lock_guard lock(progress_mutex_);
        ++progress_.transient_retries;
      }
      LogEvent(spdlog::level::warn, "projector retry",
               {{"projection", projection_->Name()}, {"attempt", attempt}, {"error", DescribeError(e)},
                {"retry_in_ms", wait.count()}});
      WaitFor(wait, -1);
      if (stop_) throw;
    }
  }
}

std::int64_t ProjectorRunner::UpperBound(std::int64_t target) {
  pqxx::nontransaction tx(*conn_);
  std::int64_t bound = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  for (const auto& dependency : projection_->DependsOn()) {
    bound = std::min(bound, tx.exec_prepared1(statements::kDependencyCheckpoint, dependency)[0].as<std::int64_t>());
  }
  if (target >= 0) bound = std::min(bound, target);
  return bound;
}

ProjectorRunner::StepOutcome ProjectorRunner::Step(std::int64_t target) {
  if (!EnsureConnectedWithLease(true)) return StepOutcome::kIdle;
  const auto bound = UpperBound(target);
  if (bound <= checkpoint_) {
    if (target < 0 || checkpoint_ < target) {
      // Caught up with what may be read; is a dependency what holds us back?
      pqxx::nontransaction tx(*conn_);
      const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
      if (head > checkpoint_ && (target < 0 || target > checkpoint_)) return StepOutcome::kWaitingForDependency;
    }
    return StepOutcome::kIdle;
  }
  std::vector<domain::RecordedEvent> events;
  {
    pqxx::nontransaction tx(*conn_);
    const auto rows = tx.exec_prepared(statements::kReadRange, checkpoint_, bound,
                                       types_array_.empty() ? nullptr : types_array_.c_str(),
                                       static_cast<std::int64_t>(BatchLimit()));
    events.reserve(rows.size());
    for (const auto& row : rows) events.push_back(ToRecordedEvent(row));
  }
  // A full page ends at its last event; a short page covers everything up to the bound.
  const std::int64_t new_checkpoint = events.size() == BatchLimit() ? events.back().sequence : bound;
  const auto expected = checkpoint_;
  try {
    if (!CommitBatch(events, expected, new_checkpoint)) return StepOutcome::kAdvanced;
  } catch (const std::exception& e) {
    if (!IsPermanent(e)) throw;
    LogEvent(spdlog::level::warn, "projector batch failed; applying its events one by one",
             {{"projection", projection_->Name()}, {"after_sequence", expected}, {"to_sequence", new_checkpoint},
              {"error", DescribeError(e)}});
    ApplyOneByOne(events, expected, new_checkpoint);
  }
  return StepOutcome::kAdvanced;
}

std::size_t ProjectorRunner::BatchLimit() const {
  return reactor_ != nullptr ? std::min(options_.batch_size, kMaxReactorBatch) : options_.batch_size;
}

void ProjectorRunner::ApplyEvent(pqxx::transaction_base& tx, BatchedRowWriter& writer,
                                 const domain::RecordedEvent& event) {
  if (reactor_ == nullptr) {
    projection_->Apply(event, writer);
    return;
  }
  std::vector<std::pair<const domain::RecordedEvent*, domain::AppendRequest>> reactions;
  for (auto& request : reactor_->React(event)) reactions.emplace_back(&event, std::move(request));
  AppendReactions(tx, projection_->Name(), reactions);
}

// Returns false when the checkpoint had moved (nothing written; checkpoint_ reloaded).
bool ProjectorRunner::CommitBatch(const std::vector<domain::RecordedEvent>& events, std::int64_t expected,
                                  std::int64_t new_checkpoint) {
  pqxx::work tx(*conn_);
  const auto current = tx.exec_prepared1(statements::kCheckpointLock, projection_->Name())[0].as<std::int64_t>();
  if (current != expected) {
    LogEvent(spdlog::level::warn, "projector checkpoint moved under us; reloading",
             {{"projection", projection_->Name()}, {"expected", expected}, {"found", current}});
    checkpoint_ = current;
    return false;
  }
  // Under the row lock: a swap by a rebuild, a `parked skip` or a retry changes the parked
  // rows only while holding it, so this view is exact for the whole batch.
  LoadParkedStreams(tx);
  BatchedRowWriter writer(tx, tables_, read_tables_, outbox_tables_);
  if (!options_.external_effects) writer.DiscardOutbox();
  std::vector<std::pair<const domain::RecordedEvent*, domain::AppendRequest>> reactions;
  std::size_t applied = 0;
  std::vector<std::pair<std::string, std::int64_t>> newly_held;
  for (const auto& event : events) {
    auto parked = parked_streams_.find(event.stream_id);
    if (parked != parked_streams_.end()) {
      tx.exec_prepared(statements::kParkEvent, projection_->Name(), event.sequence, event.event_id,
                       event.stream_id, "held behind parked event " + std::to_string(parked->second), 0,
                       parked->second);
      continue;
    }
    if (reactor_ != nullptr) {
      for (auto& request : reactor_->React(event)) reactions.emplace_back(&event, std::move(request));
    } else {
      projection_->Apply(event, writer);
    }
    ++applied;
  }
  writer.Flush();
  // A reactor's appends go last, so the event store's order lock (taken by the first of
  // them) is held only for these few statements and the commit.
  AppendReactions(tx, projection_->Name(), reactions);
  const auto advanced = tx.exec_prepared(statements::kCheckpointAdvance, projection_->Name(), new_checkpoint, expected);
  if (advanced.affected_rows() != 1) throw CheckpointMoved("checkpoint moved during the batch");
  tx.commit();
  checkpoint_ = new_checkpoint;
  {
    std::lock_guard lock(progress_mutex_);
    progress_.checkpoint = checkpoint_;
    progress_.events_applied += applied;
    ++progress_.batches;
  }
  if (on_batch_) on_batch_(checkpoint_, events.size());
  return true;
}

bool ProjectorRunner::ApplyOneByOne(const std::vector<domain::RecordedEvent>& events, std::int64_t expected,
                                    std::int64_t new_checkpoint) {
  for (const auto& event : events) {
    try {
      if (!CommitBatch({event}, expected, event.sequence)) return false;  // moved: re-read
    } catch (const std::exception& e) {
      if (!IsPermanent(e)) throw;
      Park(event, DescribeError(e), expected);
    }
    expected = event.sequence;
  }
  if (new_checkpoint > expected) return CommitBatch({}, expected, new_checkpoint);
  return true;
}

void ProjectorRunner::Park(const domain::RecordedEvent& event, const std::string& error, std::int64_t expected) {
  pqxx::work tx(*conn_);
  const auto current = tx.exec_prepared1(statements::kCheckpointLock, projection_->Name())[0].as<std::int64_t>();
  if (current != expected) throw CheckpointMoved("checkpoint moved while parking");
  tx.exec_prepared(statements::kParkEvent, projection_->Name(), event.sequence, event.event_id, event.stream_id,
                   error, 1, nullptr);
  if (options_.external_effects) {
    // The alert must not stop the parking: a failure here is logged, and the event is parked.
    try {
      pqxx::subtransaction report(tx, "projection_parked");
      AppendProjectionParked(report, projection_->Name(), event, error);
      report.commit();
    } catch (const std::exception& e) {
      if (!IsPermanent(e)) throw;
      LogEvent(spdlog::level::err, "projector cannot append ProjectionParked (no projection_parked alert)",
               {{"projection", projection_->Name()}, {"sequence", event.sequence}, {"error", DescribeError(e)}});
    }
  }
  tx.exec_prepared(statements::kCheckpointAdvance, projection_->Name(), event.sequence, expected);
  tx.commit();
  checkpoint_ = event.sequence;
  parked_streams_.emplace(event.stream_id, event.sequence);
  {
    std::lock_guard lock(progress_mutex_);
    progress_.checkpoint = checkpoint_;
    ++progress_.parked;
  }
  LogEvent(spdlog::level::err, "projector parked an event; later events of its stream are held behind it",
           {{"projection", projection_->Name()}, {"event_id", event.event_id}, {"sequence", event.sequence},
            {"stream_id", event.stream_id}, {"error", error}});
}

std::size_t ProjectorRunner::RetryRequestedParked() {
  if (!EnsureConnectedWithLease(true)) return 0;
  std::vector<std::string> streams;
  {
    pqxx::nontransaction tx(*conn_);
    if (!dependencies_array_.empty()) {
      tx.exec_prepared(statements::kReleaseDependencyHolds, projection_->Name(), dependencies_array_);
    }
    for (const auto& row : tx.exec_prepared(statements::kRetryRequestedStreams, projection_->Name())) {
      streams.emplace_back(row[0].c_str());
    }
  }
  std::size_t applied = 0;
  for (const auto& stream : streams) {
    bool stream_clear = true;
    for (;;) {
      // One parked event per transaction, the oldest of the stream, claimed under the
      // checkpoint row lock by deleting its row: a concurrent skip or rebuild swap either
      // happened before (nothing to claim) or waits for this transaction.
      pqxx::work tx(*conn_);
      tx.exec_prepared1(statements::kCheckpointLock, projection_->Name());
      const auto next = tx.exec_prepared(statements::kParkedOfStream, projection_->Name(), stream);
      if (next.empty()) break;
      const auto sequence = next[0][0].as<std::int64_t>();
      const auto event = ToRecordedEvent(tx.exec_prepared1(statements::kEventBySequence, sequence));
      try {
        pqxx::subtransaction attempt(tx, "retry");
        BatchedRowWriter writer(attempt, tables_, read_tables_, outbox_tables_);
        if (!options_.external_effects) writer.DiscardOutbox();
        ApplyEvent(attempt, writer, event);
        writer.Flush();
        attempt.commit();
      } catch (const std::exception& e) {
        if (!IsPermanent(e)) throw;
        tx.exec_prepared(statements::kParkedFailedAgain, projection_->Name(), sequence, stream, DescribeError(e));
        tx.commit();
        LogEvent(spdlog::level::err, "projector parked event failed again",
                 {{"projection", projection_->Name()}, {"sequence", sequence}, {"error", DescribeError(e)}});
        stream_clear = false;
        break;
      }
      tx.exec_prepared(statements::kParkedDelete, projection_->Name(), sequence);
      tx.commit();
      ++applied;
    }
    if (stream_clear) {
      LogEvent(spdlog::level::info, "projector stream un-parked",
               {{"projection", projection_->Name()}, {"stream_id", stream}});
    }
  }
  return applied;
}

void ProjectorRunner::RunLoop() {
  int dependency_waits = 0;
  while (!stop_) {
    try {
      const auto outcome = WithTransientRetry([&] { return Step(-1); });
      if (stop_) break;
      if (std::chrono::steady_clock::now() - last_retry_check_ >= options_.poll_interval ||
          outcome != StepOutcome::kAdvanced) {
        if (holds_lease_ && std::chrono::steady_clock::now() - last_retry_check_ >= options_.poll_interval) {
          WithTransientRetry([&] { return RetryRequestedParked(); });
          last_retry_check_ = std::chrono::steady_clock::now();
        }
      }
      switch (outcome) {
        case StepOutcome::kAdvanced:
          dependency_waits = 0;
          break;
        case StepOutcome::kIdle:
          dependency_waits = 0;
          WaitFor(options_.poll_interval, checkpoint_);
          break;
        case StepOutcome::kWaitingForDependency:
          WaitFor(DependencyWait(options_, ++dependency_waits), -1);
          break;
      }
    } catch (const std::exception& e) {
      if (stop_) break;
      if (dynamic_cast<const pqxx::undefined_table*>(&e) != nullptr) {
        LogEvent(spdlog::level::warn, "projector tables do not exist yet; waiting for `docledger migrate`",
                 {{"projection", projection_->Name()}, {"error", DescribeError(e)}});
      } else {
        // Only reachable through a bug (WithTransientRetry rethrows permanent errors that
        // Step does not handle); keep the projector alive and visible in the log.
        LogEvent(spdlog::level::err, "projector unexpected error; restarting the loop",
                 {{"projection", projection_->Name()}, {"error", DescribeError(e)}});
      }
      Disconnect();
      WaitFor(std::max(options_.poll_interval, options_.max_backoff / 4), -1);
    }
  }
  Disconnect();
}

LeaseKeepalive LeaseKeepaliveFor(std::chrono::seconds lease_timeout) {
  const auto t = static_cast<int>(lease_timeout.count());
  LeaseKeepalive k;
  k.idle_s = std::max(1, t * 3 / 10);
  k.interval_s = std::max(1, t / 10);
  k.count = 3;
  k.user_timeout_ms = (k.idle_s + k.count * k.interval_s) * 1000;
  return k;
}

bool ProjectorRunner::TryAcquireLease() {
  return WithTransientRetry([&] { return EnsureConnectedWithLease(false); });
}

std::int64_t ProjectorRunner::CatchUp(std::int64_t target) {
  if (target < 0) {
    target = WithTransientRetry([&]() -> std::int64_t {
      if (!EnsureConnectedWithLease(true)) return checkpoint_;  // stopping
      pqxx::nontransaction tx(*conn_);
      return tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
    });
  }
  int dependency_waits = 0;
  while (!stop_) {
    const auto outcome = WithTransientRetry([&] { return Step(target); });
    if (checkpoint_ >= target) break;
    if (outcome == StepOutcome::kWaitingForDependency) {
      WaitFor(DependencyWait(options_, ++dependency_waits), -1);
    } else if (outcome == StepOutcome::kIdle) {
      break;
    }
  }
  return checkpoint_;
}

}  // namespace docledger::projection_runtime

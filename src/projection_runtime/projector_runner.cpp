#include "projection_runtime/projector_runner.hpp"

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "eventstore/event_notifier.hpp"
#include "infrastructure/backoff.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_batch.hpp"
#include "projection_runtime/projector_parking.hpp"
#include "projection_runtime/projector_range.hpp"

namespace docledger::projection_runtime {

using infrastructure::DescribeError;
using infrastructure::LogEvent;
namespace statements = infrastructure::statements;

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

}  // namespace

ProjectorRunner::ProjectorRunner(std::string url, std::shared_ptr<const projections::Projection> projection,
                                 ProjectorOptions options, eventstore::EventNotifier* notifier)
    : projection_(std::move(projection), options.external_effects, options.keys),
      options_(std::move(options)),
      notifier_(notifier),
      lease_(std::move(url), projection_.name, options_) {}

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

void ProjectorRunner::Disconnect() { lease_.Release(); }

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

// Takes the lease (on a new session when the last one is gone), waiting for it when
// `wait`. Returns false when another instance holds it (and !wait) or when stopping.
bool ProjectorRunner::EnsureConnectedWithLease(bool wait) {
  for (;;) {
    if (lease_.Ready()) return true;
    if (stop_) return false;
    if (lease_.TryTake(progress_)) {
      if (options_.take_lease && on_lease_) on_lease_();
      return true;
    }
    if (!wait) return false;
    WaitFor(lease_.RetryInterval(), -1);
  }
}

template <typename Fn>
auto ProjectorRunner::WithTransientRetry(Fn&& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      return fn();
    } catch (const std::exception& e) {
      if (IsPermanent(e)) throw;
      Disconnect();  // reconnecting reloads the checkpoint
      if (stop_) throw;
      const auto wait = Backoff(options_, attempt);
      progress_.TransientRetry();
      LogEvent(spdlog::level::warn, "projector retry",
               {{"projection", projection_.name}, {"attempt", attempt}, {"error", DescribeError(e)},
                {"retry_in_ms", wait.count()}});
      WaitFor(wait, -1);
      if (stop_) throw;
    }
  }
}

ProjectorRunner::StepOutcome ProjectorRunner::Step(std::int64_t target) {
  if (!EnsureConnectedWithLease(true)) return StepOutcome::kIdle;
  const auto checkpoint = progress_.Checkpoint();
  auto next = ReadNextBatch(lease_.Session(), projection_, checkpoint, target,
                            BatchLimit(projection_, options_.batch_size));
  switch (next.state) {
    case NextBatch::State::kCaughtUp:
      return StepOutcome::kIdle;
    case NextBatch::State::kWaitingForDependency:
      return StepOutcome::kWaitingForDependency;
    case NextBatch::State::kReady:
      break;
  }
  ApplyBatch(lease_.Session(), projection_, next.events, checkpoint, next.end, progress_);
  return StepOutcome::kAdvanced;
}

std::size_t ProjectorRunner::RetryRequestedParked() {
  if (!EnsureConnectedWithLease(true)) return 0;
  return projection_runtime::RetryRequestedParked(lease_.Session(), projection_);
}

void ProjectorRunner::RunLoop() {
  int dependency_waits = 0;
  while (!stop_) {
    try {
      const auto outcome = WithTransientRetry([&] { return Step(-1); });
      if (stop_) break;
      if (std::chrono::steady_clock::now() - last_retry_check_ >= options_.poll_interval ||
          outcome != StepOutcome::kAdvanced) {
        if (lease_.Held() && std::chrono::steady_clock::now() - last_retry_check_ >= options_.poll_interval) {
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
          WaitFor(options_.poll_interval, progress_.Checkpoint());
          break;
        case StepOutcome::kWaitingForDependency:
          WaitFor(DependencyWait(options_, ++dependency_waits), -1);
          break;
      }
    } catch (const std::exception& e) {
      if (stop_) break;
      if (dynamic_cast<const pqxx::undefined_table*>(&e) != nullptr) {
        LogEvent(spdlog::level::warn, "projector tables do not exist yet; waiting for `docledger migrate`",
                 {{"projection", projection_.name}, {"error", DescribeError(e)}});
      } else {
        // Only reachable through a bug (WithTransientRetry rethrows permanent errors that
        // Step does not handle); keep the projector alive and visible in the log.
        LogEvent(spdlog::level::err, "projector unexpected error; restarting the loop",
                 {{"projection", projection_.name}, {"error", DescribeError(e)}});
      }
      Disconnect();
      WaitFor(std::max(options_.poll_interval, options_.max_backoff / 4), -1);
    }
  }
  Disconnect();
}

bool ProjectorRunner::TryAcquireLease() {
  return WithTransientRetry([&] { return EnsureConnectedWithLease(false); });
}

std::int64_t ProjectorRunner::CatchUp(std::int64_t target) {
  if (target < 0) {
    target = WithTransientRetry([&]() -> std::int64_t {
      if (!EnsureConnectedWithLease(true)) return progress_.Checkpoint();  // stopping
      pqxx::nontransaction tx(lease_.Session());
      return tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
    });
  }
  int dependency_waits = 0;
  while (!stop_) {
    const auto outcome = WithTransientRetry([&] { return Step(target); });
    if (progress_.Checkpoint() >= target) break;
    if (outcome == StepOutcome::kWaitingForDependency) {
      WaitFor(DependencyWait(options_, ++dependency_waits), -1);
    } else if (outcome == StepOutcome::kIdle) {
      break;
    }
  }
  return progress_.Checkpoint();
}

}  // namespace docledger::projection_runtime

// The rebuild, step by step: plan the group (rebuild_plan), build it in a shadow schema
// (shadow_schema) with one shadow runner per member, then, with the live projectors paused,
// catch up and compare (rebuild_verify) or swap (rebuild_swap).
#include "projection_runtime/projection_rebuild.hpp"

#include <map>
#include <stdexcept>

#include <pqxx/pqxx>
#include <spdlog/common.h>

#include "infrastructure/logging.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projection_runtime/rebuild_plan.hpp"
#include "projection_runtime/rebuild_sql.hpp"
#include "projection_runtime/rebuild_swap.hpp"
#include "projection_runtime/rebuild_verify.hpp"
#include "projection_runtime/shadow_schema.hpp"

namespace docledger::projection_runtime {

namespace statements = infrastructure::statements;
namespace {

using Clock = std::chrono::steady_clock;

void RefuseReactors(const RebuildGroup& group) {
  for (const auto& p : group.projections) {
    if (dynamic_cast<const projections::Reactor*>(p.get()) != nullptr) {
      throw std::runtime_error(p->Name() + " is a reactor: its effects are events in the log, which a replay would "
                               "only append again as no-ops; there is nothing to rebuild");
    }
  }
}

// One rebuild per projection at a time, whatever group it is rebuilt in: the lease of
// every member, held by this session until it ends.
void TakeRebuildLeases(pqxx::connection& conn, const RebuildGroup& group) {
  pqxx::nontransaction tx(conn);
  for (const auto& p : group.projections) {
    if (!tx.exec_prepared1(statements::kLeaseTry, kRebuildLeaseClass, p->Name())[0].as<bool>()) {
      throw RebuildAlreadyRunning(p->Name());
    }
  }
}

void LogGroup(const GroupPlan& plan, const RebuildGroup& group) {
  if (plan.members.size() > 1) {
    infrastructure::LogEvent(spdlog::level::info, "replay: rebuilding together (foreign keys between their tables)",
             {{"projections", plan.names}});
  }
  for (const auto& added : group.added) {
    infrastructure::LogEvent(spdlog::level::info, "replay: also rebuilds a dependent projection",
             {{"requested", group.requested}, {"projection", added}});
  }
}

// One shadow runner per member, all on the shadow schema, run parents first; each
// reports its progress after every batch.
class ShadowRunners {
 public:
  ShadowRunners(const std::string& url, const GroupPlan& plan, const std::string& schema,
                const RebuildOptions& options, Clock::time_point started)
      : plan_(plan), options_(options), started_(started), targets_(plan.members.size(), 0) {
    for (std::size_t i = 0; i < plan.members.size(); ++i) {
      ProjectorOptions runner_options;
      runner_options.batch_size = options.batch_size;
      runner_options.instance = options.instance;
      runner_options.schema = schema;
      runner_options.take_lease = false;
      runner_options.external_effects = !options.verify_only;
      runner_options.keys = options.keys;
      runners_.push_back(std::make_unique<ProjectorRunner>(url, plan.members[i], runner_options));
      runners_.back()->OnBatch([this, i](std::int64_t checkpoint, std::size_t) { Report(i, checkpoint); });
    }
  }
  ShadowRunners(const ShadowRunners&) = delete;
  ShadowRunners& operator=(const ShadowRunners&) = delete;

  void CatchUp(const std::vector<std::int64_t>& wanted) {
    for (std::size_t i = 0; i < runners_.size(); ++i) {
      targets_[i] = wanted[i];
      runners_[i]->CatchUp(wanted[i]);
    }
  }

  // Each runner's checkpoint into results[i]; throws unless every one reached its target.
  void RequireTargetsReached(std::vector<RebuildResult>& results) const {
    for (std::size_t i = 0; i < runners_.size(); ++i) {
      results[i].checkpoint = runners_[i]->Checkpoint();
      if (results[i].checkpoint != targets_[i]) {
        throw std::runtime_error("the rebuild of " + plan_.names[i] + " stopped at sequence " +
                                 std::to_string(results[i].checkpoint) + " instead of " +
                                 std::to_string(targets_[i]) + "; nothing was swapped");
      }
    }
  }

  void Finish(std::vector<RebuildResult>& results) {
    const auto seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    for (std::size_t i = 0; i < runners_.size(); ++i) {
      runners_[i]->Stop();
      results[i].events = runners_[i]->Progress().events_applied;
      results[i].seconds = seconds;
      Report(i, results[i].checkpoint);
    }
  }

 private:
  void Report(std::size_t i, std::int64_t checkpoint) const {
    if (!options_.on_progress) return;
    RebuildProgress progress;
    progress.projection = plan_.names[i];
    progress.checkpoint = checkpoint;
    progress.target = targets_[i];
    progress.events = runners_[i]->Progress().events_applied;
    progress.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    options_.on_progress(progress);
  }

  const GroupPlan& plan_;
  const RebuildOptions& options_;
  const Clock::time_point started_;
  std::vector<std::int64_t> targets_;
  std::vector<std::unique_ptr<ProjectorRunner>> runners_;
};

// Reads the live checkpoints: with `lock`, under their row locks, taken in name order (so
// two rebuilds cannot deadlock on them).
std::map<std::string, std::int64_t> LiveCheckpoints(pqxx::transaction_base& tx, const GroupPlan& plan, bool lock) {
  std::map<std::string, std::int64_t> live;
  for (const auto& name : lock ? plan.sorted_names : plan.names) {
    live[name] = tx.exec_prepared1(lock ? statements::kCheckpointLock : statements::kCheckpointRead, name)[0]
                     .as<std::int64_t>();
  }
  return live;
}

// Pauses the group's live projectors at a batch boundary (each takes its checkpoint row
// lock first in every batch), catches up the little that arrived meanwhile, and swaps or
// compares. A swap that cannot take its table locks in time is retried: the shadow tables
// are intact.
std::vector<RebuildResult> SwapOrCompare(pqxx::connection& conn, const GroupPlan& plan, const std::string& schema,
                                         const RebuildOptions& options, ShadowRunners& runners) {
  std::vector<RebuildResult> results(plan.members.size());
  for (std::size_t i = 0; i < plan.members.size(); ++i) results[i].projection = plan.names[i];
  for (int attempt = 1;; ++attempt) {
    try {
      pqxx::work tx(conn);
      const auto live = LiveCheckpoints(tx, plan, true);
      // No table is locked yet: the shadow runners read live tables (a parent outside the
      // group, through Find and their keys) and must not wait for this transaction.
      runners.CatchUp(plan.Targets(tx, live, options.verify_only));
      runners.RequireTargetsReached(results);
      if (options.verify_only) {
        CompareGroup(tx, plan, schema, results);
        // Nothing to commit: the transaction only read; rolling back releases the rows.
      } else {
        SwapIn(tx, plan, schema, results);
        for (auto& result : results) result.swapped = true;
      }
      return results;
    } catch (const pqxx::sql_error& e) {
      if (!rebuild_sql::IsLockFailure(e) || attempt >= 5) throw;
      for (auto& result : results) result.comparisons.clear();
      infrastructure::LogEvent(spdlog::level::warn, "replay: the swap could not take its locks; retrying",
               {{"projections", plan.names}, {"attempt", attempt}, {"detail", e.what()}});
    }
  }
}

}  // namespace

std::vector<RebuildResult> RebuildProjectionGroup(const std::string& url, const RebuildGroup& group,
                                                  const RebuildOptions& options) {
  if (group.projections.empty()) return {};
  RefuseReactors(group);
  const auto started = Clock::now();
  auto owners = TableOwners(group.projections);
  const auto conn = OpenRebuildConnection(url);
  TakeRebuildLeases(*conn, group);
  // Shadow schemas left by a rebuild that died: holding the leases, they are ours to drop
  // (a crashed rebuild of a child would otherwise leave keys into our tables).
  ShadowSchema::DropLeftovers(*conn, group);
  const auto plan = PlanGroup(*conn, group, std::move(owners));
  LogGroup(plan, group);

  const ShadowSchema shadow(*conn, plan);
  ShadowRunners runners(url, plan, shadow.name(), options, started);
  std::vector<std::int64_t> targets;
  {
    pqxx::read_transaction tx(*conn);
    targets = plan.Targets(tx, LiveCheckpoints(tx, plan, false), options.verify_only);
  }
  runners.CatchUp(targets);
  auto results = SwapOrCompare(*conn, plan, shadow.name(), options, runners);
  runners.Finish(results);
  return results;
}

RebuildResult RebuildProjection(const std::string& url, std::shared_ptr<const projections::Projection> projection,
                                const RebuildOptions& options) {
  RebuildGroup group;
  group.requested.push_back(projection->Name());
  group.projections.push_back(std::move(projection));
  return RebuildProjectionGroup(url, group, options).front();
}

}  // namespace docledger::projection_runtime

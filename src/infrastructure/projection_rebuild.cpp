#include "infrastructure/projection_rebuild.hpp"

#include <stdexcept>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/projector_runner.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {
namespace {

std::string Quote(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string ShadowSchemaFor(const std::string& projection) {
  std::string schema = "docledger_rebuild_";
  for (char c : projection) {
    schema.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return schema.substr(0, 63);
}

// The row set of a table, order-independent: count and md5 over the sorted row texts.
std::pair<std::int64_t, std::string> Checksum(pqxx::work& tx, const std::string& relation) {
  const auto row = tx.exec1("SELECT count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM " +
                            relation + " AS x");
  return {row[0].as<std::int64_t>(), row[1].c_str()};
}

std::vector<std::string> Difference(pqxx::work& tx, const std::string& left, const std::string& right) {
  std::vector<std::string> rows;
  for (const auto& row : tx.exec("SELECT d::text FROM (SELECT * FROM " + left + " EXCEPT ALL SELECT * FROM " +
                                 right + ") AS d ORDER BY 1 LIMIT 5")) {
    rows.emplace_back(row[0].c_str());
  }
  return rows;
}

TableComparison Compare(pqxx::work& tx, const std::string& label, const std::string& live,
                        const std::string& rebuilt) {
  TableComparison c;
  c.table = label;
  std::tie(c.live_rows, c.live_checksum) = Checksum(tx, live);
  std::tie(c.rebuilt_rows, c.rebuilt_checksum) = Checksum(tx, rebuilt);
  if (!c.identical()) {
    c.only_live = Difference(tx, live, rebuilt);
    c.only_rebuilt = Difference(tx, rebuilt, live);
  }
  return c;
}

}  // namespace

RebuildResult RebuildProjection(const std::string& url, std::shared_ptr<const projections::Projection> projection,
                                const RebuildOptions& options) {
  const auto name = projection->Name();
  if (dynamic_cast<const projections::Reactor*>(projection.get()) != nullptr) {
    throw std::runtime_error(name + " is a reactor: its effects are events in the log, which a replay would "
                             "only append again as no-ops; there is nothing to rebuild");
  }
  const auto schema = ShadowSchemaFor(name);
  const auto tables = projection->Tables();
  const auto started = std::chrono::steady_clock::now();

  pqxx::connection conn(url);
  statements::PrepareAll(conn);
  {
    pqxx::nontransaction tx(conn);
    if (!tx.exec_prepared1(statements::kLeaseTry, kRebuildLeaseClass, name)[0].as<bool>()) {
      throw std::runtime_error("a rebuild of projection " + name + " is already running");
    }
    for (const auto& table : tables) {
      const auto fks = tx.exec_params1(
          "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND (conrelid = $1::regclass OR confrelid = "
          "$1::regclass)",
          "public." + Quote(table.name))[0].as<int>();
      if (fks > 0) {
        throw std::runtime_error("table " + table.name + " of projection " + name +
                                 " takes part in a foreign key; it cannot be rebuilt beside and swapped");
      }
    }
  }
  {
    // The shadow schema: same tables (LIKE .. INCLUDING ALL), its own checkpoint and
    // parked rows. Identifiers come from the projection's code, never from input.
    pqxx::work tx(conn);
    tx.exec("DROP SCHEMA IF EXISTS " + Quote(schema) + " CASCADE");
    tx.exec("CREATE SCHEMA " + Quote(schema));
    for (const auto& table : tables) {
      tx.exec("CREATE TABLE " + Quote(schema) + "." + Quote(table.name) + " (LIKE public." + Quote(table.name) +
              " INCLUDING ALL)");
    }
    for (const char* bookkeeping : {"projection_checkpoints", "projection_parked"}) {
      tx.exec("CREATE TABLE " + Quote(schema) + "." + bookkeeping + " (LIKE public." + bookkeeping +
              " INCLUDING ALL)");
    }
    tx.exec_prepared(statements::kCheckpointEnsure, name);  // the live row, for the swap lock
    tx.commit();
  }
  struct DropShadow {
    pqxx::connection& conn;
    std::string schema;
    ~DropShadow() {
      try {
        pqxx::nontransaction tx(conn);
        tx.exec("DROP SCHEMA IF EXISTS " + Quote(schema) + " CASCADE");
      } catch (const std::exception& e) {
        spdlog::warn("could not drop the rebuild schema {}: {}", schema, e.what());
      }
    }
  } drop_shadow{conn, schema};

  std::int64_t target = 0;
  {
    pqxx::nontransaction tx(conn);
    target = options.verify_only
                 ? tx.exec_prepared1(statements::kCheckpointRead, name)[0].as<std::int64_t>()
                 : tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  }

  ProjectorOptions runner_options;
  runner_options.batch_size = options.batch_size;
  runner_options.instance = options.instance;
  runner_options.schema = schema;
  runner_options.take_lease = false;
  ProjectorRunner shadow(url, projection, runner_options);
  auto report = [&](std::int64_t checkpoint) {
    if (!options.on_progress) return;
    RebuildProgress progress;
    progress.projection = name;
    progress.checkpoint = checkpoint;
    progress.target = target;
    progress.events = shadow.Progress().events_applied;
    progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    options.on_progress(progress);
  };
  shadow.OnBatch([&](std::int64_t checkpoint, std::size_t) { report(checkpoint); });
  shadow.CatchUp(target);

  RebuildResult result;
  result.projection = name;
  {
    // Pause the live projector at a batch boundary: it takes this row lock first in
    // every batch. Then catch up the little that arrived meanwhile, and swap or compare.
    pqxx::work tx(conn);
    const auto live_checkpoint = tx.exec_prepared1(statements::kCheckpointLock, name)[0].as<std::int64_t>();
    const auto final_target =
        options.verify_only ? live_checkpoint : tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
    if (final_target > target) {
      target = final_target;
      shadow.CatchUp(final_target);
    }
    result.checkpoint = shadow.Progress().checkpoint;
    if (result.checkpoint < target) result.checkpoint = target;  // an empty range advances nothing
    if (options.verify_only) {
      for (const auto& table : tables) {
        result.comparisons.push_back(
            Compare(tx, table.name, "public." + Quote(table.name), Quote(schema) + "." + Quote(table.name)));
      }
      const char* kParkedSelect =
          " ON COMMIT DROP AS SELECT sequence, event_id, stream_id, held_behind IS NULL AS failed FROM ";
      tx.exec_params(std::string("CREATE TEMP TABLE live_parked") + kParkedSelect +
                         "public.projection_parked WHERE projection = $1",
                     name);
      tx.exec_params(std::string("CREATE TEMP TABLE rebuilt_parked") + kParkedSelect + Quote(schema) +
                         ".projection_parked WHERE projection = $1",
                     name);
      result.comparisons.push_back(Compare(tx, "projection_parked", "pg_temp.live_parked", "pg_temp.rebuilt_parked"));
      // Nothing to commit: the transaction only read; rolling back releases the live row.
    } else {
      for (const auto& table : tables) {
        tx.exec("DROP TABLE public." + Quote(table.name));
        tx.exec("ALTER TABLE " + Quote(schema) + "." + Quote(table.name) + " SET SCHEMA public");
      }
      tx.exec_params("DELETE FROM public.projection_parked WHERE projection = $1", name);
      tx.exec("INSERT INTO public.projection_parked SELECT * FROM " + Quote(schema) + ".projection_parked");
      tx.exec_params("UPDATE public.projection_checkpoints SET last_sequence = $2, updated_at = now() WHERE name = $1",
                     name, result.checkpoint);
      tx.commit();
      result.swapped = true;
    }
  }
  shadow.Stop();
  result.events = shadow.Progress().events_applied;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report(result.checkpoint);
  return result;
}

}  // namespace docledger::infrastructure

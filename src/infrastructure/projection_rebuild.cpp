#include "infrastructure/projection_rebuild.hpp"

#include <stdexcept>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/projector_runner.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {
namespace {

std::string ShadowSchemaFor(const std::string& projection) {
  std::string schema = "docledger_rebuild_";
  for (char c : projection) {
    schema.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return schema.substr(0, 63);
}

// The row set of a table, order-independent: count and md5 over the sorted row texts.
std::pair<std::int64_t, std::string> Checksum(pqxx::work& tx, const std::string& relation) {
  // md5 over the sorted md5s of the rows: 33 bytes per row to aggregate, whatever the rows.
  const auto row = tx.exec1("SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(x::text) AS h FROM " +
                            relation + " AS x) AS hashed");
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

// Replaces public.<table> by <schema>.<table>, keeping what LIKE .. INCLUDING ALL does not
// copy: the owner, the privileges, and the indexes' names (matched by definition).
// Identifiers come from the projection's code and are quoted.
std::string SwapTableSql(const std::string& schema, const std::string& table) {
  const std::string live = "public." + QuoteIdentifier(table);
  const std::string shadow = QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
  return R"SQL(
DO $swap$
DECLARE
  old_owner text;
  old_acl aclitem[];
  old_indexes jsonb;
  grant_row record;
  index_row record;
  old_name text;
BEGIN
  SELECT c.relowner::regrole::text, c.relacl INTO old_owner, old_acl
    FROM pg_class c WHERE c.oid = ')SQL" + live + R"SQL('::regclass;
  SELECT coalesce(jsonb_object_agg(split_part(pg_get_indexdef(i.indexrelid), ' ON ', 2), ic.relname), '{}')
    INTO old_indexes
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
   WHERE i.indrelid = ')SQL" + live + R"SQL('::regclass;
  EXECUTE 'DROP TABLE )SQL" + live + R"SQL(';
  EXECUTE 'ALTER TABLE )SQL" + shadow + R"SQL( SET SCHEMA public';
  IF old_owner <> current_user::regrole::text THEN
    EXECUTE format('ALTER TABLE )SQL" + live + R"SQL( OWNER TO %s', old_owner);
  END IF;
  FOR grant_row IN SELECT * FROM aclexplode(old_acl) WHERE old_acl IS NOT NULL LOOP
    EXECUTE format('GRANT %s ON )SQL" + live + R"SQL( TO %s%s', grant_row.privilege_type,
                   CASE WHEN grant_row.grantee = 0 THEN 'PUBLIC' ELSE grant_row.grantee::regrole::text END,
                   CASE WHEN grant_row.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  FOR index_row IN
    SELECT ic.relname AS name, split_part(pg_get_indexdef(i.indexrelid), ' ON ', 2) AS def
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = ')SQL" + live + R"SQL('::regclass
  LOOP
    old_name := old_indexes ->> index_row.def;
    IF old_name IS NOT NULL AND old_name <> index_row.name THEN
      EXECUTE format('ALTER INDEX public.%I RENAME TO %I', index_row.name, old_name);
    END IF;
  END LOOP;
END $swap$)SQL";
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

  auto owned_conn = OpenConnection(url);
  pqxx::connection& conn = *owned_conn;
  {
    pqxx::nontransaction tx(conn);
    if (!tx.exec_prepared1(statements::kLeaseTry, kRebuildLeaseClass, name)[0].as<bool>()) {
      throw std::runtime_error("a rebuild of projection " + name + " is already running");
    }
    for (const auto& table : tables) {
      const auto fks = tx.exec_params1(
          "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND (conrelid = $1::regclass OR confrelid = "
          "$1::regclass)",
          "public." + QuoteIdentifier(table.name))[0].as<int>();
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
    tx.exec("DROP SCHEMA IF EXISTS " + QuoteIdentifier(schema) + " CASCADE");
    tx.exec("CREATE SCHEMA " + QuoteIdentifier(schema));
    for (const auto& table : tables) {
      tx.exec("CREATE TABLE " + QuoteIdentifier(schema) + "." + QuoteIdentifier(table.name) + " (LIKE public." + QuoteIdentifier(table.name) +
              " INCLUDING ALL)");
    }
    for (const char* bookkeeping : {"projection_checkpoints", "projection_parked"}) {
      tx.exec("CREATE TABLE " + QuoteIdentifier(schema) + "." + bookkeeping + " (LIKE public." + bookkeeping +
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
        tx.exec("DROP SCHEMA IF EXISTS " + QuoteIdentifier(schema) + " CASCADE");
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
  for (int attempt = 1;; ++attempt) {
    try {
      // Pause the live projector at a batch boundary: it takes this row lock first in
      // every batch. Then catch up the little that arrived meanwhile, and swap or compare.
      pqxx::work tx(conn);
      const auto live_checkpoint = tx.exec_prepared1(statements::kCheckpointLock, name)[0].as<std::int64_t>();
      if (!options.verify_only) {
        // All of the projection's tables at once, in one statement, with a bound on the
        // wait: readers queue behind the swap for at most this long, and a lock cycle with
        // a reader fails fast and is retried instead of hanging.
        std::string tables_list;
        for (const auto& table : tables) {
          tables_list += (tables_list.empty() ? "" : ", ") + std::string("public.") + QuoteIdentifier(table.name);
        }
        tx.exec("SET LOCAL lock_timeout = '5s'");
        if (!tables_list.empty()) tx.exec("LOCK TABLE " + tables_list + " IN ACCESS EXCLUSIVE MODE");
      }
      const auto final_target =
          options.verify_only ? live_checkpoint : tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
      if (final_target > target) {
        target = final_target;
        shadow.CatchUp(final_target);
      }
      result.checkpoint = shadow.Checkpoint();
      if (result.checkpoint != target) {
        throw std::runtime_error("the rebuild of " + name + " stopped at sequence " +
                                 std::to_string(result.checkpoint) + " instead of " + std::to_string(target) +
                                 "; nothing was swapped");
      }
      if (options.verify_only) {
        for (const auto& table : tables) {
          result.comparisons.push_back(Compare(tx, table.name, "public." + QuoteIdentifier(table.name),
                                               QuoteIdentifier(schema) + "." + QuoteIdentifier(table.name)));
        }
        const char* kParkedSelect =
            " ON COMMIT DROP AS SELECT sequence, event_id, stream_id, held_behind IS NULL AS failed FROM ";
        tx.exec_params(std::string("CREATE TEMP TABLE live_parked") + kParkedSelect +
                           "public.projection_parked WHERE projection = $1",
                       name);
        tx.exec_params(std::string("CREATE TEMP TABLE rebuilt_parked") + kParkedSelect + QuoteIdentifier(schema) +
                           ".projection_parked WHERE projection = $1",
                       name);
        result.comparisons.push_back(
            Compare(tx, "projection_parked", "pg_temp.live_parked", "pg_temp.rebuilt_parked"));
        // Nothing to commit: the transaction only read; rolling back releases the live row.
      } else {
        for (const auto& table : tables) tx.exec(SwapTableSql(schema, table.name));
        tx.exec_params("DELETE FROM public.projection_parked WHERE projection = $1", name);
        tx.exec("INSERT INTO public.projection_parked SELECT * FROM " + QuoteIdentifier(schema) +
                ".projection_parked");
        tx.exec_params(
            "UPDATE public.projection_checkpoints SET last_sequence = $2, updated_at = now() WHERE name = $1", name,
            result.checkpoint);
        tx.commit();
        result.swapped = true;
      }
      break;
    } catch (const pqxx::sql_error& e) {
      // lock_timeout (55P03) or a deadlock with a reader (40P01): the shadow tables are
      // intact; try the swap again.
      const bool retry = (e.sqlstate() == "55P03" || e.sqlstate() == "40P01") && attempt < 5;
      if (!retry) throw;
      result.comparisons.clear();
      spdlog::warn("replay {}: swap attempt {} could not take its locks ({}); retrying", name, attempt, e.what());
    }
  }
  shadow.Stop();
  result.events = shadow.Progress().events_applied;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report(result.checkpoint);
  return result;
}

}  // namespace docledger::infrastructure

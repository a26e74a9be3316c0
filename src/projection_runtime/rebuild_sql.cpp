#include "projection_runtime/rebuild_sql.hpp"

#include <stdexcept>

#include "infrastructure/pg_array.hpp"

namespace docledger::projection_runtime::rebuild_sql {

using infrastructure::QuoteIdentifier;
namespace {

std::string JoinRelations(const std::vector<std::string>& relations) {
  std::string joined;
  for (const auto& relation : relations) joined += (joined.empty() ? "" : ", ") + relation;
  return joined;
}

}  // namespace

std::string Live(const std::string& table) { return "public." + QuoteIdentifier(table); }
std::string Shadow(const std::string& schema, const std::string& table) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

std::string CreateSchema(const std::string& schema) { return "CREATE SCHEMA " + QuoteIdentifier(schema); }

std::string DropSchema(const std::string& schema) {
  return "DROP SCHEMA IF EXISTS " + QuoteIdentifier(schema) + " CASCADE";
}

std::string CreateLikeLive(const std::string& schema, const std::string& table) {
  return "CREATE TABLE " + Shadow(schema, table) + " (LIKE " + Live(table) + " INCLUDING ALL)";
}

std::string AddForeignKey(const std::string& schema, const ForeignKey& key, const std::string& definition) {
  return "ALTER TABLE " + Shadow(schema, key.table) + " ADD CONSTRAINT " + QuoteIdentifier(key.name) + " " +
         definition;
}

std::string RetargetedDefinition(const ForeignKey& key, const std::string& referenced_text,
                                 const std::string& schema) {
  const std::string needle = " REFERENCES " + referenced_text + "(";
  const auto at = key.definition.find(needle);
  if (at == std::string::npos || key.definition.find(needle, at + 1) != std::string::npos) {
    throw std::runtime_error("cannot re-point foreign key " + key.name + " of " + key.table + " (" + key.definition +
                             ") at the rebuilt " + key.referenced_table);
  }
  return key.definition.substr(0, at) + " REFERENCES " + Shadow(schema, key.referenced_table) + "(" +
         key.definition.substr(at + needle.size());
}

std::string InsertShadowCheckpoint(const std::string& schema) {
  return "INSERT INTO " + Shadow(schema, "projection_checkpoints") + " (name) VALUES ($1)";
}

std::string Checksum(const std::string& relation) {
  // md5 over the sorted md5s of the rows: 33 bytes per row to aggregate, whatever the rows.
  return "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(x::text) AS h FROM " +
         relation + " AS x) AS hashed";
}

std::string Difference(const std::string& left, const std::string& right) {
  return "SELECT d::text FROM (SELECT * FROM " + left + " EXCEPT ALL SELECT * FROM " + right +
         ") AS d ORDER BY 1 LIMIT 5";
}

std::string SnapshotParked(const std::string& name, const std::string& parked) {
  return "CREATE TEMP TABLE " + name +
         " ON COMMIT DROP AS SELECT sequence, event_id, stream_id, held_behind IS NULL AS failed FROM " + parked +
         " WHERE projection = $1";
}

std::string LockTables(const std::vector<std::string>& relations) {
  return "LOCK TABLE " + JoinRelations(relations) + " IN ACCESS EXCLUSIVE MODE";
}

std::string DropTables(const std::vector<std::string>& relations) { return "DROP TABLE " + JoinRelations(relations); }

std::string CopyParkedIn(const std::string& schema) {
  return "INSERT INTO public.projection_parked SELECT * FROM " + Shadow(schema, "projection_parked") +
         " WHERE projection = ANY($1::text[])";
}

// Moves <schema>.<table> into public (the live table is already dropped) and gives it the
// captured owner, privileges and index names (matched by definition). Its foreign keys
// move with it: those to other tables of the group point at them wherever they are, so
// at the end of the swap at the swapped-in tables.
std::string MoveIn(pqxx::transaction_base& tx, const std::string& schema, const std::string& table) {
  return R"SQL(
DO $swap$
DECLARE
  live constant text := )SQL" + tx.quote(Live(table)) + R"SQL(;
  meta record;
  grant_row record;
  index_row record;
  old_name text;
BEGIN
  SELECT * INTO STRICT meta FROM pg_temp.docledger_swap WHERE name = )SQL" + tx.quote(table) + R"SQL(;
  EXECUTE format('ALTER TABLE %s SET SCHEMA public', )SQL" + tx.quote(Shadow(schema, table)) + R"SQL();
  IF meta.owner <> current_user::regrole::text THEN
    EXECUTE format('ALTER TABLE %s OWNER TO %s', live, meta.owner);
  END IF;
  FOR grant_row IN SELECT * FROM aclexplode(meta.acl) WHERE meta.acl IS NOT NULL LOOP
    EXECUTE format('GRANT %s ON %s TO %s%s', grant_row.privilege_type, live,
                   CASE WHEN grant_row.grantee = 0 THEN 'PUBLIC' ELSE grant_row.grantee::regrole::text END,
                   CASE WHEN grant_row.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  FOR index_row IN
    SELECT ic.relname AS name, split_part(pg_get_indexdef(i.indexrelid), ' ON ', 2) AS def
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = live::regclass
  LOOP
    old_name := meta.indexes ->> index_row.def;
    IF old_name IS NOT NULL AND old_name <> index_row.name THEN
      EXECUTE format('ALTER INDEX public.%I RENAME TO %I', index_row.name, old_name);
    END IF;
  END LOOP;
END $swap$)SQL";
}

bool IsLockFailure(const pqxx::sql_error& e) { return e.sqlstate() == "55P03" || e.sqlstate() == "40P01"; }

}  // namespace docledger::projection_runtime::rebuild_sql

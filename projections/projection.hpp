// What a projection is: a name, the event types it reads, the tables it owns, the
// projections it depends on, and "event -> row changes". Projections know nothing of
// threads, batching, retries, checkpoints or leases: the runtime in
// src/projection_runtime/projector_*.* (the runner and its pieces) does all of that.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/event.hpp"

namespace docledger::projections {

// A column value in PostgreSQL's text form; nullopt is SQL NULL.
using Value = std::optional<std::string>;
// column name -> value
using Row = std::map<std::string, Value>;

struct Column {
  std::string name;
  std::string type;  // PostgreSQL type, e.g. "text", "bigint", "jsonb", "timestamptz"
};

// A read-model table as the projection writes it. The DDL lives in sql/NNN_*.sql; this is
// what the runtime needs to write rows in batches.
struct TableSpec {
  std::string name;
  std::vector<std::string> key;  // primary key columns
  std::vector<Column> columns;   // all columns, key columns included
};

// Where a projection writes. Writes are buffered by the runtime and flushed in the batch's
// transaction with one statement per table and kind, with exactly the effect of running
// them one by one in order.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  // Inserts the row, or replaces it when its key exists. `row` holds EVERY column.
  virtual void Upsert(const std::string& table, Row row) = 0;
  // Sets the given columns of the row with the given key (key columns included in
  // `key_and_values`); nothing happens when no such row exists.
  virtual void Update(const std::string& table, Row key_and_values) = 0;
  // Deletes the row with this key, if any.
  virtual void Delete(const std::string& table, Row key) = 0;
  // Sets `values` on every row whose columns equal `match` (any columns, not only the key),
  // and deletes every such row: for effects on all rows of something that is not the key
  // (an erased document's extractions). Runs after the writes before it, before the ones
  // after it.
  virtual void UpdateWhere(const std::string& table, const Row& match, const Row& values) = 0;
  virtual void DeleteWhere(const std::string& table, const Row& match) = 0;
  // Inserts the row into one of the projection's OutboxTables() unless a row with the same
  // key (or any unique value) exists: an existing row is never changed. `row` holds the
  // columns of the table's spec (the others keep their SQL defaults).
  virtual void InsertIfAbsent(const std::string& table, Row row) = 0;
  // The row with this key as it is now, this batch's writes included. `table` is one of
  // the projection's own tables or one of its ReadTables() (another projection's, read
  // as committed: declare that projection in DependsOn()).
  virtual std::optional<Row> Find(const std::string& table, const Row& key) = 0;
};

// A deterministic failure to apply one event (a payload it cannot read, ...). The runtime
// parks the event; throwing anything else from Apply is treated the same way.
class PoisonEvent : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Projection {
 public:
  virtual ~Projection() = default;
  virtual std::string Name() const = 0;
  // Event types Apply wants; empty = all.
  virtual std::vector<std::string> EventTypes() const = 0;
  // Whether Apply reads the content fields of sealed payloads (docs/erasure.md). false
  // spares the runtime opening them: Apply then sees payloads as stored.
  virtual bool ReadsContent() const { return true; }
  // Tables it owns, parents before children.
  virtual std::vector<TableSpec> Tables() const = 0;
  // Tables the projection only adds rows to with InsertIfAbsent, and that are NOT part of
  // its read model: write-side state such as an outbox of webhook deliveries, written in
  // the batch's transaction but updated by others afterwards. A rebuild neither shadows,
  // swaps nor truncates them (its runner writes the live table; a verify-only rebuild
  // writes nothing there), so a replay that raises the same rows again (same keys)
  // writes nothing.
  virtual std::vector<TableSpec> OutboxTables() const { return {}; }
  // Projections whose rows this one references: it never runs ahead of them.
  virtual std::vector<std::string> DependsOn() const { return {}; }
  // Tables of other projections that Apply reads with Find (e.g. to check that a parent
  // row exists before writing a child).
  virtual std::vector<TableSpec> ReadTables() const { return {}; }
  // The effect of one event. Must be deterministic: take times from the event
  // (recorded_at), never from a clock, so that a replay builds identical tables.
  virtual void Apply(const domain::RecordedEvent& event, RowWriter& writer) const = 0;
};

// A reactor (policy): a projector whose effect is appending new events instead of writing
// rows, e.g. the semantic analyzer on DocumentConverted. The runtime appends what React
// returns in the same transaction that advances the reactor's checkpoint, and gives every
// new event without an id a deterministic one derived from the source event
// (DeterministicEventId), so a re-run after a crash appends nothing twice.
class Reactor : public Projection {
 public:
  std::vector<TableSpec> Tables() const override { return {}; }
  void Apply(const domain::RecordedEvent&, RowWriter&) const final {}
  // The appends caused by one event. Pure and deterministic.
  virtual std::vector<domain::AppendRequest> React(const domain::RecordedEvent& event) const = 0;
};

}  // namespace docledger::projections

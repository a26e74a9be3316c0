// The RowWriter of the projector runtime: buffers a batch's row changes per key and
// flushes them with one array statement per table and kind (DELETE, INSERT .. ON
// CONFLICT, UPDATE), with exactly the effect of applying them one by one in order:
//
//   per key, the buffered state is one of
//     unknown + pending column updates  -> UPDATE (no-op when the row does not exist)
//     absent                            -> DELETE
//     full row                          -> upsert (after a DELETE when the key was deleted
//                                          earlier in the batch: cascades and triggers run)
//   Upsert(row) -> full row;  Delete -> absent;  Update(u) -> merges into the full row,
//   stays absent, or accumulates while unknown.
//
// Flush order: deletes children-first (reverse table order), then upserts and updates
// parents-first. Only the projection's own transaction writes these tables (one active
// projector per name), so what Find reads from the database stays true for the batch.
//
// Table names are left unqualified: they resolve through the transaction's search_path.
// For a rebuild's shadow runner that is "<shadow schema>, public", so Find on another
// projection's table (ReadTables) reads the shadow copy when that projection is rebuilt
// in the same group, and the live table otherwise.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "projections/projection.hpp"

namespace docledger::projection_runtime {

class BatchedRowWriter final : public projections::RowWriter {
 public:
  // `tables`: written (and buffered); `read_tables`: other projections' tables, read only.
  // `outbox_tables`: written with InsertIfAbsent only (INSERT .. ON CONFLICT DO NOTHING,
  // flushed last, in the order given).
  BatchedRowWriter(pqxx::transaction_base& tx, const std::vector<projections::TableSpec>& tables,
                   const std::vector<projections::TableSpec>& read_tables = {},
                   const std::vector<projections::TableSpec>& outbox_tables = {});

  void Upsert(const std::string& table, projections::Row row) override;
  void Update(const std::string& table, projections::Row key_and_values) override;
  void Delete(const std::string& table, projections::Row key) override;
  // Not buffered: what is buffered is flushed first, then one statement runs.
  void UpdateWhere(const std::string& table, const projections::Row& match, const projections::Row& values) override;
  void DeleteWhere(const std::string& table, const projections::Row& match) override;
  void InsertIfAbsent(const std::string& table, projections::Row row) override;
  std::optional<projections::Row> Find(const std::string& table,
                                       const projections::Row& key) override;

  // Outbox rows are accepted but never written (a verify-only rebuild).
  void DiscardOutbox() { discard_outbox_ = true; }

  // Writes everything buffered; the writer is empty afterwards.
  void Flush();
  std::size_t BufferedKeys() const;

 private:
  enum class Mode { kUnknown, kAbsent, kRow };
  struct KeyState {
    Mode mode = Mode::kUnknown;
    projections::Row row;        // kRow: every column; kUnknown: key + pending updates
    bool deleted_first = false;  // a Delete came before the final row: DELETE, then upsert
  };
  struct Table {
    const projections::TableSpec* spec = nullptr;
    std::map<std::vector<std::string>, KeyState> keys;
  };

  Table& TableFor(const std::string& name);
  std::vector<std::string> KeyOf(const Table& table, const projections::Row& row) const;
  std::optional<projections::Row> LoadRow(const Table& table, const std::vector<std::string>& key,
                                          bool lock_key = false);
  void FlushDeletes(Table& table);
  void FlushUpserts(Table& table);
  void FlushUpdates(Table& table);

  pqxx::transaction_base& tx_;
  std::vector<projections::TableSpec> specs_;
  std::vector<Table> tables_;  // same order as specs_
  std::vector<projections::TableSpec> read_specs_;
  std::vector<projections::TableSpec> outbox_specs_;
  std::vector<std::vector<projections::Row>> outbox_rows_;  // same order as outbox_specs_
  bool discard_outbox_ = false;
};

}  // namespace docledger::projection_runtime

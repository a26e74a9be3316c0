#include "projection_runtime/batched_row_writer.hpp"

#include <functional>
#include <stdexcept>

#include <pqxx/pqxx>

#include "infrastructure/pg_array.hpp"

namespace docledger::projection_runtime {

using infrastructure::QuoteIdentifier;
using infrastructure::ToPgArray;
namespace {

using projections::Row;
using projections::TableSpec;

const projections::Column& ColumnOf(const TableSpec& spec, const std::string& name) {
  for (const auto& column : spec.columns) {
    if (column.name == name) return column;
  }
  throw std::logic_error("table " + spec.name + " has no column " + name);
}

bool IsKey(const TableSpec& spec, const std::string& column) {
  for (const auto& k : spec.key) {
    if (k == column) return true;
  }
  return false;
}

// "t.k1 = u.a1::type AND ..." for the key columns, whose arrays come first.
std::string KeyMatch(const TableSpec& spec) {
  std::string sql;
  for (std::size_t i = 0; i < spec.key.size(); ++i) {
    if (i) sql += " AND ";
    sql += "t." + QuoteIdentifier(spec.key[i]) + " = u.a" + std::to_string(i) + "::" +
           ColumnOf(spec, spec.key[i]).type;
  }
  return sql;
}

// "c1 = ($N::text[])[1]::type1 <separator> c2 = ..." for the columns of `row`, in its order.
std::string Assignments(const TableSpec& spec, const Row& row, int param, const char* separator,
                        std::vector<std::optional<std::string>>& values) {
  std::string sql;
  int index = 1;
  values.clear();
  for (const auto& [column, value] : row) {
    if (index > 1) sql += separator;
    sql += QuoteIdentifier(column) + " = ($" + std::to_string(param) + "::text[])[" + std::to_string(index++) +
           "]::" + ColumnOf(spec, column).type;
    values.push_back(value);
  }
  return sql;
}

std::string Unnest(std::size_t text_arrays, std::size_t bool_arrays = 0) {
  std::string sql = "unnest(";
  std::string alias = "u(";
  for (std::size_t i = 0; i < text_arrays + bool_arrays; ++i) {
    if (i) {
      sql += ", ";
      alias += ", ";
    }
    sql += "$" + std::to_string(i + 1) + (i < text_arrays ? "::text[]" : "::bool[]");
    alias += (i < text_arrays ? "a" : "m") + std::to_string(i < text_arrays ? i : i - text_arrays);
  }
  return sql + ") AS " + alias + ")";
}

}  // namespace

BatchedRowWriter::BatchedRowWriter(pqxx::transaction_base& tx,
                                   const std::vector<projections::TableSpec>& tables,
                                   const std::vector<projections::TableSpec>& read_tables,
                                   const std::vector<projections::TableSpec>& outbox_tables)
    : tx_(tx), specs_(tables), read_specs_(read_tables), outbox_specs_(outbox_tables) {
  outbox_rows_.resize(outbox_specs_.size());
  tables_.resize(specs_.size());
  for (std::size_t i = 0; i < specs_.size(); ++i) tables_[i].spec = &specs_[i];
}

BatchedRowWriter::Table& BatchedRowWriter::TableFor(const std::string& name) {
  for (auto& table : tables_) {
    if (table.spec->name == name) return table;
  }
  throw std::logic_error("the projection does not own a table named " + name);
}

std::vector<std::string> BatchedRowWriter::KeyOf(const Table& table, const Row& row) const {
  std::vector<std::string> key;
  for (const auto& column : table.spec->key) {
    auto it = row.find(column);
    if (it == row.end() || !it->second) {
      throw std::logic_error("row for " + table.spec->name + " lacks key column " + column);
    }
    key.push_back(*it->second);
  }
  return key;
}

void BatchedRowWriter::Upsert(const std::string& name, Row row) {
  auto& table = TableFor(name);
  for (const auto& column : table.spec->columns) {
    if (!row.count(column.name)) {
      throw std::logic_error("Upsert into " + name + " must give every column; missing " + column.name);
    }
  }
  auto& state = table.keys[KeyOf(table, row)];
  if (state.mode == Mode::kAbsent) state.deleted_first = true;
  state.mode = Mode::kRow;
  state.row = std::move(row);
}

void BatchedRowWriter::Update(const std::string& name, Row key_and_values) {
  auto& table = TableFor(name);
  for (const auto& [column, value] : key_and_values) ColumnOf(*table.spec, column);
  auto& state = table.keys[KeyOf(table, key_and_values)];
  if (state.mode == Mode::kAbsent) return;
  for (auto& [column, value] : key_and_values) state.row[column] = std::move(value);
}

void BatchedRowWriter::Delete(const std::string& name, Row key) {
  auto& table = TableFor(name);
  auto& state = table.keys[KeyOf(table, key)];
  state.mode = Mode::kAbsent;
  state.row.clear();
}

void BatchedRowWriter::UpdateWhere(const std::string& name, const Row& match, const Row& values) {
  const auto& spec = *TableFor(name).spec;
  if (match.empty() || values.empty()) throw std::logic_error("UpdateWhere on " + name + " needs columns to match and set");
  Flush();
  std::vector<std::optional<std::string>> set_values;
  std::vector<std::optional<std::string>> match_values;
  const auto set = Assignments(spec, values, 1, ", ", set_values);
  const auto where = Assignments(spec, match, 2, " AND ", match_values);
  tx_.exec_params("UPDATE " + QuoteIdentifier(name) + " SET " + set + " WHERE " + where, ToPgArray(set_values),
                  ToPgArray(match_values));
}

void BatchedRowWriter::DeleteWhere(const std::string& name, const Row& match) {
  const auto& spec = *TableFor(name).spec;
  if (match.empty()) throw std::logic_error("DeleteWhere on " + name + " needs columns to match");
  Flush();
  std::vector<std::optional<std::string>> match_values;
  const auto where = Assignments(spec, match, 1, " AND ", match_values);
  tx_.exec_params("DELETE FROM " + QuoteIdentifier(name) + " WHERE " + where, ToPgArray(match_values));
}

void BatchedRowWriter::InsertIfAbsent(const std::string& name, Row row) {
  for (std::size_t i = 0; i < outbox_specs_.size(); ++i) {
    if (outbox_specs_[i].name != name) continue;
    for (const auto& column : outbox_specs_[i].columns) {
      if (!row.count(column.name)) {
        throw std::logic_error("InsertIfAbsent into " + name + " must give every column; missing " + column.name);
      }
    }
    outbox_rows_[i].push_back(std::move(row));
    return;
  }
  throw std::logic_error("the projection has no outbox table named " + name);
}

std::optional<Row> BatchedRowWriter::Find(const std::string& name, const Row& key_row) {
  for (const auto& spec : read_specs_) {
    if (spec.name == name) {
      Table foreign;
      foreign.spec = &spec;
      // FOR KEY SHARE: the row cannot be deleted (or its key changed) until this batch
      // commits, so a child row written because the parent exists never meets a foreign
      // key violation from a parent deleted meanwhile by the other projector.
      return LoadRow(foreign, KeyOf(foreign, key_row), true);
    }
  }
  auto& table = TableFor(name);
  const auto key = KeyOf(table, key_row);
  auto it = table.keys.find(key);
  if (it != table.keys.end() && it->second.mode == Mode::kRow) return it->second.row;
  if (it != table.keys.end() && it->second.mode == Mode::kAbsent) return std::nullopt;
  auto stored = LoadRow(table, key);
  auto& state = table.keys[key];
  if (!stored) {
    // Pending updates of a row that does not exist are no-ops.
    state.mode = Mode::kAbsent;
    state.row.clear();
    return std::nullopt;
  }
  for (auto& [column, value] : state.row) (*stored)[column] = value;
  state.mode = Mode::kRow;
  state.row = *stored;
  return stored;
}

std::optional<Row> BatchedRowWriter::LoadRow(const Table& table, const std::vector<std::string>& key,
                                             bool lock_key) {
  const auto& spec = *table.spec;
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    sql += (i ? ", " : "") + QuoteIdentifier(spec.columns[i].name) + "::text";
  }
  sql += " FROM " + QuoteIdentifier(spec.name) + " AS t WHERE ";
  for (std::size_t i = 0; i < spec.key.size(); ++i) {
    if (i) sql += " AND ";
    sql += "t." + QuoteIdentifier(spec.key[i]) + " = $" + std::to_string(i + 1) + "::" + ColumnOf(spec, spec.key[i]).type;
  }
  if (lock_key) sql += " FOR KEY SHARE";
  // Prepared once per connection (the name is the text's hash): a projector looks rows up
  // per event, and parsing and planning the same text each time was most of a replay's
  // cost. Unqualified names resolve through search_path when used, as for every prepared
  // statement of the runtime (a rebuild's shadow schema).
  const auto name = "find_row_" + std::to_string(std::hash<std::string>{}(sql));
  tx_.conn().prepare(name, sql);
  const auto result = tx_.exec_prepared(name, pqxx::prepare::make_dynamic_params(key));
  if (result.empty()) return std::nullopt;
  Row row;
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    const auto field = result[0][static_cast<int>(i)];
    row[spec.columns[i].name] = field.is_null() ? projections::Value{} : projections::Value{field.c_str()};
  }
  return row;
}

void BatchedRowWriter::Flush() {
  for (auto it = tables_.rbegin(); it != tables_.rend(); ++it) FlushDeletes(*it);
  for (auto& table : tables_) {
    FlushUpserts(table);
    FlushUpdates(table);
    table.keys.clear();
  }
  for (std::size_t t = 0; t < outbox_specs_.size(); ++t) {
    auto& rows = outbox_rows_[t];
    if (discard_outbox_) rows.clear();
    if (rows.empty()) continue;
    const auto& spec = outbox_specs_[t];
    std::string names, selects;
    std::vector<std::string> params;
    for (std::size_t i = 0; i < spec.columns.size(); ++i) {
      const auto& column = spec.columns[i];
      names += (i ? ", " : "") + QuoteIdentifier(column.name);
      selects += (i ? ", " : "") + std::string("u.a") + std::to_string(i) + "::" + column.type;
      std::vector<std::optional<std::string>> values;
      values.reserve(rows.size());
      for (const auto& row : rows) values.push_back(row.at(column.name));
      params.push_back(ToPgArray(values));
    }
    const std::string sql = "INSERT INTO " + QuoteIdentifier(spec.name) + " (" + names + ") SELECT " + selects +
                            " FROM " + Unnest(spec.columns.size()) + " ON CONFLICT DO NOTHING";
    tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    rows.clear();
  }
}

std::size_t BatchedRowWriter::BufferedKeys() const {
  std::size_t n = 0;
  for (const auto& table : tables_) n += table.keys.size();
  return n;
}

void BatchedRowWriter::FlushDeletes(Table& table) {
  const auto& spec = *table.spec;
  std::vector<std::vector<std::string>> keys(spec.key.size());
  for (const auto& [key, state] : table.keys) {
    if (state.mode != Mode::kAbsent && !state.deleted_first) continue;
    for (std::size_t i = 0; i < key.size(); ++i) keys[i].push_back(key[i]);
  }
  if (keys.empty() || keys[0].empty()) return;
  const std::string sql = "DELETE FROM " + QuoteIdentifier(spec.name) + " AS t USING " +
                          Unnest(spec.key.size()) + " WHERE " + KeyMatch(spec);
  std::vector<std::string> params;
  for (const auto& column : keys) params.push_back(ToPgArray(column));
  tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
}

void BatchedRowWriter::FlushUpserts(Table& table) {
  const auto& spec = *table.spec;
  std::vector<std::vector<std::optional<std::string>>> columns(spec.columns.size());
  for (const auto& [key, state] : table.keys) {
    if (state.mode != Mode::kRow) continue;
    for (std::size_t i = 0; i < spec.columns.size(); ++i) columns[i].push_back(state.row.at(spec.columns[i].name));
  }
  if (columns.empty() || columns[0].empty()) return;
  std::string names, selects, updates, key_names;
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    const auto& column = spec.columns[i];
    names += (i ? ", " : "") + QuoteIdentifier(column.name);
    selects += (i ? ", " : "") + std::string("u.a") + std::to_string(i) + "::" + column.type;
    if (!IsKey(spec, column.name)) {
      updates += (updates.empty() ? "" : ", ") + QuoteIdentifier(column.name) + " = EXCLUDED." + QuoteIdentifier(column.name);
    }
  }
  for (std::size_t i = 0; i < spec.key.size(); ++i) key_names += (i ? ", " : "") + QuoteIdentifier(spec.key[i]);
  const std::string sql = "INSERT INTO " + QuoteIdentifier(spec.name) + " (" + names + ") SELECT " + selects +
                          " FROM " + Unnest(spec.columns.size()) + " ON CONFLICT (" + key_names + ") DO " +
                          (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
  std::vector<std::string> params;
  for (const auto& column : columns) params.push_back(ToPgArray(column));
  tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
}

void BatchedRowWriter::FlushUpdates(Table& table) {
  const auto& spec = *table.spec;
  std::vector<std::string> value_columns;
  for (const auto& column : spec.columns) {
    if (!IsKey(spec, column.name)) value_columns.push_back(column.name);
  }
  std::vector<std::vector<std::optional<std::string>>> texts(spec.key.size() + value_columns.size());
  std::vector<std::vector<bool>> masks(value_columns.size());
  std::size_t rows = 0;
  for (const auto& [key, state] : table.keys) {
    if (state.mode != Mode::kUnknown) continue;
    ++rows;
    for (std::size_t i = 0; i < key.size(); ++i) texts[i].push_back(key[i]);
    for (std::size_t c = 0; c < value_columns.size(); ++c) {
      auto it = state.row.find(value_columns[c]);
      const bool set = it != state.row.end();
      masks[c].push_back(set);
      texts[spec.key.size() + c].push_back(set ? it->second : std::nullopt);
    }
  }
  if (rows == 0 || value_columns.empty()) return;
  std::string sets;
  for (std::size_t c = 0; c < value_columns.size(); ++c) {
    const auto& column = ColumnOf(spec, value_columns[c]);
    const auto a = "u.a" + std::to_string(spec.key.size() + c);
    sets += (c ? ", " : "") + QuoteIdentifier(column.name) + " = CASE WHEN u.m" + std::to_string(c) + " THEN " + a +
            "::" + column.type + " ELSE t." + QuoteIdentifier(column.name) + " END";
  }
  const std::string sql = "UPDATE " + QuoteIdentifier(spec.name) + " AS t SET " + sets + " FROM " +
                          Unnest(texts.size(), masks.size()) + " WHERE " + KeyMatch(spec);
  std::vector<std::string> params;
  for (const auto& column : texts) params.push_back(ToPgArray(column));
  for (const auto& mask : masks) params.push_back(ToPgArray(mask));
  tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
}

}  // namespace docledger::projection_runtime

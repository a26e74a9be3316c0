// libFuzzer target for AnalyzeMarkdown (fuzz/run-fuzzer builds and runs it). Besides the
// sanitizers' findings, it traps when an item breaks what the analyzer promises: JSON that
// dumps (valid UTF-8), survives the round trip, lines in range and in document order, and
// the fields each type must carry.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analysis/semantic_analyzer.hpp"
#include "domain/semantic_ir.hpp"
#include "domain/text_rules.hpp"

namespace {

using docledger::domain::IrType;
using docledger::domain::SemanticItem;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto items = docledger::analysis::AnalyzeMarkdown(text);
  Check(items.size() <= docledger::domain::semantic_limits::kMaxItems);
  const auto lines = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  std::int64_t previous_line = 1;
  for (const SemanticItem& item : items) {
    const std::string dumped = docledger::domain::ToJson(item).dump();  // throws on invalid UTF-8
    Check(docledger::domain::IsValidUtf8(dumped));
    Check(docledger::domain::SemanticItemFromJson(nlohmann::json::parse(dumped)) == item);
    const std::int64_t line = item.metadata.at("line").get<std::int64_t>();
    Check(line >= previous_line && line <= lines);
    previous_line = line;
    Check(!item.name.empty());
    switch (item.type) {
      case IrType::kFormula:
        Check(!item.expression.empty());
        break;
      case IrType::kDefinition:
        Check(!item.term.empty() && !item.definition.empty() && item.name == item.term);
        break;
      case IrType::kTable:
        Check(item.column_count >= 1 && item.table_data.is_array());
        Check(item.table_data.size() <= static_cast<std::size_t>(item.row_count));
        break;
      case IrType::kCrossReference:
        Check(!item.target.empty() && item.location == "line " + std::to_string(line));
        break;
    }
  }
  return 0;
}

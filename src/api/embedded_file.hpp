// A text file built into the binary (scripts/embed-files.py): its path relative to the
// folder it came from, and its exact bytes.
#pragma once

#include <string_view>

namespace docledger::api {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};

}  // namespace docledger::api

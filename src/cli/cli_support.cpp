#include "cli/cli_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "projections/registry.hpp"

namespace docledger::cli {

std::string DatabaseUrlOrComplain() {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    std::cerr << "DATABASE_URL: must be set (e.g. postgresql://user@host:5432/db)\n";
    return "";
  }
  return url;
}

std::vector<std::string> ProjectionNames() {
  std::vector<std::string> names;
  for (const auto& p : projections::BuiltInProjections()) names.push_back(p->Name());
  return names;
}

std::optional<std::vector<std::shared_ptr<const projections::Projection>>> SelectProjections(
    const std::vector<std::string>& names) {
  const auto all = projections::BuiltInProjections();
  if (names.empty()) return all;
  std::vector<std::shared_ptr<const projections::Projection>> selected;
  for (const auto& name : names) {
    bool found = false;
    for (const auto& p : all) {
      if (p->Name() == name) {
        selected.push_back(p);
        found = true;
      }
    }
    if (!found) {
      std::cerr << "unknown projection '" << name << "'; known:";
      for (const auto& known : ProjectionNames()) std::cerr << " " << known;
      std::cerr << "\n";
      return std::nullopt;
    }
  }
  return selected;
}

std::string InstanceName() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

}  // namespace docledger::cli

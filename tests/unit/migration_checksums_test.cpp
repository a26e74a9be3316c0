// Shipped migrations are pinned: sql/checksums.sha256 holds the SHA-256 of every numbered
// migration, in `sha256sum` format ("<hex>  <file>"), so an operator can check a checkout
// with `cd sql && sha256sum -c checksums.sha256`. The checksum is the one `docledger
// migrate` records in schema_migrations (SHA-256 of the file's bytes; the upgrade
// integration test compares the two on a real database). Editing a migration that
// databases have applied makes `migrate` refuse to run there; these tests catch it before
// it ships, and tell what to do instead.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "infrastructure/content_encoding.hpp"
#include "infrastructure/migrations.hpp"

namespace docledger::infrastructure {
namespace {

const std::filesystem::path kSqlDir = std::filesystem::path(DOCLEDGER_SOURCE_ROOT) / "sql";
const std::filesystem::path kPinsFile = kSqlDir / "checksums.sha256";

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// The numbered migrations in sql/ (not its subfolders: sql/partitioning/ holds scripts an
// operator runs by hand, which the runner never applies), by file name.
std::set<std::string> MigrationFilesInSqlDir() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kSqlDir)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && MigrationVersionOf(name)) names.insert(name);
  }
  return names;
}

struct Pins {
  std::map<std::string, std::string> checksum_of;  // file name -> lower-case hex
  std::vector<std::string> errors;                 // malformed or duplicate lines
};

Pins ReadPins() {
  Pins pins;
  std::ifstream file(kPinsFile);
  // sha256sum's format: 64 hex digits, a space, then ' ' (text mode) or '*' (binary
  // mode), then the file name relative to sql/.
  const std::regex line_format(R"(^([0-9a-f]{64}) [ *](.+)$)");
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    std::smatch match;
    if (!std::regex_match(line, match, line_format)) {
      pins.errors.push_back("line " + std::to_string(number) + " is not \"<sha256 hex>  <file>\": " + line);
      continue;
    }
    if (!pins.checksum_of.emplace(match[2], match[1]).second) {
      pins.errors.push_back("line " + std::to_string(number) + " pins " + match[2].str() + " a second time");
    }
  }
  return pins;
}

// True when `bytes` is well-formed UTF-8 without NUL: then `docledger migrate`, which hashes
// the file's text as PostgreSQL's UTF-8 (sha256(convert_to(content, 'UTF8'))), hashes exactly
// these bytes, and its recorded checksum is the file's sha256sum.
bool IsUtf8WithoutNul(const std::string& bytes) {
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (n - i < length) return false;
    const auto second = static_cast<unsigned char>(bytes[i + 1]);
    if (second < low || second > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<unsigned char>(bytes[i + k]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

std::string HowToPin(const std::string& name) {
  return "(cd sql && sha256sum " + name + " >> checksums.sha256)";
}

TEST(MigrationChecksums, ThePinsFileIsWellFormed) {
  ASSERT_TRUE(std::filesystem::exists(kPinsFile))
      << kPinsFile << " is missing: it pins every shipped migration; recreate it with "
      << "(cd sql && sha256sum [0-9]*.sql > checksums.sha256) from the migrations as released";
  const auto pins = ReadPins();
  for (const auto& error : pins.errors) ADD_FAILURE() << "sql/checksums.sha256: " << error;
  EXPECT_FALSE(pins.checksum_of.empty()) << "sql/checksums.sha256 pins nothing";
}

TEST(MigrationChecksums, EveryShippedMigrationStillHasItsPinnedContent) {
  const auto pins = ReadPins();
  for (const auto& name : MigrationFilesInSqlDir()) {
    const auto pin = pins.checksum_of.find(name);
    if (pin == pins.checksum_of.end()) continue;  // reported by the next test
    const auto actual = Sha256Hex(ReadBytes(kSqlDir / name));
    EXPECT_EQ(actual, pin->second)
        << "sql/" << name << " was changed after it was shipped (sha256 " << actual << ", pinned " << pin->second
        << " in sql/checksums.sha256). Databases that applied the old text record its checksum, and `docledger "
        << "migrate` refuses to run on them (\"was changed after it was applied\"). Restore the file "
        << "(git checkout <last release> -- sql/" << name << ") and put the change into a NEW migration with the "
        << "next number (docs/migrations.md). Only if this file was never released (added on this branch and "
        << "applied nowhere) may you replace its line in sql/checksums.sha256 with the output of "
        << "(cd sql && sha256sum " << name << ").";
  }
}

TEST(MigrationChecksums, EveryMigrationFileIsPinned) {
  const auto pins = ReadPins();
  for (const auto& name : MigrationFilesInSqlDir()) {
    EXPECT_TRUE(pins.checksum_of.count(name))
        << "sql/" << name << " has no pin in sql/checksums.sha256. A new migration ships with its checksum: run "
        << HowToPin(name) << " and commit both. From then on the file must not change.";
  }
}

TEST(MigrationChecksums, EveryPinNamesAnExistingMigration) {
  const auto files = MigrationFilesInSqlDir();
  for (const auto& [name, checksum] : ReadPins().checksum_of) {
    if (files.count(name)) continue;
    if (!MigrationVersionOf(name)) {
      ADD_FAILURE() << "sql/checksums.sha256 pins " << name
                    << ", which is not a numbered migration (sql/NNN_description.sql); pin only what "
                    << "`docledger migrate` applies, and remove that line";
      continue;
    }
    ADD_FAILURE() << "sql/checksums.sha256 pins " << name << " (sha256 " << checksum << "), but sql/" << name
                  << " does not exist. A shipped migration is never deleted or renamed: databases have recorded it "
                  << "by version, and new databases must still be built by it. Restore it (git log --all -- sql/"
                  << name << "); undo a schema change with a new migration instead.";
  }
}

TEST(MigrationChecksums, TheBinaryAppliesExactlyThePinnedFiles) {
  // The files are built into the binary from meson.build's sql_files list: a file in sql/
  // that the list misses would never be applied, silently.
  const auto pins = ReadPins();
  std::set<std::string> embedded;
  for (const auto& migration : EmbeddedMigrations()) {
    embedded.insert(migration.name);
    const auto pin = pins.checksum_of.find(migration.name);
    if (pin == pins.checksum_of.end()) {
      ADD_FAILURE() << "the binary applies " << migration.name << ", which sql/checksums.sha256 does not pin: run "
                    << HowToPin(migration.name);
      continue;
    }
    EXPECT_EQ(Sha256Hex(migration.sql), pin->second)
        << "the copy of " << migration.name << " built into the binary differs from its pin: see "
        << "EveryShippedMigrationStillHasItsPinnedContent (a restored file needs a rebuild)";
  }
  for (const auto& name : MigrationFilesInSqlDir()) {
    EXPECT_TRUE(embedded.count(name)) << "sql/" << name << " is not built into the binary, so `docledger migrate` "
                                      << "would never apply it: add it to sql_files in meson.build";
  }
}

TEST(MigrationChecksums, VersionsAreUniqueAndOtherSqlFilesAreNotLeftInSql) {
  std::map<int, std::string> by_version;
  for (const auto& name : MigrationFilesInSqlDir()) {
    const auto [it, inserted] = by_version.emplace(*MigrationVersionOf(name), name);
    EXPECT_TRUE(inserted) << "sql/" << name << " and sql/" << it->second << " have the same version number; "
                          << "give the newer one the next free number";
  }
  for (const auto& entry : std::filesystem::directory_iterator(kSqlDir)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".sql") {
      EXPECT_TRUE(MigrationVersionOf(name).has_value())
          << "sql/" << name << " is not named NNN_description.sql, so `docledger migrate` ignores it; rename it "
          << "(a migration) or move it to a subfolder such as sql/partitioning/ (a script run by hand)";
    }
  }
}

TEST(MigrationChecksums, RecordedChecksumIsTheFilesSha256) {
  // migrations.cpp has PostgreSQL hash the text converted to UTF-8; for a file that is
  // UTF-8 without NUL bytes those are the file's own bytes, i.e. what sha256sum prints.
  for (const auto& name : MigrationFilesInSqlDir()) {
    EXPECT_TRUE(IsUtf8WithoutNul(ReadBytes(kSqlDir / name)))
        << "sql/" << name << " is not UTF-8 text (or holds a NUL byte): the checksum `docledger migrate` records "
        << "would not be its sha256sum. Save it as UTF-8.";
  }
  EXPECT_TRUE(IsUtf8WithoutNul("plain \xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\x84"));
  EXPECT_FALSE(IsUtf8WithoutNul("latin-1 \xe9 alone"));
  EXPECT_FALSE(IsUtf8WithoutNul(std::string("nul \0 byte", 10)));
  EXPECT_FALSE(IsUtf8WithoutNul("cut \xe2\x80"));
}

}  // namespace
}  // namespace docledger::infrastructure

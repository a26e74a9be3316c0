#include "infrastructure/cursor.hpp"

#include <algorithm>
#include <cctype>

namespace docledger::infrastructure {
namespace {

bool Digits(std::string_view text, std::size_t count) {
  return text.size() >= count &&
         std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(count),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// The number in the first `count` characters of `text` (which are digits).
int Number(std::string_view text, std::size_t count) {
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// Consumes "YYYY-MM-DD" from the front of `text`.
bool TakeDate(std::string_view& text) {
  if (!Digits(text, 4) || text.size() < 10 || text[4] != '-' || !Digits(text.substr(5), 2) || text[7] != '-' ||
      !Digits(text.substr(8), 2)) {
    return false;
  }
  const int year = Number(text, 4), month = Number(text.substr(5), 2), day = Number(text.substr(8), 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year == 0 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) {
    return false;
  }
  text.remove_prefix(10);
  return true;
}

// Consumes "HH:MM[:SS[.fraction]]" from the front of `text`.
bool TakeTime(std::string_view& text) {
  if (!Digits(text, 2) || text.size() < 5 || text[2] != ':' || !Digits(text.substr(3), 2)) return false;
  if (Number(text, 2) > 23 || Number(text.substr(3), 2) > 59) return false;
  text.remove_prefix(5);
  if (text.empty() || text[0] != ':') return true;
  if (!Digits(text.substr(1), 2) || Number(text.substr(1), 2) > 59) return false;
  text.remove_prefix(3);
  if (text.empty() || text[0] != '.') return true;
  text.remove_prefix(1);
  std::size_t fraction = 0;
  while (fraction < text.size() && std::isdigit(static_cast<unsigned char>(text[fraction]))) ++fraction;
  if (fraction == 0 || fraction > 9) return false;
  text.remove_prefix(fraction);
  return true;
}

// The whole of `text` is a zone: Z, +HH, +HHMM or +HH:MM (or -).
bool IsZone(std::string_view text) {
  if (text == "Z") return true;
  if (text.empty() || (text[0] != '+' && text[0] != '-')) return false;
  text.remove_prefix(1);
  if (!Digits(text, 2) || Number(text, 2) > 15) return false;
  text.remove_prefix(2);
  if (!text.empty() && text[0] == ':') text.remove_prefix(1);
  return text.empty() || (text.size() == 2 && Digits(text, 2) && Number(text, 2) <= 59);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string EncodeCursor(const std::string& sort_key, const std::string& id) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : sort_key + "|" + id) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::pair<std::string, std::string> DecodeCursor(const std::string& cursor) {
  if (cursor.size() % 2 != 0 || cursor.size() > 400) throw InvalidCursor("malformed cursor");
  std::string text;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    const int high = HexDigit(cursor[i]), low = HexDigit(cursor[i + 1]);
    if (high < 0 || low < 0) throw InvalidCursor("malformed cursor");
    text += static_cast<char>(high * 16 + low);
  }
  const auto bar = text.find('|');
  if (bar == std::string::npos) throw InvalidCursor("malformed cursor");
  return {text.substr(0, bar), text.substr(bar + 1)};
}

std::pair<std::string, std::string> DecodeTimeCursor(const std::string& cursor) {
  auto decoded = DecodeCursor(cursor);
  if (!IsTimestamp(decoded.first) || !IsUuid(decoded.second)) throw InvalidCursor("malformed cursor");
  return decoded;
}

std::int64_t DecodeSequenceCursor(const std::string& cursor) {
  const auto key = DecodeCursor(cursor).first;
  try {
    return std::stoll(key);
  } catch (const std::exception&) {
    throw InvalidCursor("malformed cursor");
  }
}

bool IsTimestamp(std::string_view text) {
  if (!TakeDate(text)) return false;
  if (text.empty()) return true;
  if (text[0] != 'T' && text[0] != ' ') return false;
  text.remove_prefix(1);
  if (!TakeTime(text)) return false;
  return text.empty() || IsZone(text);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace docledger::infrastructure

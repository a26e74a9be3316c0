#include "api/middleware/forwarded.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

std::string_view FirstElement(std::string_view header) {
  return domain::TrimSpaceTab(header.substr(0, header.find(',')));
}

bool IsAddress(const std::string& text, int family) {
  unsigned char buffer[sizeof(struct in6_addr)];
  if (text.find('\0') != std::string::npos) return false;  // inet_pton would read only up to it
  return inet_pton(family, text.c_str(), buffer) == 1;
}

bool IsPort(std::string_view text) {
  return !text.empty() && text.size() <= 5 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// "1.2.3.4", "1.2.3.4:5678", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:5678".
std::string AddressOf(std::string_view element) {
  if (!element.empty() && element.front() == '[') {
    const auto close = element.find(']');
    if (close == std::string_view::npos) return "";
    const auto rest = element.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && IsPort(rest.substr(1)))) return "";
    const std::string v6(element.substr(1, close - 1));
    return IsAddress(v6, AF_INET6) ? v6 : "";
  }
  const std::string whole(element);
  if (IsAddress(whole, AF_INET) || IsAddress(whole, AF_INET6)) return whole;
  const auto colon = element.find(':');
  if (colon == std::string_view::npos || !IsPort(element.substr(colon + 1))) return "";
  const std::string v4(element.substr(0, colon));
  return IsAddress(v4, AF_INET) ? v4 : "";
}

std::string SchemeOf(std::string_view element) {
  std::string lower(element);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "http" || lower == "https" ? lower : "";
}

}  // namespace

ForwardedClient ParseForwarded(std::string_view x_forwarded_for, std::string_view x_forwarded_proto) {
  return {AddressOf(FirstElement(x_forwarded_for)), SchemeOf(FirstElement(x_forwarded_proto))};
}

}  // namespace docledger::api

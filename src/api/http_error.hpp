// The typed error a handler throws. The router's single catch turns it into the JSON error
// body of design.md: {"error":{"code","message","details":[...],"correlation_id"}}.
// `message` and `details` are shown to the client; `internal_detail` is only logged.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>

namespace docledger::api {

class HttpError : public std::runtime_error {
 public:
  HttpError(boost::beast::http::status status, std::string code, std::string message,
            nlohmann::json details = nlohmann::json::array())
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        message_(std::move(message)),
        details_(details.is_array() ? std::move(details)
                                    : nlohmann::json::array({std::move(details)})) {}

  // Extra response headers (Allow, Retry-After, WWW-Authenticate, ...).
  HttpError& WithHeader(std::string name, std::string value) & {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  HttpError&& WithHeader(std::string name, std::string value) && {
    headers_.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
  // Logged with the correlation id, never sent to the client.
  HttpError&& WithInternalDetail(std::string detail) && {
    internal_detail_ = std::move(detail);
    return std::move(*this);
  }

  boost::beast::http::status status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const nlohmann::json& details() const { return details_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  const std::string& internal_detail() const { return internal_detail_; }

  // The common ones; the codes are part of the API contract.
  static HttpError BadRequest(std::string message, nlohmann::json details = nlohmann::json::array()) {
    return {boost::beast::http::status::bad_request, "bad_request", std::move(message),
            std::move(details)};
  }
  static HttpError MalformedJson(std::string message) {
    return {boost::beast::http::status::bad_request, "malformed_json", std::move(message)};
  }
  static HttpError Unauthorized(std::string message) {
    return HttpError(boost::beast::http::status::unauthorized, "unauthorized",
                     std::move(message))
        .WithHeader("WWW-Authenticate", "Bearer");
  }
  static HttpError Forbidden(std::string message) {
    return {boost::beast::http::status::forbidden, "forbidden", std::move(message)};
  }
  static HttpError NotFound(std::string message) {
    return {boost::beast::http::status::not_found, "not_found", std::move(message)};
  }
  static HttpError Conflict(std::string message, nlohmann::json details = nlohmann::json::array()) {
    return {boost::beast::http::status::conflict, "conflict", std::move(message),
            std::move(details)};
  }
  static HttpError PreconditionFailed(std::string message) {
    return {boost::beast::http::status::precondition_failed, "precondition_failed",
            std::move(message)};
  }
  static HttpError PayloadTooLarge(std::string message) {
    return {boost::beast::http::status::payload_too_large, "payload_too_large",
            std::move(message)};
  }
  static HttpError UnsupportedMediaType(std::string message) {
    return {boost::beast::http::status::unsupported_media_type, "unsupported_media_type",
            std::move(message)};
  }
  static HttpError Validation(std::string message, nlohmann::json details) {
    return {boost::beast::http::status::unprocessable_entity, "validation_failed",
            std::move(message), std::move(details)};
  }
  static HttpError RateLimited(int retry_after_seconds) {
    return HttpError(boost::beast::http::status::too_many_requests, "rate_limited",
                     "too many requests; retry later")
        .WithHeader("Retry-After", std::to_string(retry_after_seconds));
  }
  static HttpError Unavailable(std::string message) {
    return {boost::beast::http::status::service_unavailable, "unavailable", std::move(message)};
  }
  // A statement of the request ran past DOCLEDGER_STATEMENT_TIMEOUT_MS and was cancelled.
  static HttpError StatementTimeout() {
    return HttpError(boost::beast::http::status::service_unavailable, "statement_timeout",
                     "the request's database work did not finish within the statement timeout "
                     "(DOCLEDGER_STATEMENT_TIMEOUT_MS) and was cancelled; its statement was rolled back. "
                     "Retry later")
        .WithHeader("Retry-After", "1");
  }
  // No pooled connection became free within DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS.
  static HttpError PoolExhausted() {
    return HttpError(boost::beast::http::status::service_unavailable, "pool_exhausted",
                     "every database connection of this instance stayed busy for the acquisition timeout "
                     "(DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS); retry later")
        .WithHeader("Retry-After", "1");
  }

 private:
  boost::beast::http::status status_;
  std::string code_;
  std::string message_;
  nlohmann::json details_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string internal_detail_;
};

}  // namespace docledger::api

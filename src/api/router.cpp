#include "api/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <typeinfo>

#include <spdlog/common.h>

#include "api/correlation_id.hpp"
#include "domain/errors.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/cursor.hpp"

namespace docledger::api {
namespace {

using infrastructure::LogEvent;

std::vector<std::string_view> SplitPath(std::string_view path) {
  // "/a/b" -> {"a","b"}; "/" -> {""}; "/a/" -> {"a",""}. `path` starts with '/'.
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        throw HttpError::BadRequest("invalid percent-encoding in the request target");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Is pattern `a` preferred over `b`? At the first position where one has a literal and the
// other a parameter, the literal wins.
template <typename Segments>
bool MoreSpecific(const Segments& a, const Segments& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].is_param != b[i].is_param) return !a[i].is_param;
  }
  return false;
}

std::string AllowHeader(const std::map<http::verb, Handler>& handlers) {
  std::set<std::string> methods;
  for (const auto& [verb, handler] : handlers) {
    methods.emplace(http::to_string(verb));
    if (verb == http::verb::get) methods.emplace("HEAD");
  }
  std::string allow;
  for (const auto& m : methods) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  return allow;
}

nlohmann::json Issues(const std::vector<domain::ValidationIssue>& issues) {
  auto details = nlohmann::json::array();
  for (const auto& issue : issues) {
    details.push_back({{"path", issue.path}, {"message", issue.message}});
  }
  return details;
}

// The single translation of "whatever a handler threw" into what the client sees. The
// internal detail goes to the log (with the request's correlation id), not to the client.
HttpError TranslateCurrentException(const Request& request) {
  const auto log_fields = [&](std::string_view type, std::string_view detail) {
    return nlohmann::json{{"method", std::string(request.method_string())},
                          {"path", std::string(request.target().substr(
                                       0, request.target().find('?')))},
                          {"exception", std::string(type)},
                          {"detail", std::string(detail)}};
  };
  try {
    // A PostgreSQL error an adapter let through is translated here as there (pg_errors).
    infrastructure::RethrowTranslated();
  } catch (const HttpError& e) {
    if (static_cast<unsigned>(e.status()) >= 500) {
      LogEvent(spdlog::level::err, "request failed", log_fields("HttpError",
               e.internal_detail().empty() ? e.message() : e.internal_detail()));
    } else if (!e.internal_detail().empty()) {
      LogEvent(spdlog::level::info, "request rejected", log_fields("HttpError", e.internal_detail()));
    }
    return e;
  } catch (const domain::ValidationError& e) {
    return HttpError::Validation(e.what(), Issues(e.issues()));
  } catch (const domain::WrongExpectedVersion& e) {
    // With If-Match the client stated the version: a mismatch is its precondition failing.
    const bool conditional = request.find(http::field::if_match) != request.end();
    return HttpError(conditional ? http::status::precondition_failed : http::status::conflict,
                     conditional ? "precondition_failed" : "wrong_expected_version", e.what(),
                     nlohmann::json::array({{{"stream_id", e.stream_id()},
                                             {"expected", e.expected()},
                                             {"actual_version", e.actual_version()}}}));
  } catch (const domain::EventIdConflict& e) {
    return HttpError::Conflict(e.what());
  } catch (const infrastructure::InvalidCursor& e) {
    return HttpError::BadRequest(std::string(e.what()) + "; use next_cursor of a previous page");
  } catch (const domain::NotFound& e) {
    return HttpError::NotFound(e.what());
  } catch (const domain::DocumentErasedError& e) {
    return HttpError(http::status::gone, "document_erased", e.what());
  } catch (const domain::Conflict& e) {
    return HttpError::Conflict(e.what());
  } catch (const domain::StoreTimeout& e) {
    LogEvent(spdlog::level::warn, "statement timeout", log_fields("StoreTimeout", e.what()));
    return HttpError::StatementTimeout();
  } catch (const domain::PoolExhausted& e) {
    LogEvent(spdlog::level::warn, "connection pool exhausted", log_fields("PoolExhausted", e.what()));
    return HttpError::PoolExhausted();
  } catch (const domain::StoreUnavailable& e) {
    LogEvent(spdlog::level::warn, "store unavailable", log_fields("StoreUnavailable", e.what()));
    return HttpError::Unavailable("the database is temporarily unavailable; retry later")
        .WithHeader("Retry-After", "1");
  } catch (const nlohmann::json::parse_error& e) {
    return HttpError::MalformedJson("request body is not valid JSON (error at byte " +
                                    std::to_string(e.byte) + ")");
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "unhandled exception", log_fields(typeid(e).name(), e.what()));
  } catch (...) {
    LogEvent(spdlog::level::err, "unhandled exception", log_fields("unknown", ""));
  }
  return HttpError(http::status::internal_server_error, "internal",
                   "internal server error; quote the correlation id when reporting it");
}

void Finish(Response& response, const Request& request, const std::string& correlation_id) {
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.set(kCorrelationIdHeader, correlation_id);
  if (request.method() == http::verb::head) {
    // HEAD: the headers GET would send, no body.
    const auto length = response.body().size();
    response.body().clear();
    response.content_length(length);
  } else {
    response.prepare_payload();
  }
}

}  // namespace

const std::string& RequestContext::Param(std::string_view name) const {
  const auto it = params.find(name);
  if (it == params.end()) {
    throw std::logic_error("route has no parameter {" + std::string(name) + "}");
  }
  return it->second;
}

std::optional<std::string> RequestContext::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Response JsonResponse(http::status status, const nlohmann::json& body) {
  return JsonTextResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response JsonTextResponse(http::status status, std::string json_text) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(json_text);
  return response;
}

Response ErrorResponse(const HttpError& error, const std::string& correlation_id,
                       unsigned http_version, bool keep_alive) {
  Response response = JsonResponse(
      error.status(), {{"error",
                        {{"code", error.code()},
                         {"message", error.message()},
                         {"details", error.details()},
                         {"correlation_id", correlation_id}}}});
  for (const auto& [name, value] : error.headers()) response.set(name, value);
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.version(http_version);
  response.keep_alive(keep_alive);
  response.set(kCorrelationIdHeader, correlation_id);
  response.prepare_payload();
  return response;
}

void Router::Add(http::verb method, const std::string& pattern, Role role, Handler handler,
                 Blocking blocking) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!handler) throw std::invalid_argument("empty handler for " + pattern);
  std::vector<Segment> segments;
  std::set<std::string> names;
  for (const auto part : SplitPath(pattern)) {
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segment.is_param = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
      if (segment.text.empty() || !names.insert(segment.text).second) {
        throw std::invalid_argument("empty or repeated parameter name in " + pattern);
      }
    } else if (part.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("a parameter must be a whole segment: " + pattern);
    } else {
      segment.text = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  // Patterns equal up to parameter names are the same route.
  const auto same_shape = [&](const Route& route) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].is_param != segments[i].is_param) return false;
      if (!segments[i].is_param && route.segments[i].text != segments[i].text) return false;
    }
    return true;
  };
  auto it = std::find_if(routes_.begin(), routes_.end(), same_shape);
  if (it == routes_.end()) {
    routes_.push_back(Route{pattern, std::move(segments), {}, {}, {}});
    it = std::prev(routes_.end());
  } else if (it->pattern != pattern) {
    throw std::invalid_argument("pattern " + pattern + " differs from " + it->pattern +
                                " only in parameter names");
  }
  if (!it->handlers.emplace(method, std::move(handler)).second) {
    throw std::invalid_argument("duplicate route " + std::string(http::to_string(method)) +
                                " " + pattern);
  }
  it->roles[method] = role;
  if (blocking == Blocking::kNever) it->never_blocking.insert(method);
}

bool Router::RunsInline(const Request& request) const {
  const std::string_view target(request.target().data(), request.target().size());
  if (target.empty() || target.front() != '/') return true;  // answered 400 by Dispatch
  PathParams params;
  const Route* route = nullptr;
  try {
    route = Match(SplitPath(target.substr(0, target.find('?'))), params);
  } catch (const HttpError&) {
    return true;  // bad percent-encoding: Handle answers 400 without blocking
  } catch (...) {
    return false;  // bad_alloc & co.: the worker path reports it
  }
  if (route == nullptr) return true;
  auto method = request.method();
  if (method == http::verb::head && route->handlers.count(method) == 0) method = http::verb::get;
  return route->never_blocking.count(method) != 0 || route->handlers.count(method) == 0;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> routes;
  for (const auto& route : routes_) {
    for (const auto& [method, role] : route.roles) routes.push_back({method, route.pattern, role});
  }
  return routes;
}

const Router::Route* Router::Match(const std::vector<std::string_view>& segments,
                                   PathParams& params) const {
  const Route* best = nullptr;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      const auto& segment = route.segments[i];
      matches = segment.is_param ? !segments[i].empty() : segment.text == segments[i];
    }
    if (matches && (best == nullptr || MoreSpecific(route.segments, best->segments))) {
      best = &route;
    }
  }
  if (best != nullptr) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_param) {
        params[best->segments[i].text] = PercentDecode(segments[i], false);
      }
    }
  }
  return best;
}

Response Router::Dispatch(const Request& request, const std::string& correlation_id,
                          RoutingOutcome* outcome) const {
  const std::string_view target(request.target().data(), request.target().size());
  if (target.empty() || target.front() != '/') {
    throw HttpError::BadRequest("the request target must be an absolute path");
  }
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

  PathParams params;
  const Route* route = Match(SplitPath(path), params);
  if (route == nullptr) throw HttpError::NotFound("no such resource: " + std::string(path));
  if (outcome != nullptr) outcome->pattern = route->pattern;

  auto handler = route->handlers.find(request.method());
  if (handler == route->handlers.end() && request.method() == http::verb::head) {
    handler = route->handlers.find(http::verb::get);
  }
  if (handler == route->handlers.end()) {
    throw HttpError(http::status::method_not_allowed, "method_not_allowed",
                    "method " + std::string(request.method_string()) + " is not allowed on " +
                        route->pattern)
        .WithHeader("Allow", AllowHeader(route->handlers));
  }
  const auto role = route->roles.find(handler->first);
  RequestContext context{request, params, correlation_id, path, query, route->pattern,
                         role == route->roles.end() ? Role::kPublic : role->second, "", Role::kPublic,
                         outcome != nullptr ? &outcome->stream : nullptr};
  // The handler innermost, each middleware around the ones added after it.
  const Handler& handle = handler->second;
  std::function<Response(RequestContext&, std::size_t)> run = [&](RequestContext& ctx, std::size_t i) {
    if (i == middleware_.size()) return handle(ctx);
    return middleware_[i](ctx, [&run, i](RequestContext& next_ctx) { return run(next_ctx, i + 1); });
  };
  try {
    Response response = run(context, 0);
    if (outcome != nullptr) outcome->actor = context.actor;
    return response;
  } catch (...) {
    if (outcome != nullptr) outcome->actor = context.actor;  // e.g. a 403 or 429 of a known key
    throw;
  }
}

Response Router::Handle(const Request& request, RoutingOutcome* outcome) const {
  const std::string correlation_id = CorrelationIdOf(request);
  const infrastructure::ScopedCorrelationId log_scope(correlation_id);
  if (auto preflight = CorsPreflight(policy_, request)) {
    Finish(*preflight, request, correlation_id);
    return std::move(*preflight);
  }
  Response response;
  try {
    response = Dispatch(request, correlation_id, outcome);
  } catch (...) {
    if (outcome != nullptr) outcome->stream.reset();
    const HttpError error = TranslateCurrentException(request);
    response = ErrorResponse(error, correlation_id, request.version(), request.keep_alive());
  }
  ApplyResponsePolicy(policy_, request, response);
  Finish(response, request, correlation_id);
  return response;
}

}  // namespace docledger::api

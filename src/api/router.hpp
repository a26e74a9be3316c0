// The transport-agnostic router (conventions 12): Response Handle(const Request&), testable
// without sockets. Handlers throw HttpError (or domain errors); the one catch in Handle
// turns any exception into the JSON error body and logs internal detail separately.
// Every response gets X-Correlation-ID, the request's HTTP version and keep-alive.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "api/http_error.hpp"
#include "api/response_policy.hpp"

namespace docledger::api {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using PathParams = std::map<std::string, std::string, std::less<>>;

// A response that goes on after its headers (Server-Sent Events): a handler that streams
// returns the headers as its Response and hands the session a producer through
// RequestContext::stream. The session asks Ready() on its strand (must be cheap, never
// block), and Read() on the worker pool (may query the database) for the next chunk of
// text; "" from Read() means nothing after all. The stream ends when the client goes
// away, the server shuts down, or Read() throws.
class StreamProducer {
 public:
  virtual ~StreamProducer() = default;
  virtual bool Ready() = 0;
  virtual std::string Read() = 0;
};

// Who may call a route: public routes need no key; the others a key whose role is at
// least this (read < write < admin).
enum class Role { kPublic = 0, kRead = 1, kWrite = 2, kAdmin = 3 };

// Whether a handler may block its thread (database, files, waits). The session runs
// kMay handlers on the worker pool and kNever handlers (and the router's own 404/405
// answers) inline on the connection's strand: no thread hand-off for the cheapest routes.
// A kNever handler must not block, and neither may the middleware on its path (auth and
// rate limiting are in memory; idempotency acts on POST only).
enum class Blocking { kMay, kNever };

// What a handler gets: the request, the decoded path parameters of its pattern, and the
// correlation id (also set for log lines of this thread while the handler runs).
struct RequestContext {
  const Request& request;
  const PathParams& params;
  const std::string& correlation_id;
  std::string_view path;   // target without the query
  std::string_view query;  // raw, after '?' ("" if none)
  const std::string& pattern;    // the matched route's pattern, e.g. "/api/v1/jobs/{id}"
  Role required_role = Role::kPublic;
  // Set by the auth middleware: the calling key's name ("" on public routes) and role.
  std::string actor;
  Role role = Role::kPublic;
  // Where a streaming handler puts its producer (nullptr when the caller cannot stream).
  std::shared_ptr<StreamProducer>* stream = nullptr;

  // The {name} parameter of the route pattern (percent-decoded).
  const std::string& Param(std::string_view name) const;
  // The first `name=value` of the query string, percent-decoded ('+' is a space);
  // nullopt if absent. Throws HttpError 400 for bad percent-encoding.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

using Handler = std::function<Response(const RequestContext&)>;
// Wraps every routed request (auth, rate limit, metrics...): calls next(context) to go on,
// or throws / returns its own response. Runs on the worker thread, after routing.
using Next = std::function<Response(RequestContext&)>;
using Middleware = std::function<Response(RequestContext&, const Next& next)>;

// A response with a JSON body and Content-Type: application/json. Version, keep-alive
// and the correlation id are filled in by the router.
Response JsonResponse(http::status status, const nlohmann::json& body);
// The same with a body that is JSON text already (sent as it is).
Response JsonTextResponse(http::status status, std::string json_text);

// The design.md error body for `error`, complete (headers, correlation id, payload
// prepared). Used by the router and by the session for errors found before routing
// (413 body too large, 431, 400 unparsable request).
Response ErrorResponse(const HttpError& error, const std::string& correlation_id,
                       unsigned http_version, bool keep_alive);

// What routing learned about a request, for the request log and metrics (the session
// reads it; the client never sees it).
struct RoutingOutcome {
  std::string pattern;  // the matched route's pattern; "" when no route matched (404)
  std::string actor;    // the key name the auth middleware set; "" when anonymous
  // The producer of a streaming handler (Server-Sent Events); empty otherwise.
  std::shared_ptr<StreamProducer> stream;
};

class Router {
 public:
  // `pattern` is an absolute path whose segments are literals or {name}, e.g.
  // "/api/v1/jobs/{id}/complete". A literal segment is preferred over a parameter when
  // several patterns match. Throws std::invalid_argument for a malformed pattern or a
  // duplicate (method, pattern).
  void Add(http::verb method, const std::string& pattern, Handler handler) {
    Add(method, pattern, Role::kPublic, std::move(handler));
  }
  void Add(http::verb method, const std::string& pattern, Role role, Handler handler,
           Blocking blocking = Blocking::kMay);

  // True when answering `request` cannot block: its route's handler is Blocking::kNever,
  // or no route matches its path or method (the router answers 404/405 itself).
  bool RunsInline(const Request& request) const;

  // Middleware run in the order added, outermost first, around every routed handler (not
  // around 404/405 answers of the router itself).
  void Use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }

  // The headers every answer gets (api/response_policy.hpp); CORS preflights are answered
  // before routing. Default: read max-age 0, CORS off.
  void SetResponsePolicy(ResponsePolicy policy) { policy_ = std::move(policy); }

  struct RouteInfo {
    http::verb method;
    std::string pattern;
    Role role;
  };
  // Every (method, pattern) registered, for /openapi.json's consistency test.
  std::vector<RouteInfo> Routes() const;

  // Never throws for anything a handler does: 404 unknown path, 405 (with Allow) known
  // path with another method, HttpError -> its status, domain errors -> 409/422/503,
  // malformed JSON -> 400, anything else -> 500 "internal" with a generic message.
  // HEAD is served by the GET handler without a body.
  // `outcome`, when given, receives the matched pattern and the actor (also when the
  // answer is an error).
  Response Handle(const Request& request, RoutingOutcome* outcome = nullptr) const;

 private:
  struct Segment {
    bool is_param = false;
    std::string text;  // the literal, or the parameter name
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::map<http::verb, Handler> handlers;
    std::map<http::verb, Role> roles;
    std::set<http::verb> never_blocking;
  };

  Response Dispatch(const Request& request, const std::string& correlation_id,
                    RoutingOutcome* outcome) const;
  const Route* Match(const std::vector<std::string_view>& segments, PathParams& params) const;

  std::vector<Route> routes_;
  std::vector<Middleware> middleware_;
  ResponsePolicy policy_;
};

}  // namespace docledger::api

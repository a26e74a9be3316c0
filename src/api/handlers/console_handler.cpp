#include "api/handlers/console_handler.hpp"

#include <map>
#include <memory>
#include <string>

#include "api/http_error.hpp"
#include "api/router.hpp"
#include "infrastructure/content_encoding.hpp"

namespace docledger::api {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string ContentTypeOf(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto extension = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (extension == "html") return "text/html; charset=utf-8";
  if (extension == "js") return "text/javascript; charset=utf-8";
  if (extension == "css") return "text/css; charset=utf-8";
  if (extension == "svg") return "image/svg+xml";
  if (extension == "json") return "application/json";
  return "text/plain; charset=utf-8";
}

struct Asset {
  std::string_view text;
  std::string content_type;
  std::string etag;
};

Response Serve(const RequestContext& context, const Asset& asset) {
  Response response{http::status::ok, 11};
  response.set(http::field::etag, asset.etag);
  response.set(http::field::cache_control, "no-cache");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
  const auto match = context.request.find(http::field::if_none_match);
  if (match != context.request.end()) {
    const std::string_view value(match->value().data(), match->value().size());
    if (value == "*" || value.find(asset.etag) != std::string_view::npos) {
      response.result(http::status::not_modified);
      return response;
    }
  }
  response.set(http::field::content_type, asset.content_type);
  response.body() = std::string(asset.text);
  return response;
}

}  // namespace

void AddConsoleRoutes(Router& router) {
  // The files never change while the process runs: hash them once.
  auto assets = std::make_shared<std::map<std::string, Asset, std::less<>>>();
  for (const auto& file : ConsoleFiles()) {
    (*assets)[std::string(file.name)] =
        Asset{file.text, ContentTypeOf(file.name), "\"" + infrastructure::Sha256Hex(file.text).substr(0, 32) + "\""};
  }
  router.Add(http::verb::get, "/console", Role::kPublic, [](const RequestContext&) {
    Response response{http::status::permanent_redirect, 11};
    response.set(http::field::location, "/console/");
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "The console is at /console/\n";
    return response;
  }, Blocking::kNever);
  router.Add(http::verb::get, "/console/", Role::kPublic, [assets](const RequestContext& context) {
    const auto it = assets->find("index.html");
    if (it == assets->end()) throw HttpError::NotFound("this build has no console");
    return Serve(context, it->second);
  }, Blocking::kNever);
  router.Add(http::verb::get, "/console/{file}", Role::kPublic, [assets](const RequestContext& context) {
    const auto it = assets->find(context.Param("file"));
    if (it == assets->end()) throw HttpError::NotFound("no such console file");
    return Serve(context, it->second);
  }, Blocking::kNever);
}

}  // namespace docledger::api

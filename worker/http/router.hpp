#pragma once

// Method + path routing. Patterns are literal segments and `{name}` placeholders, each
// matching one non-empty decoded segment: "/healthcheck/checks/{name}".

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "worker/http/message.hpp"
#include "worker/http/uri.hpp"

namespace twake::http {

struct RouteContext {
    const Request& request;
    const Target& target;
    std::map<std::string, std::string> params;
};

using Handler = std::function<Awaitable<Response>(RouteContext&)>;

class Router {
  public:
    void add(beast_http::verb method, std::string pattern, Handler handler);
    // Answers requests no route takes (the API's own "not found" body).
    void set_fallback(Handler handler) { fallback_ = std::move(handler); }
    // Answers a request-target that cannot be parsed (malformed escapes).
    void set_bad_target(Handler handler) { bad_target_ = std::move(handler); }

    Awaitable<Response> dispatch(const Request& request) const;

  private:
    struct Route {
        beast_http::verb method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
    Handler fallback_;
    Handler bad_target_;

    static bool match(const Route& route, const Target& target,
                      std::map<std::string, std::string>& params);
};

}  // namespace twake::http

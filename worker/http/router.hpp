#pragma once

// Method + path routing. Patterns are literal segments and `{name}` placeholders, each
// matching one non-empty decoded segment: "/healthcheck/checks/{name}".

#include <functional>
#include <map>
#include <optional>
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

// What answered a request, for metrics and logs: the pattern (low cardinality, never the
// concrete path) and upstream's metric name for that handler, when it has one.
struct RouteMatch {
    std::string pattern = "unmatched";
    std::string metric;
};

using Handler = std::function<Awaitable<Response>(RouteContext&)>;

class Router {
  public:
    // `metric` is upstream's per-handler summary name (e.g. "UserRoute"), or empty.
    void add(beast_http::verb method, std::string pattern, Handler handler,
             std::string metric = {});
    // Answers requests no route takes (the API's own "not found" body).
    void set_fallback(Handler handler) { fallback_ = std::move(handler); }
    // Runs before routing; a response it returns is the answer (e.g. a missing edge secret).
    void set_gate(std::function<std::optional<Response>(const Request&)> gate) {
        gate_ = std::move(gate);
    }
    // Answers a request-target that cannot be parsed (malformed escapes).
    void set_bad_target(Handler handler) { bad_target_ = std::move(handler); }

    Awaitable<Response> dispatch(const Request& request, RouteMatch& match) const;

  private:
    struct Route {
        beast_http::verb method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        std::string metric;
    };
    std::vector<Route> routes_;
    Handler fallback_;
    Handler bad_target_;
    std::function<std::optional<Response>(const Request&)> gate_;

    static bool match(const Route& route, const Target& target,
                      std::map<std::string, std::string>& params);
};

}  // namespace twake::http

#include "worker/http/router.hpp"

namespace twake::http {

void Router::add(beast_http::verb method, std::string pattern, Handler handler,
                 std::string metric) {
    auto parsed = Target::parse(pattern);
    std::vector<std::string> segments = parsed ? parsed->segments() : std::vector<std::string>{};
    routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler),
                            std::move(metric)});
}

bool Router::match(const Route& route, const Target& target,
                   std::map<std::string, std::string>& params) {
    const auto& segs = target.segments();
    if (segs.size() != route.segments.size()) {
        return false;
    }
    for (size_t i = 0; i < segs.size(); ++i) {
        const std::string& p = route.segments[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (segs[i].empty()) {
                return false;
            }
            params[p.substr(1, p.size() - 2)] = segs[i];
        } else if (p != segs[i]) {
            return false;
        }
    }
    return true;
}

Awaitable<Response> Router::dispatch(const Request& request, RouteMatch& found) const {
    if (gate_) {
        if (auto refused = gate_(request)) {
            found.pattern = "refused";
            co_return std::move(*refused);
        }
    }
    auto target = Target::parse(std::string_view(request.target().data(), request.target().size()));
    if (!target) {
        static const Target empty = *Target::parse("/");
        RouteContext ctx{request, empty, {}};
        co_return co_await bad_target_(ctx);
    }
    // HEAD is answered by the GET route when no HEAD route exists (body dropped by the server).
    for (int pass = 0; pass < 2; ++pass) {
        for (const Route& route : routes_) {
            beast_http::verb want = request.method();
            if (pass == 1) {
                if (want != beast_http::verb::head) {
                    break;
                }
                want = beast_http::verb::get;
            }
            if (route.method != want) {
                continue;
            }
            std::map<std::string, std::string> params;
            if (match(route, *target, params)) {
                found = RouteMatch{route.pattern, route.metric};
                RouteContext ctx{request, *target, std::move(params)};
                co_return co_await route.handler(ctx);
            }
        }
    }
    RouteContext ctx{request, *target, {}};
    co_return co_await fallback_(ctx);
}

}  // namespace twake::http

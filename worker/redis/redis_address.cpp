#include "worker/redis/redis_address.hpp"
#include "shared/text/percent.hpp"

#include <charconv>

#include "shared/config/config_error.hpp"
#include "worker/http/uri.hpp"

namespace twake::redis {

namespace {

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

RedisAddress parse_redis_url(const std::string& url, const std::string& key) {
    auto fail = [&](const std::string& why) {
        return config::ConfigError("'" + key + "' is not a usable Redis URL (" + why +
                                   "); expected redis://[:password@]host[:port][/database]");
    };
    const std::string scheme = "redis://";
    if (url.rfind("rediss://", 0) == 0) {
        throw fail("TLS (rediss://) is not supported yet");
    }
    if (url.rfind(scheme, 0) != 0) {
        throw fail("it must start with redis://");
    }
    std::string_view rest = std::string_view(url).substr(scheme.size());
    RedisAddress a;
    size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        rest.remove_prefix(at + 1);
        size_t colon = userinfo.find(':');
        auto user = text::percent_decode(userinfo.substr(0, colon));
        if (!user) {
            throw fail("bad escape in the user name");
        }
        if (!user->empty()) {
            a.user = *user;
        }
        if (colon != std::string_view::npos) {
            auto password = text::percent_decode(userinfo.substr(colon + 1));
            if (!password) {
                throw fail("bad escape in the password");
            }
            a.password = *password;
        }
    }
    size_t slash = rest.find('/');
    std::string_view hostport = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        std::string_view db = rest.substr(slash + 1);
        size_t q = db.find('?');
        db = db.substr(0, q);
        if (!db.empty()) {
            auto n = to_int(db);
            if (!n || *n < 0) {
                throw fail("the database must be a non-negative number");
            }
            a.database = *n;
        }
    }
    if (!hostport.empty() && hostport.front() == '[') {
        size_t close = hostport.find(']');
        if (close == std::string_view::npos) {
            throw fail("unterminated IPv6 address");
        }
        a.host = std::string(hostport.substr(1, close - 1));
        hostport.remove_prefix(close + 1);
        if (!hostport.empty()) {
            if (hostport.front() != ':') {
                throw fail("junk after the IPv6 address");
            }
            auto p = to_int(hostport.substr(1));
            if (!p || *p <= 0 || *p > 65535) {
                throw fail("bad port");
            }
            a.port = *p;
        }
    } else {
        size_t colon = hostport.find(':');
        a.host = std::string(hostport.substr(0, colon));
        if (colon != std::string_view::npos) {
            auto p = to_int(hostport.substr(colon + 1));
            if (!p || *p <= 0 || *p > 65535) {
                throw fail("bad port");
            }
            a.port = *p;
        }
    }
    if (a.host.empty()) {
        throw fail("no host");
    }
    return a;
}

}  // namespace twake::redis

// What reaches the nginx module from outside: the Authorization header, the identity provider's
// introspection and userinfo answers (split from the input at the first NUL), a WebSocket
// handshake's query, the Redis cache entries and revocation messages.

#include <string>
#include <utility>
#include <vector>

#include "ngx_module/core/credential.hpp"
#include "ngx_module/core/oidc_token.hpp"
#include "ngx_module/core/redis_token_record.hpp"
#include "ngx_module/core/ticket_query.hpp"
#include "t/fuzz/fuzz_target.hpp"

namespace edge = twake::edge;

TWAKE_FUZZ_TARGET(edge_input) {
    (void)edge::read_credential(input);

    auto cut = input.find('\0');
    std::string_view introspection = input.substr(0, cut);
    std::string_view userinfo = cut == std::string_view::npos ? "" : input.substr(cut + 1);
    edge::OidcSettings settings{{"twake-calendar"}, "email"};
    (void)edge::resolve_token(200, introspection, 200, userinfo, settings, 1767225600);
    (void)edge::split_audiences(input);
    (void)edge::joined_audience_accepted(input, settings);

    (void)edge::handshake_ticket(input);
    (void)edge::first_query_value(input, "ticket");
    (void)edge::query_without(input, "ticket");

    (void)edge::digest_of_redis_key(input);
    (void)edge::parse_revocation(input);
    // HGETALL's answer: field and value lines in turn.
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t at = 0;
    std::string field;
    bool is_value = false;
    while (at <= input.size()) {
        auto end = input.find('\n', at);
        if (end == std::string_view::npos) {
            end = input.size();
        }
        std::string line(input.substr(at, end - at));
        if (is_value) {
            fields.emplace_back(std::move(field), std::move(line));
        } else {
            field = std::move(line);
        }
        is_value = !is_value;
        at = end + 1;
    }
    (void)edge::parse_redis_token(fields);
}

#include "ngx_module/core/ticket_query.hpp"

#include "shared/identity/address.hpp"
#include "shared/text/percent.hpp"
#include "shared/text/uuid.hpp"

namespace twake::edge {

namespace {

// Calls `visit(parameter, key)` for each '&'-separated parameter, in order, until it returns
// false.
template <class Visit>
void each_parameter(std::string_view query, Visit visit) {
    while (true) {
        size_t end = query.find('&');
        std::string_view parameter = query.substr(0, end);
        std::string_view key = parameter.substr(0, parameter.find('='));
        if (!visit(parameter, key) || end == std::string_view::npos) {
            return;
        }
        query.remove_prefix(end + 1);
    }
}

}  // namespace

std::optional<std::string_view> first_query_value(std::string_view query, std::string_view name) {
    std::optional<std::string_view> found;
    each_parameter(query, [&](std::string_view parameter, std::string_view key) {
        if (key != name) {
            return true;
        }
        found =
            key.size() < parameter.size() ? parameter.substr(key.size() + 1) : std::string_view();
        return false;
    });
    return found;
}

std::string query_without(std::string_view query, std::string_view name) {
    std::string kept;
    each_parameter(query, [&](std::string_view parameter, std::string_view key) {
        if (key != name && !parameter.empty()) {
            kept += (kept.empty() ? "" : "&") + std::string(parameter);
        }
        return true;
    });
    return kept;
}

std::optional<std::string> handshake_ticket(std::string_view raw) {
    auto decoded = text::percent_decode(raw, true);
    if (!decoded || !text::is_uuid(*decoded)) {
        return std::nullopt;
    }
    return identity::lower(*decoded);
}

}  // namespace twake::edge

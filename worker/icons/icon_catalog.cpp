#include "worker/icons/icon_catalog.hpp"

#include <algorithm>

#include "worker/icons/embedded_icons.hpp"

namespace twake::icons {

std::optional<std::string_view> find(std::string_view name) {
    const auto found = std::ranges::lower_bound(embedded::names, name);
    if (found == embedded::names.end() || *found != name) {
        return std::nullopt;
    }
    return embedded::svgs[found - embedded::names.begin()];
}

std::span<const std::string_view> names() {
    return embedded::names;
}

}  // namespace twake::icons

#pragma once

// The resource icons of GET /images/icon/{icon}.svg: our own SVG artwork, one file per name
// under worker/icons/svg/, compiled into the binary (see embed_icons.cmake).

#include <optional>
#include <span>
#include <string_view>

namespace twake::icons {

// The SVG document of the icon called `name` (exact, case-sensitive), or nullopt. The view
// points into static storage.
std::optional<std::string_view> find(std::string_view name);

// Every icon name, sorted.
std::span<const std::string_view> names();

}  // namespace twake::icons

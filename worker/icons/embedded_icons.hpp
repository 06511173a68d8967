#pragma once

// The interface between icon_catalog.cpp and the source file that embed_icons.cmake
// generates in the build folder from the SVG files.

#include <span>
#include <string_view>

namespace twake::icons::embedded {

// Both sorted by name; svgs[i] is the document of names[i].
extern const std::span<const std::string_view> names;
extern const std::span<const std::string_view> svgs;

}  // namespace twake::icons::embedded

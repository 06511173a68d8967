#pragma once

// The query parameters of the task-starting routes that take a `task` selector
// (docs/webadmin.md §8, §9): refusals are 400 InvalidArgument with James's generic message
// and the reason in `details`.

#include <span>
#include <string_view>

#include "worker/http/router.hpp"
#include "worker/webadmin/route_refusal.hpp"

namespace twake::webadmin {

// 400 `Invalid arguments supplied in the user request`, `details` as given.
RouteRefusal invalid_arguments(std::string details);

// The index in `supported` of the `task` parameter's value; refused when it is missing,
// blank or another value.
std::size_t selected_task(const http::Target& target, std::span<const std::string_view> supported);

// A strictly positive integer query parameter, `fallback` when absent.
int positive_param(const http::Target& target, const char* name, int fallback);

}  // namespace twake::webadmin

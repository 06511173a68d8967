#include "worker/webadmin/task_parameters.hpp"

#include <charconv>
#include <string>

#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

constexpr std::string_view kInvalidArguments = "Invalid arguments supplied in the user request";

std::string supported_values(std::span<const std::string_view> supported) {
    std::string names;
    for (std::string_view name : supported) {
        names += names.empty() ? "" : ", ";
        names += name;
    }
    return "Supported values are [" + names + "]";
}

}  // namespace

RouteRefusal invalid_arguments(std::string details) {
    return RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidArguments),
                        std::move(details));
}

std::size_t selected_task(const http::Target& target, std::span<const std::string_view> supported) {
    auto task = target.param("task");
    if (!task) {
        throw invalid_arguments("'task' query parameter is compulsory. " +
                                supported_values(supported));
    }
    if (task->find_first_not_of(" \t") == std::string::npos) {
        throw invalid_arguments("'task' query parameter cannot be empty or blank. " +
                                supported_values(supported));
    }
    for (std::size_t i = 0; i < supported.size(); ++i) {
        if (*task == supported[i]) {
            return i;
        }
    }
    throw invalid_arguments("Invalid value supplied for query parameter 'task': " + *task + ". " +
                            supported_values(supported));
}

int positive_param(const http::Target& target, const char* name, int fallback) {
    auto value = target.param(name);
    if (!value) {
        return fallback;
    }
    int n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (value->empty() || ec != std::errc() || end != value->data() + value->size()) {
        throw invalid_arguments(std::string("Illegal value supplied for query parameter '") + name +
                                "', expecting an integer");
    }
    if (n <= 0) {
        throw invalid_arguments(std::string("Query parameter '") + name +
                                "' must be strictly positive, got: " + std::to_string(n));
    }
    return n;
}

}  // namespace twake::webadmin

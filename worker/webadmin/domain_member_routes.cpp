// /addressbook/domain-members (docs/webadmin.md §9): the tasks that make each domain's
// `domain-members` address book mirror the directory, or empty it. Only with LDAP.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/identity/address.hpp"
#include "worker/ldap/ldap_filter.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/tasks/clear_domain_members_task.hpp"
#include "worker/tasks/sync_domain_members_task.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/task_parameters.hpp"
#include "worker/webadmin/task_started.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

constexpr std::string_view kBase = "/addressbook/domain-members";
constexpr int kDefaultCardsPerSecond = 100;
// Upstream's shared registry also starts the calendar tasks here; only `sync` is taken.
constexpr std::string_view kTasks[] = {"sync"};

std::string trimmed(std::string_view text) {
    size_t b = text.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
        return "";
    }
    return std::string(text.substr(b, text.find_last_not_of(" \t") - b + 1));
}

std::string valid_domain(const std::string& raw) {
    auto name = identity::normalize_domain(raw);
    if (!name) {
        throw invalid_arguments("'" + raw + "' is not a valid domain name");
    }
    return *name;
}

// ignoredDomains: comma-separated, items trimmed, empty ones dropped.
std::vector<std::string> ignored_domains(const http::Target& target) {
    std::vector<std::string> out;
    std::string list = target.param("ignoredDomains").value_or("");
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string item = trimmed(std::string_view(list).substr(
            start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!item.empty()) {
            out.push_back(valid_domain(item));
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

// ldapFilter: trimmed, blank is none; else an RFC 4515 filter.
std::optional<std::string> ldap_filter(const http::Target& target) {
    auto raw = target.param("ldapFilter");
    if (!raw) {
        return std::nullopt;
    }
    std::string filter = trimmed(*raw);
    if (filter.empty()) {
        return std::nullopt;
    }
    if (!ldap::parse_filter(filter)) {
        throw RouteRefusal(400, error_type::kInvalidArgument,
                           "Invalid 'ldapFilter' parameter: " + *raw);
    }
    return filter;
}

// The {domain} of the path, registered; 400 when it is not a name, 404 when unknown.
http::Awaitable<std::string> known_domain(WebadminContext& ctx, const http::RouteContext& route) {
    std::string name = valid_domain(route.params.at("domain"));
    services::DomainDirectory domains(ctx.blocking, ctx.domains);
    if (!co_await domains.exists(name)) {
        throw RouteRefusal(404, error_type::kNotFound, "domain not found: " + name);
    }
    co_return name;
}

std::unique_ptr<tasks::Task> sync_task(WebadminContext& ctx, const http::Target& target,
                                       tasks::DomainScope scope) {
    selected_task(target, kTasks);
    tasks::DomainMembersSyncOptions options{
        .scope = std::move(scope),
        .ldap_filter = ldap_filter(target),
        .cards_per_second = positive_param(target, "cardsPerSecond", kDefaultCardsPerSecond)};
    return std::make_unique<tasks::SyncDomainMembersTask>(ctx.blocking, *ctx.directory, ctx.dav,
                                                          ctx.domains, std::move(options));
}

std::unique_ptr<tasks::Task> clear_task(WebadminContext& ctx, const http::Target& target,
                                        tasks::DomainScope scope) {
    int per_second = positive_param(target, "cardsPerSecond", kDefaultCardsPerSecond);
    return std::make_unique<tasks::ClearDomainMembersTask>(ctx.blocking, ctx.dav, ctx.domains,
                                                           std::move(scope), per_second);
}

}  // namespace

void add_domain_member_routes(http::Router& router, WebadminContext& ctx) {
    if (ctx.directory == nullptr) {
        return;  // without LDAP the routes do not exist
    }
    const std::string base(kBase);
    const std::string one = base + "/{domain}";
    router.add(verb::post, base,
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   tasks::DomainScope scope{.domain = std::nullopt,
                                            .ignored = ignored_domains(route.target)};
                   co_return task_started(
                       ctx.tasks.submit(sync_task(ctx, route.target, std::move(scope))));
               });
    router.add(verb::post, one,
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   // The parameters first: a bad request is refused before the domain is looked up.
                   selected_task(route.target, kTasks);
                   ldap_filter(route.target);
                   // GCC 12 loses a co_await's result inside an aggregate initializer: named first.
                   std::string name = co_await known_domain(ctx, route);
                   tasks::DomainScope scope{.domain = std::move(name), .ignored = {}};
                   co_return task_started(
                       ctx.tasks.submit(sync_task(ctx, route.target, std::move(scope))));
               });
    router.add(verb::delete_, base,
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   tasks::DomainScope scope{.domain = std::nullopt,
                                            .ignored = ignored_domains(route.target)};
                   co_return task_started(
                       ctx.tasks.submit(clear_task(ctx, route.target, std::move(scope))));
               });
    router.add(verb::delete_, one,
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   // GCC 12 loses a co_await's result inside an aggregate initializer: named first.
                   std::string name = co_await known_domain(ctx, route);
                   tasks::DomainScope scope{.domain = std::move(name), .ignored = {}};
                   co_return task_started(
                       ctx.tasks.submit(clear_task(ctx, route.target, std::move(scope))));
               });
}

}  // namespace twake::webadmin

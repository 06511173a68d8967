#include "worker/tasks/sync_domain_members_task.hpp"

#include "shared/log/log.hpp"
#include "worker/ldap/ldap_filter.hpp"

namespace twake::tasks {

namespace {

const log::Logger kLog("worker.tasks.domainmembers");

constexpr std::chrono::milliseconds kSearchDeadline{300000};

}  // namespace

runtime::Awaitable<bool> SyncDomainMembersTask::sync(const store::Domain& domain,
                                                     TaskControl& control) {
    ldap::LdapDirectory* directory = &directory_;
    std::optional<std::string> filter;
    if (options_.ldap_filter) {
        filter = ldap::parse_filter(*options_.ldap_filter);  // checked by the route
    }
    auto search = [directory, name = domain.name, filter] {
        return directory->domain_members(name, filter);
    };
    std::vector<ldap::LdapEntry> members = co_await blocking_.run(search, kSearchDeadline);
    if (control.cancel_requested()) {
        co_return false;
    }
    std::vector<addressbook::Contact> cards =
        co_await read_domain_members(blocking_, dav_, domain.id);
    addressbook::MemberUpdate update = addressbook::compute_member_update(members, cards);
    kLog.info("Domain members: syncing", {{"domain", domain.name},
                                          {"entries", std::to_string(members.size())},
                                          {"cards", std::to_string(cards.size())},
                                          {"adds", std::to_string(update.added.size())},
                                          {"updates", std::to_string(update.updated.size())},
                                          {"deletes", std::to_string(update.deleted.size())}});
    co_return co_await apply_member_update(blocking_, dav_, domain.id, update,
                                           options_.cards_per_second, control, counts_);
}

runtime::Awaitable<TaskResult> SyncDomainMembersTask::run(TaskControl& control) {
    const std::function<runtime::Awaitable<bool>(const store::Domain&)> one =
        [this, &control](const store::Domain& domain) { return sync(domain, control); };
    bool domain_failed =
        co_await for_each_domain(blocking_, domains_, options_.scope, control, one);
    co_return domain_failed || counts_.any_failure() ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> SyncDomainMembersTask::details() const {
    json::Json o = json::Json::object();
    add_scope(o, options_.scope);
    if (options_.ldap_filter) {
        o.set("ldapFilter", *options_.ldap_filter);
    }
    add_counts(o, counts_, true);
    json::Json options = json::Json::object();
    options.set("cardsPerSecond", static_cast<double>(options_.cards_per_second));
    o.set("runningOptions", std::move(options));
    return o;
}

}  // namespace twake::tasks

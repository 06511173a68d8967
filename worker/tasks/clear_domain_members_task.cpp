#include "worker/tasks/clear_domain_members_task.hpp"

#include "shared/log/log.hpp"

namespace twake::tasks {

namespace {

const log::Logger kLog("worker.tasks.domainmembers");

}  // namespace

runtime::Awaitable<bool> ClearDomainMembersTask::clear(const store::Domain& domain,
                                                       TaskControl& control) {
    std::vector<addressbook::Contact> cards =
        co_await read_domain_members(blocking_, dav_, domain.id);
    addressbook::MemberUpdate update;
    for (auto& card : cards) {
        if (!card.uid.empty()) {  // esn-sabre's cards all have one
            update.deleted.push_back(std::move(card));
        }
    }
    kLog.info("Domain members: clearing",
              {{"domain", domain.name}, {"cards", std::to_string(update.deleted.size())}});
    co_return co_await apply_member_update(blocking_, dav_, domain.id, update, cards_per_second_,
                                           control, counts_);
}

runtime::Awaitable<TaskResult> ClearDomainMembersTask::run(TaskControl& control) {
    const std::function<runtime::Awaitable<bool>(const store::Domain&)> one =
        [this, &control](const store::Domain& domain) { return clear(domain, control); };
    bool domain_failed = co_await for_each_domain(blocking_, domains_, scope_, control, one);
    co_return domain_failed || counts_.any_failure() ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> ClearDomainMembersTask::details() const {
    json::Json o = json::Json::object();
    add_scope(o, scope_);
    add_counts(o, counts_, false);
    json::Json options = json::Json::object();
    options.set("cardsPerSecond", static_cast<double>(cards_per_second_));
    o.set("runningOptions", std::move(options));
    return o;
}

}  // namespace twake::tasks

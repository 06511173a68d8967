#pragma once

// Task `clear-domain-members-contacts-dav` (docs/webadmin.md §9): every card of the domains'
// `domain-members` address books deleted, at most `cardsPerSecond` a second.

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/tasks/domain_member_writes.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

class ClearDomainMembersTask : public Task {
  public:
    static constexpr const char* kType = "clear-domain-members-contacts-dav";

    // All outlive the task.
    ClearDomainMembersTask(runtime::BlockingPool& blocking, dav::DavClient& dav,
                           store::DomainStore& domains, DomainScope scope, int cards_per_second)
        : blocking_(blocking),
          dav_(dav),
          domains_(domains),
          scope_(std::move(scope)),
          cards_per_second_(cards_per_second) {}

    std::string type() const override { return kType; }
    // As the sync: one domain throws on a failure, all domains go on past a failing one.
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"domain" | "ignoredDomains", "deletedCount", "deleteFailureContacts",
    //  "runningOptions": {"cardsPerSecond"}}
    std::optional<json::Json> details() const override;

  private:
    runtime::Awaitable<bool> clear(const store::Domain& domain, TaskControl& control);

    runtime::BlockingPool& blocking_;
    dav::DavClient& dav_;
    store::DomainStore& domains_;
    DomainScope scope_;
    int cards_per_second_;
    MemberWriteCounts counts_;  // updated on the event loop
};

}  // namespace twake::tasks

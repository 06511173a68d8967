#pragma once

// Task `sync-domain-members-contacts-ldap-to-dav` (docs/webadmin.md §9): each domain's
// `domain-members` address book made to mirror the directory's entries of that domain. The
// directory is searched first (a failure changes nothing), then the book read, and only the
// differences written, at most `cardsPerSecond` cards a second.

#include <optional>
#include <string>

#include "worker/dav/dav_client.hpp"
#include "worker/ldap/ldap_directory.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/tasks/domain_member_writes.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

struct DomainMembersSyncOptions {
    DomainScope scope;
    std::optional<std::string> ldap_filter;  // as given (trimmed), checked
    int cards_per_second = 100;
};

class SyncDomainMembersTask : public Task {
  public:
    static constexpr const char* kType = "sync-domain-members-contacts-ldap-to-dav";

    // All outlive the task.
    SyncDomainMembersTask(runtime::BlockingPool& blocking, ldap::LdapDirectory& directory,
                          dav::DavClient& dav, store::DomainStore& domains,
                          DomainMembersSyncOptions options)
        : blocking_(blocking),
          directory_(directory),
          dav_(dav),
          domains_(domains),
          options_(std::move(options)) {}

    std::string type() const override { return kType; }
    // One domain: a failure (directory or DAV server unreachable) throws. All domains: a
    // failing domain is logged and the others go on, the task then ending Partial, as when
    // a card failed.
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"domain" | "ignoredDomains", "ldapFilter"?, "addedCount", "addFailureContacts",
    //  "updatedCount", "updateFailureContacts", "deletedCount", "deleteFailureContacts",
    //  "runningOptions": {"cardsPerSecond"}}
    std::optional<json::Json> details() const override;

  private:
    // One domain, start to end; false when cancelled.
    runtime::Awaitable<bool> sync(const store::Domain& domain, TaskControl& control);

    runtime::BlockingPool& blocking_;
    ldap::LdapDirectory& directory_;
    dav::DavClient& dav_;
    store::DomainStore& domains_;
    DomainMembersSyncOptions options_;
    MemberWriteCounts counts_;  // updated on the event loop
};

}  // namespace twake::tasks

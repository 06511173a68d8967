#pragma once

// The DAV writes of the domain-members tasks (docs/webadmin.md §9): an address book update
// applied card by card, deletions first, at most `cardsPerSecond` cards a second and 4 DAV
// calls at once; a card that fails is recorded by address and the others go on.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/addressbook/member_update.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

// Cumulated over the domains of a run; read live by the task's details().
struct MemberWriteCounts {
    int64_t added = 0;
    int64_t updated = 0;
    int64_t deleted = 0;
    std::vector<std::string> add_failures;  // addresses (or what the entry had instead)
    std::vector<std::string> update_failures;
    std::vector<std::string> delete_failures;

    bool any_failure() const {
        return !add_failures.empty() || !update_failures.empty() || !delete_failures.empty();
    }
};

// The writes of one domain's update, paced; returns early (false) when cancellation is
// requested (checked after every 32 cards). `update.invalid` entries count as failed additions.
// Every argument outlives the call.
runtime::Awaitable<bool> apply_member_update(runtime::BlockingPool& blocking, dav::DavClient& dav,
                                             const std::string& domain_id,
                                             const addressbook::MemberUpdate& update,
                                             int cards_per_second, TaskControl& control,
                                             MemberWriteCounts& counts);

// The cards of the domain's book (created when missing), read and parsed on the pool.
runtime::Awaitable<std::vector<addressbook::Contact>> read_domain_members(
    runtime::BlockingPool& blocking, dav::DavClient& dav, const std::string& domain_id);

// Which domains a run covers: one, or every domain but the ignored ones.
struct DomainScope {
    std::optional<std::string> domain;  // the single-domain routes
    std::vector<std::string> ignored;   // the all-domains routes (lower-cased names)

    bool covers(const std::string& name) const;
};

// Runs `one` on the scope's domain (its failure throws: the task fails) or on every domain
// it covers, in turn (a failing one is logged and the others go on); stops when `one`
// returns false (cancelled). Returns whether a domain failed. The arguments outlive the call.
runtime::Awaitable<bool> for_each_domain(
    runtime::BlockingPool& blocking, store::DomainStore& domains, const DomainScope& scope,
    TaskControl& control, const std::function<runtime::Awaitable<bool>(const store::Domain&)>& one);

// `domain` or `ignoredDomains` of the details, as the scope says.
void add_scope(json::Json& details, const DomainScope& scope);

// deletedCount and deleteFailureContacts, and with `all` the added and updated ones too.
void add_counts(json::Json& details, const MemberWriteCounts& counts, bool all);

}  // namespace twake::tasks

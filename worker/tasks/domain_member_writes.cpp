#include "worker/tasks/domain_member_writes.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>

#include "shared/log/log.hpp"
#include "worker/runtime/bounded_parallel.hpp"

namespace twake::tasks {

namespace asio = boost::asio;

namespace {

const log::Logger kLog("worker.tasks.domainmembers");

constexpr std::chrono::milliseconds kExportDeadline{300000};
constexpr std::chrono::milliseconds kDomainsDeadline{60000};
constexpr std::chrono::milliseconds kWriteDeadline{60000};
constexpr std::size_t kCallsAtOnce = 4;
// The counts move after each chunk, so they are live even when a second's budget is large.
constexpr std::size_t kChunk = 32;

enum class Kind { Delete, Update, Add };

struct CardWrite {
    Kind kind;
    addressbook::Contact card;
};

const char* verb(Kind kind) {
    switch (kind) {
        case Kind::Delete:
            return "delete";
        case Kind::Update:
            return "update";
        case Kind::Add:
            return "add";
    }
    return "";
}

// The success counter and failure list of a kind of write.
std::pair<int64_t*, std::vector<std::string>*> tally(MemberWriteCounts& counts, Kind kind) {
    switch (kind) {
        case Kind::Delete:
            return {&counts.deleted, &counts.delete_failures};
        case Kind::Update:
            return {&counts.updated, &counts.update_failures};
        case Kind::Add:
            break;
    }
    return {&counts.added, &counts.add_failures};
}

using CardWriter = std::function<bool(const CardWrite&)>;

// Writes on the pool, kCallsAtOnce at a time, each tallied into `counts`. By reference: the
// caller's frame keeps them (GCC 12 and by-value coroutine parameters).
runtime::Awaitable<void> write_chunk(runtime::BlockingPool& blocking,
                                     const std::vector<CardWrite>& chunk, const CardWriter& write,
                                     const std::string& domain_id, MemberWriteCounts& counts) {
    auto outcomes =
        co_await runtime::run_bounded(blocking, chunk, kCallsAtOnce, kWriteDeadline, write);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        const CardWrite& w = chunk[i];
        bool ok = outcomes[i].value.has_value();
        std::string address = w.card.email.value_or(w.card.uid);
        if (!ok) {
            kLog.warn("Domain members: a card could not be written",
                      {{"domainId", domain_id},
                       {"operation", verb(w.kind)},
                       {"contact", address},
                       {"error", outcomes[i].error}});
        }
        auto [done, failures] = tally(counts, w.kind);
        if (ok) {
            ++*done;
        } else {
            failures->push_back(address);
        }
    }
}

}  // namespace

runtime::Awaitable<std::vector<addressbook::Contact>> read_domain_members(
    runtime::BlockingPool& blocking, dav::DavClient& dav, const std::string& domain_id) {
    dav::DavClient* client = &dav;
    auto read = [client, domain_id] {
        return addressbook::parse_vcards(client->export_domain_members(domain_id));
    };
    co_return co_await blocking.run(read, kExportDeadline);
}

runtime::Awaitable<bool> apply_member_update(runtime::BlockingPool& blocking, dav::DavClient& dav,
                                             const std::string& domain_id,
                                             const addressbook::MemberUpdate& update,
                                             int cards_per_second, TaskControl& control,
                                             MemberWriteCounts& counts) {
    for (const std::string& invalid : update.invalid) {
        kLog.warn("Domain members: an entry's mail is not an address",
                  {{"domainId", domain_id}, {"mail", invalid}});
        counts.add_failures.push_back(invalid);
    }
    std::vector<CardWrite> writes;
    for (const auto& c : update.deleted) {
        writes.push_back({Kind::Delete, c});
    }
    for (const auto& c : update.updated) {
        writes.push_back({Kind::Update, c});
    }
    for (const auto& c : update.added) {
        writes.push_back({Kind::Add, c});
    }
    dav::DavClient* client = &dav;
    const CardWriter write = [client, domain_id](const CardWrite& w) {
        if (w.kind == Kind::Delete) {
            client->delete_domain_member(domain_id, w.card.uid);
        } else {
            client->put_domain_member(domain_id, w.card.uid, addressbook::write_vcard(w.card));
        }
        return true;
    };
    asio::steady_timer pace(co_await asio::this_coro::executor);
    const auto per_second = static_cast<std::size_t>(std::max(cards_per_second, 1));
    std::size_t next = 0;
    while (next < writes.size()) {
        if (control.cancel_requested()) {
            co_return false;
        }
        auto second_ends = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        const std::size_t second_end = std::min(writes.size(), next + per_second);
        while (next < second_end) {
            const std::size_t chunk_end = std::min(second_end, next + kChunk);
            std::vector<CardWrite> chunk(writes.begin() + static_cast<std::ptrdiff_t>(next),
                                         writes.begin() + static_cast<std::ptrdiff_t>(chunk_end));
            co_await write_chunk(blocking, chunk, write, domain_id, counts);
            next = chunk_end;
            if (control.cancel_requested()) {
                co_return false;
            }
        }
        if (next < writes.size()) {
            pace.expires_at(second_ends);
            co_await pace.async_wait(asio::use_awaitable);
        }
    }
    co_return true;
}

runtime::Awaitable<bool> for_each_domain(
    runtime::BlockingPool& blocking, store::DomainStore& domains, const DomainScope& scope,
    TaskControl& control,
    const std::function<runtime::Awaitable<bool>(const store::Domain&)>& one) {
    store::DomainStore* store = &domains;
    if (scope.domain) {
        auto find = [store, name = *scope.domain] { return store->find_by_name(name); };
        auto domain = co_await blocking.run(find, kDomainsDeadline);
        if (!domain) {
            throw std::runtime_error("domain not found: " + *scope.domain);
        }
        co_await one(*domain);
        co_return false;
    }
    auto list = [store] { return store->list(); };
    std::vector<store::Domain> all = co_await blocking.run(list, kDomainsDeadline);
    bool failed = false;
    for (const store::Domain& domain : all) {
        if (!scope.covers(domain.name)) {
            continue;
        }
        if (control.cancel_requested()) {
            break;
        }
        try {
            if (!co_await one(domain)) {
                break;
            }
        } catch (const std::exception& e) {
            failed = true;
            kLog.error("Domain members: a domain failed",
                       {{"domain", domain.name}, {"error", e.what()}});
        }
    }
    co_return failed;
}

bool DomainScope::covers(const std::string& name) const {
    if (domain) {
        return name == *domain;
    }
    return std::find(ignored.begin(), ignored.end(), name) == ignored.end();
}

void add_scope(json::Json& details, const DomainScope& scope) {
    if (scope.domain) {
        details.set("domain", *scope.domain);
        return;
    }
    json::Json ignored = json::Json::array();
    for (const auto& d : scope.ignored) {
        ignored.push(d);
    }
    details.set("ignoredDomains", std::move(ignored));
}

}  // namespace twake::tasks

namespace twake::tasks {

namespace {

json::Json string_array(const std::vector<std::string>& items) {
    json::Json a = json::Json::array();
    for (const auto& i : items) {
        a.push(i);
    }
    return a;
}

}  // namespace

void add_counts(json::Json& details, const MemberWriteCounts& counts, bool all) {
    if (all) {
        details.set("addedCount", static_cast<double>(counts.added));
        details.set("addFailureContacts", string_array(counts.add_failures));
        details.set("updatedCount", static_cast<double>(counts.updated));
        details.set("updateFailureContacts", string_array(counts.update_failures));
    }
    details.set("deletedCount", static_cast<double>(counts.deleted));
    details.set("deleteFailureContacts", string_array(counts.delete_failures));
}

}  // namespace twake::tasks

#include "worker/tasks/import_ldap_users_task.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"

namespace twake::tasks {

namespace {

const log::Logger kLog("worker.tasks.ldapimport");

constexpr std::chrono::milliseconds kSearchDeadline{120000};
constexpr std::chrono::milliseconds kBatchDeadline{60000};

struct Counts {
    int64_t processed = 0;
    int64_t failed = 0;
};

// One entry: created when missing, names updated when they differ, nothing otherwise.
void import_one(store::UserStore& users, const std::string& email, const ldap::PersonNames& n) {
    auto user = users.find_by_email(email);
    if (!user) {
        users.add(email, n.firstname, n.lastname);
    } else if (user->firstname != n.firstname || user->lastname != n.lastname) {
        users.update(user->id, user->email, n.firstname, n.lastname);
    }
}

Counts import_batch(store::UserStore& users, const std::vector<ldap::LdapPerson>& batch) {
    Counts counts;
    for (const auto& person : batch) {
        auto address = identity::parse_address(person.mail);
        try {
            import_one(users, address->full(), person.names);
            ++counts.processed;
        } catch (const std::exception& e) {
            ++counts.failed;
            kLog.warn("LDAP import: a user could not be imported",
                      {{"user", address->full()}, {"error", e.what()}});
        }
    }
    return counts;
}

}  // namespace

runtime::Awaitable<TaskResult> ImportLdapUsersTask::run(TaskControl& control) {
    ldap::LdapDirectory* directory = &directory_;
    auto search = [directory] { return directory->people(); };
    std::vector<ldap::LdapPerson> people = co_await blocking_.run(search, kSearchDeadline);
    // Entries without a valid address are skipped, not counted (docs/webadmin.md §7.3).
    std::erase_if(people, [](const ldap::LdapPerson& p) {
        return !identity::parse_address(p.mail).has_value();
    });

    boost::asio::steady_timer pace(co_await boost::asio::this_coro::executor);
    auto per_second = static_cast<size_t>(users_per_second_);
    for (size_t start = 0; start < people.size() && !control.cancel_requested();
         start += per_second) {
        auto second_ends = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        std::vector<ldap::LdapPerson> batch(
            people.begin() + static_cast<std::ptrdiff_t>(start),
            people.begin() +
                static_cast<std::ptrdiff_t>(std::min(people.size(), start + per_second)));
        store::UserStore* users = &users_;
        auto work = [users, batch = std::move(batch)] { return import_batch(*users, batch); };
        Counts counts = co_await blocking_.run(work, kBatchDeadline);
        processed_ += counts.processed;
        failed_ += counts.failed;
        if (start + per_second < people.size()) {
            pace.expires_at(second_ends);
            co_await pace.async_wait(boost::asio::use_awaitable);
        }
    }
    kLog.info("LDAP import done",
              {{"processed", std::to_string(processed_)}, {"failed", std::to_string(failed_)}});
    co_return failed_ > 0 ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> ImportLdapUsersTask::details() const {
    json::Json o = json::Json::object();
    o.set("processedUserCount", static_cast<double>(processed_));
    o.set("failedUserCount", static_cast<double>(failed_));
    json::Json options = json::Json::object();
    options.set("usersPerSecond", static_cast<double>(users_per_second_));
    o.set("runningOptions", std::move(options));
    return o;
}

}  // namespace twake::tasks

#include "worker/tasks/schedule_alarms_task.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <deque>

#include "shared/log/log.hpp"
#include "shared/text/percent.hpp"
#include "worker/runtime/bounded_parallel.hpp"

namespace twake::tasks {

namespace asio = boost::asio;

namespace {

const log::Logger kLog("worker.tasks.schedulealarms");

// Users read from esn-sabre at once: half the blocking pool, so that the consumers and the
// routes keep threads while the task runs.
constexpr std::size_t kUsersAtOnce = 4;
constexpr std::chrono::milliseconds kListDeadline{60000};
constexpr std::chrono::milliseconds kReadDeadline{300000};
constexpr std::chrono::milliseconds kBatchDeadline{60000};

// One object waiting for its second.
struct PendingObject {
    std::shared_ptr<const store::User> owner;
    dav::ReportedObject object;
};

struct Counts {
    int64_t processed = 0;
    int64_t failed = 0;
};

// The objects of one user's calendars; a calendar that cannot be read is counted and skipped,
// a user whose list cannot be read counts once. A user whose calendar.alarmEmails is false
// has none: no row is kept for them (docs/reference/alarms.md §3).
UserObjects read_user(dav::DavClient& dav, const services::AlarmRows& rows,
                      const store::User& user) {
    UserObjects out{std::make_shared<const store::User>(user), {}, 0};
    try {
        if (!rows.alarm_emails_on(user)) {
            return out;
        }
        for (const std::string& calendar : dav.user_calendars(user.email, user.id)) {
            try {
                auto objects = dav.calendar_objects_as(user.email, calendar);
                std::move(objects.begin(), objects.end(), std::back_inserter(out.objects));
            } catch (const std::exception& e) {
                ++out.failed_sources;
                kLog.warn("Alarm scheduling: a calendar could not be read",
                          {{"user", user.email}, {"calendar", calendar}, {"error", e.what()}});
            }
        }
    } catch (const std::exception& e) {
        ++out.failed_sources;
        kLog.warn("Alarm scheduling: a user's calendars could not be listed",
                  {{"user", user.email}, {"error", e.what()}});
    }
    return out;
}

// The hrefs of a REPORT are percent-encoded; the rows keep the path as esn-sabre's alarm
// messages name it, decoded, so that a later message finds them.
std::string event_path_of(const std::string& href) {
    return text::percent_decode(href).value_or(href);
}

Counts schedule_batch(const services::AlarmRows& rows, const std::vector<PendingObject>& batch) {
    Counts counts;
    for (const PendingObject& item : batch) {
        const std::string path = event_path_of(item.object.href);
        try {
            rows.insert_missing(*item.owner, path, item.object.ical);
            ++counts.processed;
        } catch (const std::exception& e) {
            ++counts.failed;
            kLog.warn("Alarm scheduling: an event could not be scheduled",
                      {{"user", item.owner->email}, {"path", path}, {"error", e.what()}});
        }
    }
    return counts;
}

}  // namespace

runtime::Awaitable<std::vector<UserObjects>> ScheduleAlarmsTask::read_users(
    const std::vector<store::User>& users) {
    dav::DavClient* client = &dav_;
    const services::AlarmRows* alarm_rows = &alarm_rows_;
    const std::function<UserObjects(const store::User&)> read =
        [client, alarm_rows](const store::User& user) {
            return read_user(*client, *alarm_rows, user);
        };
    auto outcomes =
        co_await runtime::run_bounded(blocking_, users, kUsersAtOnce, kReadDeadline, read);
    std::vector<UserObjects> results;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (outcomes[i].value) {
            results.push_back(std::move(*outcomes[i].value));
            continue;
        }
        // The deadline: read_user itself catches what the DAV server answers.
        kLog.warn("Alarm scheduling: a user's calendars took too long to read",
                  {{"user", users[i].email}, {"error", outcomes[i].error}});
        results.push_back({std::make_shared<const store::User>(users[i]), {}, 1});
    }
    co_return results;
}

runtime::Awaitable<TaskResult> ScheduleAlarmsTask::run(TaskControl& control) {
    store::UserStore* users = &users_;
    auto list = [users] { return users->list(); };
    std::vector<store::User> everyone = co_await blocking_.run(list, kListDeadline);

    asio::steady_timer pace(co_await asio::this_coro::executor);
    const auto per_second = static_cast<std::size_t>(events_per_second_);
    std::deque<PendingObject> pending;
    std::size_t next_user = 0;
    while (!control.cancel_requested()) {
        auto second_ends = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        // Enough objects for this second, or every user read.
        while (pending.size() < per_second && next_user < everyone.size() &&
               !control.cancel_requested()) {
            std::size_t end = std::min(everyone.size(), next_user + kUsersAtOnce);
            std::vector<store::User> round(
                everyone.begin() + static_cast<std::ptrdiff_t>(next_user),
                everyone.begin() + static_cast<std::ptrdiff_t>(end));
            next_user = end;
            std::vector<UserObjects> read_round = co_await read_users(round);
            for (UserObjects& read : read_round) {
                failed_sources_ += read.failed_sources;
                for (dav::ReportedObject& object : read.objects) {
                    pending.push_back(PendingObject{read.owner, std::move(object)});
                }
            }
        }
        if (pending.empty() || control.cancel_requested()) {
            break;
        }
        std::vector<PendingObject> batch;
        while (!pending.empty() && batch.size() < per_second) {
            batch.push_back(std::move(pending.front()));
            pending.pop_front();
        }
        const services::AlarmRows* rows = &alarm_rows_;
        auto work = [rows, batch = std::move(batch)] { return schedule_batch(*rows, batch); };
        Counts counts = co_await blocking_.run(work, kBatchDeadline);
        processed_ += counts.processed;
        failed_ += counts.failed;
        if (!pending.empty() || next_user < everyone.size()) {
            pace.expires_at(second_ends);
            co_await pace.async_wait(asio::use_awaitable);
        }
    }
    kLog.info("Alarm scheduling done", {{"processed", std::to_string(processed_)},
                                        {"failed", std::to_string(failed_)},
                                        {"failedSources", std::to_string(failed_sources_)}});
    co_return failed_ > 0 || failed_sources_ > 0 ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> ScheduleAlarmsTask::details() const {
    json::Json o = json::Json::object();
    o.set("processedEventCount", static_cast<double>(processed_));
    o.set("failedEventCount", static_cast<double>(failed_));
    json::Json options = json::Json::object();
    options.set("eventsPerSecond", static_cast<double>(events_per_second_));
    o.set("runningOptions", std::move(options));
    return o;
}

}  // namespace twake::tasks

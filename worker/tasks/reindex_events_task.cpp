#include "worker/tasks/reindex_events_task.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>

#include "shared/log/log.hpp"
#include "shared/text/percent.hpp"
#include "worker/runtime/bounded_parallel.hpp"
#include "worker/search/event_document.hpp"

namespace twake::tasks {

namespace asio = boost::asio;

namespace {

const log::Logger kLog("worker.tasks.reindex");

constexpr std::chrono::milliseconds kListDeadline{60000};
constexpr std::chrono::milliseconds kReadDeadline{300000};
constexpr std::chrono::milliseconds kWriteDeadline{120000};

using Objects = std::vector<dav::ReportedObject>;

struct WriteCounts {
    int64_t processed = 0;
    int64_t failed = 0;
    std::vector<std::string> written;  // document ids
};

// The documents of these objects, written: an object counts as processed when all its
// documents were written, as failed when it cannot be read or OpenSearch refused one.
WriteCounts write_objects(const search::ReindexWriter& writer, const Objects& objects) {
    WriteCounts counts;
    std::vector<search::EventDocument> documents;
    std::vector<std::size_t> owner;  // the object of each document
    std::vector<bool> readable(objects.size(), true);
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const std::string path = text::percent_decode(objects[i].href).value_or(objects[i].href);
        try {
            for (auto& d :
                 search::documents_of_object(search::parse_event_path(path), objects[i].ical)) {
                documents.push_back(std::move(d));
                owner.push_back(i);
            }
        } catch (const search::InvalidEventMessage& e) {
            readable[i] = false;
            kLog.warn("Reindex: an object cannot be indexed",
                      {{"path", path}, {"error", e.what()}});
        }
    }
    std::vector<bool> ok = readable;
    if (!documents.empty()) {
        std::vector<search::BulkItem> items = writer.write(documents);
        for (std::size_t k = 0; k < items.size(); ++k) {
            if (items[k].kind == search::BulkItem::Kind::Written ||
                items[k].kind == search::BulkItem::Kind::Unchanged) {
                counts.written.push_back(documents[k].id);
            } else {
                if (ok[owner[k]]) {
                    kLog.warn("Reindex: OpenSearch did not take a document",
                              {{"id", documents[k].id}, {"error", items[k].error}});
                }
                ok[owner[k]] = false;
            }
        }
    }
    for (bool good : ok) {
        good ? ++counts.processed : ++counts.failed;
    }
    return counts;
}

}  // namespace

runtime::Awaitable<std::size_t> ReindexEventsTask::budget(std::size_t wanted) {
    const auto per_second = static_cast<std::size_t>(options_.events_per_second);
    auto now = std::chrono::steady_clock::now();
    if (now - second_start_ >= std::chrono::seconds(1)) {
        second_start_ = now;
        spent_this_second_ = 0;
    }
    if (spent_this_second_ >= per_second) {
        asio::steady_timer pause(co_await asio::this_coro::executor);
        pause.expires_at(second_start_ + std::chrono::seconds(1));
        co_await pause.async_wait(asio::use_awaitable);
        second_start_ = std::chrono::steady_clock::now();
        spent_this_second_ = 0;
    }
    std::size_t granted = std::min(wanted, per_second - spent_this_second_);
    spent_this_second_ += granted;
    co_return granted;
}

runtime::Awaitable<void> ReindexEventsTask::rebuild(const CalendarHome& home,
                                                    TaskControl& control) {
    dav::DavClient* dav = &dav_;
    std::vector<std::string> calendars;
    if (!home.user.empty()) {
        auto list = [dav, home] {
            return dav->user_calendars(home.user, home.id, dav::kPersonalCalendarsQuery);
        };
        try {
            calendars = co_await blocking_.run(list, kListDeadline);
        } catch (const std::exception& e) {
            home_failed_ = true;
            kLog.warn("Reindex: a user's calendars could not be listed",
                      {{"user", home.user}, {"error", e.what()}});
            co_return;
        }
    } else if (!home.deleted) {
        calendars.push_back("/calendars/" + home.id + "/" + home.id);
    }

    const std::function<Objects(const std::string&)> read =
        [dav, home](const std::string& calendar) -> Objects {
        return home.user.empty() ? dav->calendar_objects_of_domain(calendar, home.domain_id)
                                 : dav->calendar_objects_as(home.user, calendar);
    };
    auto outcomes = co_await runtime::run_bounded(
        blocking_, calendars, static_cast<std::size_t>(options_.calendars_concurrency),
        kReadDeadline, read);
    bool complete = true;
    Objects objects;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (!outcomes[i].value) {
            complete = false;
            kLog.warn("Reindex: a calendar could not be read",
                      {{"calendar", calendars[i]}, {"error", outcomes[i].error}});
            continue;
        }
        std::move(outcomes[i].value->begin(), outcomes[i].value->end(),
                  std::back_inserter(objects));
    }

    const search::ReindexWriter* writer = &writer_;
    std::vector<std::string> written;
    std::size_t next = 0;
    while (next < objects.size()) {
        if (control.cancel_requested()) {
            co_return;  // nothing pruned: the home is only partly rewritten
        }
        std::size_t take = co_await budget(objects.size() - next);
        Objects batch(
            std::make_move_iterator(objects.begin() + static_cast<std::ptrdiff_t>(next)),
            std::make_move_iterator(objects.begin() + static_cast<std::ptrdiff_t>(next + take)));
        next += take;
        auto write = [writer, batch = std::move(batch)] { return write_objects(*writer, batch); };
        try {
            WriteCounts counts = co_await blocking_.run(write, kWriteDeadline);
            processed_ += counts.processed;
            failed_ += counts.failed;
            if (counts.failed > 0) {
                complete = false;
            }
            std::move(counts.written.begin(), counts.written.end(), std::back_inserter(written));
        } catch (const std::exception& e) {
            failed_ += static_cast<int64_t>(take);
            complete = false;
            kLog.warn("Reindex: objects could not be written", {{"error", e.what()}});
        }
    }

    if (!complete) {
        home_failed_ = true;
        co_return;  // what was not rewritten stays: a failed read must not empty the index
    }
    auto prune = [writer, id = home.id, written = std::move(written)] {
        return writer->prune(id, written);
    };
    try {
        std::size_t removed = co_await blocking_.run(prune, kWriteDeadline);
        if (removed > 0) {
            kLog.info("Reindex: stale documents removed",
                      {{"home", home.id}, {"count", std::to_string(removed)}});
        }
    } catch (const std::exception& e) {
        home_failed_ = true;
        kLog.warn("Reindex: stale documents could not be removed",
                  {{"home", home.id}, {"error", e.what()}});
    }
}

runtime::Awaitable<TaskResult> ReindexEventsTask::run(TaskControl& control) {
    store::UserStore* users = &users_;
    store::ResourceStore* resources = &resources_;
    auto list = [users, resources] {
        std::vector<CalendarHome> homes;
        for (const store::User& user : users->list()) {
            homes.push_back({user.id, user.email, "", false});
        }
        for (const store::Resource& resource : resources->list_all()) {
            homes.push_back({resource.id, "", resource.domain_id, resource.deleted});
        }
        return homes;
    };
    std::vector<CalendarHome> homes = co_await blocking_.run(list, kListDeadline);
    kLog.info("Reindex started", {{"homes", std::to_string(homes.size())},
                                  {"eventsPerSecond", std::to_string(options_.events_per_second)}});
    for (const CalendarHome& home : homes) {
        if (control.cancel_requested()) {
            break;
        }
        co_await rebuild(home, control);
    }
    kLog.info("Reindex done", {{"processed", std::to_string(processed_)},
                               {"failed", std::to_string(failed_)},
                               {"cancelled", control.cancel_requested() ? "true" : "false"}});
    co_return failed_ > 0 || home_failed_ ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> ReindexEventsTask::details() const {
    json::Json o = json::Json::object();
    o.set("processedEventCount", static_cast<double>(processed_));
    o.set("failedEventCount", static_cast<double>(failed_));
    json::Json options = json::Json::object();
    options.set("eventsPerSecond", options_.events_per_second);
    options.set("calendarsConcurrency", options_.calendars_concurrency);
    o.set("runningOptions", std::move(options));
    return o;
}

}  // namespace twake::tasks

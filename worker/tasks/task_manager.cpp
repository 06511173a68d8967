#include "worker/tasks/task_manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"

namespace twake::tasks {

namespace {

const log::Logger kLog("worker.tasks");

// Dates are kept at millisecond precision, as reports print them.
Clock::time_point now() {
    return std::chrono::floor<std::chrono::milliseconds>(Clock::now());
}

std::string system_hostname() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') {
        return "localhost";
    }
    return buf;
}

}  // namespace

struct TaskManager::Entry {
    std::string id;
    std::string type;
    std::uint64_t sequence = 0;
    std::unique_ptr<Task> task;
    TaskControl control;
    TaskStatus status = TaskStatus::Waiting;
    std::optional<std::string> executed_on;
    std::optional<std::string> cancelled_from;
    Clock::time_point submitted;
    std::optional<Clock::time_point> started;
    std::optional<Clock::time_point> completed;
    std::optional<Clock::time_point> canceled;
    std::optional<Clock::time_point> failed;
    // Timers of GET /tasks/{id}/await callers, cancelled when the task ends.
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;

    log::Mdc mdc() const { return {{"taskId", id}, {"taskType", type}}; }
    std::optional<Clock::time_point> ended() const {
        return completed ? completed : failed ? failed : canceled;
    }
};

TaskManager::TaskManager(boost::asio::io_context& io, metrics::Metrics& metrics,
                         TaskRetention retention, std::string hostname)
    : io_(io),
      metrics_(metrics),
      retention_(retention),
      hostname_(hostname.empty() ? system_hostname() : std::move(hostname)) {}

std::string TaskManager::submit(std::unique_ptr<Task> task) {
    if (stopped_) {
        throw TaskManagerStopped();
    }
    auto entry = std::make_shared<Entry>();
    entry->id = text::random_uuid();
    entry->type = task->type();
    entry->sequence = next_sequence_++;
    entry->task = std::move(task);
    entry->submitted = now();
    entries_[entry->id] = entry;
    queue_.push_back(entry);
    kLog.info("Task submitted", entry->mdc());
    prune();
    if (!draining_) {
        draining_ = true;
        boost::asio::co_spawn(io_, drain(), boost::asio::detached);
    }
    return entry->id;
}

runtime::Awaitable<void> TaskManager::drain() {
    while (!queue_.empty()) {
        std::shared_ptr<Entry> entry = queue_.front();
        queue_.pop_front();
        if (entry->status != TaskStatus::Waiting) {
            continue;  // canceled before its turn
        }
        co_await execute(entry);
    }
    draining_ = false;
}

runtime::Awaitable<void> TaskManager::execute(const std::shared_ptr<Entry>& entry) {
    Entry& e = *entry;
    e.status = TaskStatus::InProgress;
    e.started = now();
    e.executed_on = hostname_;
    kLog.info("Task started", e.mdc());
    std::optional<TaskResult> result;
    std::string error;
    try {
        result = co_await e.task->run(e.control);
    } catch (const std::exception& ex) {
        error = ex.what();
    } catch (...) {
        error = "unknown error";
    }
    log::Mdc mdc = e.mdc();
    if (e.control.cancel_requested()) {
        kLog.info("Task canceled", mdc);
        finish(e, TaskStatus::Canceled);
    } else if (!result) {
        mdc.emplace_back("error", error);
        kLog.error("Error while running task", mdc);
        finish(e, TaskStatus::Failed);
    } else if (*result == TaskResult::Partial) {
        kLog.error("Task was partially performed", mdc);
        finish(e, TaskStatus::Failed);
    } else {
        kLog.info("Task completed", mdc);
        finish(e, TaskStatus::Completed);
    }
}

void TaskManager::finish(Entry& e, TaskStatus status) {
    e.status = status;
    Clock::time_point t = now();
    switch (status) {
        case TaskStatus::Completed:
            e.completed = t;
            break;
        case TaskStatus::Failed:
            e.failed = t;
            break;
        default:
            e.canceled = t;
            break;
    }
    metrics_.count_task(e.type, status_name(status));
    for (const auto& waiter : e.waiters) {
        waiter->cancel();
    }
    prune();
}

void TaskManager::prune() {
    struct Finished {
        Clock::time_point ended;
        std::uint64_t sequence;
        std::string id;
    };
    std::vector<Finished> finished;
    Clock::time_point cutoff = now() - retention_.max_age;
    for (auto it = entries_.begin(); it != entries_.end();) {
        auto ended = it->second->ended();
        if (ended && is_finished(it->second->status)) {
            if (*ended < cutoff) {
                it = entries_.erase(it);
                continue;
            }
            finished.push_back({*ended, it->second->sequence, it->first});
        }
        ++it;
    }
    if (finished.size() <= retention_.max_finished) {
        return;
    }
    std::sort(finished.begin(), finished.end(), [](const Finished& a, const Finished& b) {
        return a.ended != b.ended ? a.ended < b.ended : a.sequence < b.sequence;
    });
    for (std::size_t i = 0; i < finished.size() - retention_.max_finished; ++i) {
        entries_.erase(finished[i].id);
    }
}

TaskReport TaskManager::snapshot(const Entry& e) const {
    TaskReport r;
    r.id = e.id;
    r.type = e.type;
    r.status = e.status;
    r.submitted_from = hostname_;
    r.executed_on = e.executed_on;
    r.cancelled_from = e.cancelled_from;
    try {
        r.details = e.task->details();
    } catch (const std::exception& ex) {
        log::Mdc mdc = e.mdc();
        mdc.emplace_back("error", ex.what());
        kLog.warn("Task details unavailable", mdc);
    }
    r.taken = now();
    r.submitted = e.submitted;
    r.started = e.started;
    r.completed = e.completed;
    r.canceled = e.canceled;
    r.failed = e.failed;
    return r;
}

std::optional<TaskReport> TaskManager::report(const std::string& id) const {
    auto it = entries_.find(id);
    if (it == entries_.end()) {
        return std::nullopt;
    }
    return snapshot(*it->second);
}

std::vector<TaskReport> TaskManager::list() const {
    std::vector<const Entry*> all;
    for (const auto& [id, entry] : entries_) {
        all.push_back(entry.get());
    }
    std::sort(all.begin(), all.end(),
              [](const Entry* a, const Entry* b) { return a->sequence > b->sequence; });
    std::vector<TaskReport> out;
    out.reserve(all.size());
    for (const Entry* e : all) {
        out.push_back(snapshot(*e));
    }
    return out;
}

bool TaskManager::cancel(const std::string& id) {
    auto it = entries_.find(id);
    if (it == entries_.end() || is_finished(it->second->status)) {
        return false;
    }
    std::shared_ptr<Entry> entry = it->second;
    Entry& e = *entry;
    if (e.status == TaskStatus::CanceledRequested) {
        return true;
    }
    e.cancelled_from = hostname_;
    e.control.request_cancel();
    if (e.status == TaskStatus::Waiting) {
        // It never ran: nothing to wait for (drain() skips it).
        kLog.info("Task canceled before it started", e.mdc());
        finish(e, TaskStatus::Canceled);
    } else {
        e.status = TaskStatus::CanceledRequested;
        kLog.info("Task cancellation requested", e.mdc());
    }
    return true;
}

runtime::Awaitable<std::optional<TaskReport>> TaskManager::await(
    const std::string& id, std::chrono::milliseconds timeout) {
    auto it = entries_.find(id);
    if (it == entries_.end()) {
        co_return std::nullopt;
    }
    std::shared_ptr<Entry> entry = it->second;  // kept even if retention drops it meanwhile
    if (!is_finished(entry->status)) {
        if (stopped_) {
            throw TaskManagerStopped();
        }
        auto timer = std::make_shared<boost::asio::steady_timer>(io_);
        timer->expires_after(timeout);
        entry->waiters.push_back(timer);
        boost::system::error_code ec;
        co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        std::erase(entry->waiters, timer);
        if (!is_finished(entry->status)) {
            if (stopped_) {
                throw TaskManagerStopped();
            }
            throw AwaitTimeout();
        }
    }
    co_return snapshot(*entry);
}

void TaskManager::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    std::vector<std::shared_ptr<Entry>> all;
    for (const auto& [id, entry] : entries_) {
        all.push_back(entry);
    }
    for (const auto& entry : all) {
        cancel(entry->id);
    }
    queue_.clear();
    for (const auto& entry : all) {
        for (const auto& waiter : entry->waiters) {
            waiter->cancel();
        }
    }
}

}  // namespace twake::tasks

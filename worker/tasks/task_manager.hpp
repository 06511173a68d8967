#pragma once

// The worker's task manager (docs/webadmin.md §6): tasks run one at a time, in submission order, on
// the worker's event loop; their reports stay in memory (lost on restart), the finished ones
// within a retention bound.
//
// Usage by a route that starts a long job:
//     std::string id = ctx.tasks.submit(std::make_unique<MyTask>(...));
//     // answer 201, Location: /tasks/{id}, {"taskId": id}
// Every method runs on the event-loop thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "worker/metrics/metrics.hpp"
#include "worker/tasks/task.hpp"
#include "worker/tasks/task_report.hpp"

namespace twake::tasks {

// Upstream keeps every report forever; finished tasks are dropped here once older than
// `max_age` (since they ended) or beyond the `max_finished` most recent ones. Waiting and
// running tasks are always kept.
struct TaskRetention {
    std::size_t max_finished = 1000;
    std::chrono::hours max_age{24 * 7};
};

// GET /tasks/{id}/await: the task did not finish in time.
class AwaitTimeout : public std::runtime_error {
  public:
    AwaitTimeout() : std::runtime_error("The timeout has been reached") {}
};

// The worker stops: waiters are released without a finished report.
class TaskManagerStopped : public std::runtime_error {
  public:
    TaskManagerStopped() : std::runtime_error("the task manager is stopping") {}
};

class TaskManager {
  public:
    // `hostname` names this worker in reports (submittedFrom, executedOn, cancelledFrom);
    // empty: the system's host name.
    TaskManager(boost::asio::io_context& io, metrics::Metrics& metrics,
                TaskRetention retention = {}, std::string hostname = {});
    TaskManager(const TaskManager&) = delete;
    TaskManager& operator=(const TaskManager&) = delete;

    // Queues the task behind the others and returns its id (a random UUID). Throws
    // TaskManagerStopped after stop().
    std::string submit(std::unique_ptr<Task> task);

    // A snapshot of the task; nullopt when unknown (or dropped by retention).
    std::optional<TaskReport> report(const std::string& id) const;
    // Every known task, newest submission first.
    std::vector<TaskReport> list() const;

    // Requests cancellation: a waiting task ends `canceled` at once (it never runs); a running
    // one turns `canceledRequested` and ends `canceled` when its run returns. Unknown or
    // finished tasks: nothing happens (false).
    bool cancel(const std::string& id);

    // Waits until the task is finished and returns its report; nullopt when unknown. Throws
    // AwaitTimeout after `timeout`, TaskManagerStopped when the worker stops first.
    runtime::Awaitable<std::optional<TaskReport>> await(const std::string& id,
                                                        std::chrono::milliseconds timeout);

    // At shutdown: cancels waiting and running tasks, releases waiters, refuses new tasks.
    void stop();

    const std::string& hostname() const { return hostname_; }

  private:
    struct Entry;

    boost::asio::io_context& io_;
    metrics::Metrics& metrics_;
    TaskRetention retention_;
    std::string hostname_;
    std::map<std::string, std::shared_ptr<Entry>> entries_;
    std::deque<std::shared_ptr<Entry>> queue_;
    std::uint64_t next_sequence_ = 0;
    bool draining_ = false;
    bool stopped_ = false;

    runtime::Awaitable<void> drain();
    runtime::Awaitable<void> execute(const std::shared_ptr<Entry>& entry);
    void finish(Entry& entry, TaskStatus status);
    void prune();
    TaskReport snapshot(const Entry& entry) const;
};

}  // namespace twake::tasks

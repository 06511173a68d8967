#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "worker/tasks/task_manager.hpp"

using namespace std::chrono_literals;
using twake::tasks::TaskControl;
using twake::tasks::TaskManager;
using twake::tasks::TaskResult;
using twake::tasks::TaskStatus;
namespace asio = boost::asio;

namespace {

// What the scripted tasks saw.
struct Journal {
    std::vector<std::string> events;
    int running = 0;
    int most_running = 0;
};

enum class Outcome { Complete, Partial, Throw };

// Waits `duration` on the event loop (as a task waits for its blocking calls), polling
// cancellation every millisecond, then ends as told.
class ScriptedTask : public twake::tasks::Task {
  public:
    ScriptedTask(std::string name, Journal& journal, std::chrono::milliseconds duration,
                 Outcome outcome = Outcome::Complete)
        : name_(std::move(name)), journal_(journal), duration_(duration), outcome_(outcome) {}

    std::string type() const override { return "scripted"; }

    twake::http::Awaitable<TaskResult> run(TaskControl& control) override {
        journal_.events.push_back("start " + name_);
        journal_.most_running = std::max(journal_.most_running, ++journal_.running);
        auto executor = co_await asio::this_coro::executor;
        asio::steady_timer timer(executor);
        auto until = std::chrono::steady_clock::now() + duration_;
        while (std::chrono::steady_clock::now() < until && !control.cancel_requested()) {
            timer.expires_after(1ms);
            co_await timer.async_wait(asio::use_awaitable);
            ++steps_;
        }
        --journal_.running;
        journal_.events.push_back("end " + name_);
        if (outcome_ == Outcome::Throw) {
            throw std::runtime_error("boom");
        }
        co_return outcome_ == Outcome::Partial ? TaskResult::Partial : TaskResult::Completed;
    }

    std::optional<twake::json::Json> details() const override {
        twake::json::Json o = twake::json::Json::object();
        o.set("steps", steps_);
        return o;
    }

  private:
    std::string name_;
    Journal& journal_;
    std::chrono::milliseconds duration_;
    Outcome outcome_;
    int steps_ = 0;
};

struct Fixture {
    asio::io_context io;
    twake::metrics::Metrics metrics;
    Journal journal;
    TaskManager manager;

    explicit Fixture(twake::tasks::TaskRetention retention = {})
        : manager(io, metrics, retention, "worker-1") {}

    std::string submit(const std::string& name, std::chrono::milliseconds duration,
                       Outcome outcome = Outcome::Complete) {
        return manager.submit(std::make_unique<ScriptedTask>(name, journal, duration, outcome));
    }

    TaskStatus status(const std::string& id) { return manager.report(id)->status; }

    // Runs `body` as a coroutine on the loop until everything is done.
    template <class Body>
    void run(Body body) {
        asio::co_spawn(io, body(), [](std::exception_ptr e) {
            if (e) {
                std::rethrow_exception(e);
            }
        });
        io.run();
        io.restart();
    }
};

twake::http::Awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

TEST(TaskManager, RunsOneTaskAtATimeInSubmissionOrder) {
    Fixture f;
    std::string a = f.submit("a", 20ms);
    std::string b = f.submit("b", 5ms);
    std::string c = f.submit("c", 5ms);
    EXPECT_EQ(f.status(c), TaskStatus::Waiting);
    f.io.run();
    EXPECT_EQ(f.journal.events, (std::vector<std::string>{"start a", "end a", "start b", "end b",
                                                          "start c", "end c"}));
    EXPECT_EQ(f.journal.most_running, 1);
    for (const auto& id : {a, b, c}) {
        auto r = f.manager.report(id);
        EXPECT_EQ(r->status, TaskStatus::Completed);
        EXPECT_EQ(r->executed_on, "worker-1");
        EXPECT_EQ(r->submitted_from, "worker-1");
        EXPECT_TRUE(r->started && r->completed && !r->failed && !r->canceled);
        EXPECT_LE(*r->started, *r->completed);
    }
    auto list = f.manager.list();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].id, c);  // newest first
    EXPECT_EQ(list[2].id, a);
}

TEST(TaskManager, PartialOrThrowingTasksFail) {
    Fixture f;
    std::string partial = f.submit("p", 1ms, Outcome::Partial);
    std::string thrown = f.submit("t", 1ms, Outcome::Throw);
    std::string fine = f.submit("f", 1ms);
    f.io.run();
    EXPECT_EQ(f.status(partial), TaskStatus::Failed);
    EXPECT_EQ(f.status(thrown), TaskStatus::Failed);
    EXPECT_TRUE(f.manager.report(thrown)->failed.has_value());
    EXPECT_FALSE(f.manager.report(thrown)->completed.has_value());
    EXPECT_EQ(f.status(fine), TaskStatus::Completed);
    std::string scrape = f.metrics.scrape({"twake_webadmin_tasks_total"});
    EXPECT_NE(scrape.find(R"(twake_webadmin_tasks_total{status="failed",type="scripted"} 2)"),
              std::string::npos)
        << scrape;
    EXPECT_NE(scrape.find(R"(twake_webadmin_tasks_total{status="completed",type="scripted"} 1)"),
              std::string::npos)
        << scrape;
}

TEST(TaskManager, AdditionalInformationIsLive) {
    Fixture f;
    std::string id = f.submit("a", 30ms);
    f.run([&]() -> twake::http::Awaitable<void> {
        co_await sleep_for(15ms);
        auto r = f.manager.report(id);
        EXPECT_EQ(r->status, TaskStatus::InProgress);
        EXPECT_GT(cJSON_GetObjectItem(r->details->get(), "steps")->valuedouble, 0);
    });
}

TEST(TaskManager, CancelingAWaitingTaskEndsItAtOnce) {
    Fixture f;
    std::string first = f.submit("a", 10ms);
    std::string second = f.submit("b", 10ms);
    EXPECT_TRUE(f.manager.cancel(second));
    auto r = f.manager.report(second);
    EXPECT_EQ(r->status, TaskStatus::Canceled);
    EXPECT_EQ(r->cancelled_from, "worker-1");
    EXPECT_TRUE(r->canceled && !r->started);
    f.io.run();
    EXPECT_EQ(f.journal.events, (std::vector<std::string>{"start a", "end a"}));
    EXPECT_EQ(f.status(first), TaskStatus::Completed);
    EXPECT_FALSE(f.manager.cancel(first));  // finished: nothing to do
    EXPECT_FALSE(f.manager.cancel("00000000-0000-0000-0000-000000000000"));
}

TEST(TaskManager, CancelingARunningTaskPassesThroughCanceledRequested) {
    Fixture f;
    std::string id = f.submit("a", 10s);
    f.run([&]() -> twake::http::Awaitable<void> {
        co_await sleep_for(5ms);
        EXPECT_EQ(f.status(id), TaskStatus::InProgress);
        f.manager.cancel(id);
        EXPECT_EQ(f.status(id), TaskStatus::CanceledRequested);
        auto r = co_await f.manager.await(id, 5s);
        EXPECT_EQ(r->status, TaskStatus::Canceled);
        EXPECT_TRUE(r->started && r->canceled && !r->completed);
    });
}

TEST(TaskManager, AwaitReturnsTheFinishedReportOrTimesOut) {
    Fixture f;
    std::string slow = f.submit("slow", 50ms);
    f.run([&]() -> twake::http::Awaitable<void> {
        EXPECT_THROW(co_await f.manager.await(slow, 5ms), twake::tasks::AwaitTimeout);
        auto r = co_await f.manager.await(slow, 5s);
        EXPECT_EQ(r->status, TaskStatus::Completed);
        auto again = co_await f.manager.await(slow, 0ms);  // finished: no wait at all
        EXPECT_EQ(again->status, TaskStatus::Completed);
        auto unknown = co_await f.manager.await(std::string("nope"), 1s);
        EXPECT_FALSE(unknown.has_value());
    });
}

TEST(TaskManager, RetentionDropsTheOldestFinishedTasks) {
    Fixture f(twake::tasks::TaskRetention{2, std::chrono::hours(1)});
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(f.submit("t" + std::to_string(i), 1ms));
    }
    f.io.run();
    EXPECT_FALSE(f.manager.report(ids[0]).has_value());
    EXPECT_FALSE(f.manager.report(ids[1]).has_value());
    EXPECT_TRUE(f.manager.report(ids[2]).has_value());
    EXPECT_TRUE(f.manager.report(ids[3]).has_value());
    EXPECT_EQ(f.manager.list().size(), 2u);
}

TEST(TaskManager, RetentionByAge) {
    Fixture f(twake::tasks::TaskRetention{1000, std::chrono::hours(0)});
    std::string old = f.submit("a", 1ms);
    f.io.run();
    f.io.restart();
    std::this_thread::sleep_for(2ms);           // ended strictly before the cutoff
    std::string running = f.submit("b", 20ms);  // submitting prunes
    EXPECT_FALSE(f.manager.report(old).has_value());
    EXPECT_TRUE(f.manager.report(running).has_value());
    f.io.run();
}

TEST(TaskManager, StopCancelsTasksAndReleasesWaiters) {
    Fixture f;
    std::string running = f.submit("a", 10s);
    std::string waiting = f.submit("b", 10s);
    f.run([&]() -> twake::http::Awaitable<void> {
        co_await sleep_for(5ms);
        asio::co_spawn(
            f.io,
            [&]() -> twake::http::Awaitable<void> {
                co_await sleep_for(5ms);
                f.manager.stop();
            },
            asio::detached);
        // The running task's waiter is released at once: without a final report while the task
        // is still ending, or with it when the task's cancellation got through first (both
        // happen, depending on which handler the loop runs first).
        try {
            auto report = co_await f.manager.await(running, 10s);
            EXPECT_EQ(report->status, TaskStatus::Canceled);
        } catch (const twake::tasks::TaskManagerStopped&) {
        }
        // The waiting one ended at once.
        auto r = co_await f.manager.await(waiting, 10s);
        EXPECT_EQ(r->status, TaskStatus::Canceled);
    });
    EXPECT_EQ(f.status(running), TaskStatus::Canceled);
    EXPECT_EQ(f.status(waiting), TaskStatus::Canceled);
    EXPECT_THROW(f.submit("c", 1ms), twake::tasks::TaskManagerStopped);
}

#pragma once

// The alarm scheduler (docs/reference/alarms.md §4): every poll interval, the due rows of
// twake_calendar_alarm_events are fired one by one — in cluster mode under a lease — and
// each row moves on to its next alarm, or goes. At least once: a row is only advanced after
// its alarm went out, and a lease left by a dead worker expires.

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "worker/alarms/alarm_metrics.hpp"
#include "worker/alarms/scheduler_config.hpp"
#include "worker/realtime/server_messages.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/alarm_rows.hpp"
#include "worker/services/calendar_mailer.hpp"
#include "worker/store/alarm_leases.hpp"
#include "worker/store/alarm_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::alarms {

// Hands a DISPLAY alarm to the user's sockets; called on a blocking-pool thread.
using DisplaySink = std::function<void(const std::string& user, const realtime::DisplayAlarm&)>;

struct SchedulerContext {
    const SchedulerConfig& config;
    store::AlarmStore& alarms;
    store::AlarmLeases& leases;
    store::UserStore& users;
    const services::AlarmRows& rows;
    const services::CalendarMailer* mailer;  // nullptr: no smtp.host
    DisplaySink display;
    AlarmMetrics& metrics;
    runtime::BlockingPool& blocking;
};

class AlarmScheduler {
  public:
    AlarmScheduler(boost::asio::io_context& io, SchedulerContext context);
    ~AlarmScheduler();
    AlarmScheduler(const AlarmScheduler&) = delete;
    AlarmScheduler& operator=(const AlarmScheduler&) = delete;

    // Starts polling unless the mode is disabled.
    void start();
    void stop();

  private:
    struct State;
    runtime::Awaitable<void> loop(std::shared_ptr<State> state);
    runtime::Awaitable<void> tick();

    enum class Outcome { Sent, Failed, Leased, Past, MailOff, Gone };
    // Blocking.
    Outcome fire(const store::AlarmRow& row);
    void notify(const store::AlarmRow& row, std::chrono::system_clock::time_point now);
    void move_on(const store::AlarmRow& row);

    boost::asio::io_context& io_;
    SchedulerContext ctx_;
    std::shared_ptr<State> state_;
};

}  // namespace twake::alarms

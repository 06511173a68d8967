#include "worker/alarms/alarm_scheduler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>
#include <stdexcept>

#include "shared/log/log.hpp"
#include "shared/text/utc_time.hpp"
#include "worker/alarms/next_alarm.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/mail/calendar_event.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::alarms {

namespace asio = boost::asio;
using namespace std::chrono;

namespace {

const log::Logger kLog("worker.alarms");

// How long one alarm's work may take (its SMTP send included).
constexpr milliseconds kFireDeadline{120000};
// How often the pending rows are counted.
constexpr seconds kCountEvery{60};

milliseconds random_up_to(milliseconds max) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return milliseconds(std::uniform_int_distribution<int64_t>(0, max.count())(random));
}

sys_seconds now_seconds() {
    return time_point_cast<seconds>(system_clock::now());
}

}  // namespace

struct AlarmScheduler::State {
    explicit State(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    bool stopped = false;
    steady_clock::time_point last_count{};
};

AlarmScheduler::AlarmScheduler(asio::io_context& io, SchedulerContext context)
    : io_(io), ctx_(std::move(context)), state_(std::make_shared<State>(io)) {}

AlarmScheduler::~AlarmScheduler() {
    stop();
}

void AlarmScheduler::start() {
    if (ctx_.config.mode == SchedulerMode::Disabled) {
        kLog.info("Alarm scheduler disabled (alarm.event.scheduler.mode): no alarm is sent");
        return;
    }
    kLog.info("Alarm scheduler started",
              {{"mode", ctx_.config.mode == SchedulerMode::Cluster ? "cluster" : "single"},
               {"poll", std::to_string(ctx_.config.poll_interval.count()) + "ms"}});
    asio::co_spawn(io_, loop(state_), asio::detached);
}

void AlarmScheduler::stop() {
    state_->stopped = true;
    state_->timer.cancel();
}

runtime::Awaitable<void> AlarmScheduler::loop(std::shared_ptr<State> state) {
    milliseconds wait = random_up_to(ctx_.config.initial_jitter_max);
    while (!state->stopped) {
        state->timer.expires_after(wait);
        try {
            co_await state->timer.async_wait(asio::use_awaitable);
        } catch (const boost::system::system_error&) {
            // cancelled: stop() was called
        }
        if (state->stopped) {
            co_return;
        }
        try {
            co_await tick();
        } catch (const std::exception& e) {
            kLog.warn("Alarm scheduler tick failed", {{"error", e.what()}});
        }
        wait = ctx_.config.poll_interval;
    }
}

runtime::Awaitable<void> AlarmScheduler::tick() {
    const auto started = steady_clock::now();
    // Counting every row costs a full scan on FerretDB (3.5 s for 100,000 rows): once a minute.
    const bool count = started - state_->last_count >= kCountEvery;
    if (count) {
        state_->last_count = started;
    }
    auto read = [this, count] {
        const sys_seconds now = now_seconds();
        auto due = ctx_.alarms.due(now, ctx_.config.batch_size);
        ctx_.metrics.due(static_cast<int64_t>(due.size()));
        if (count) {
            ctx_.metrics.pending(ctx_.alarms.count());
        }
        return due;
    };
    const std::vector<store::AlarmRow> due = co_await runtime::run_store_call(ctx_.blocking, read);
    for (const store::AlarmRow& row : due) {
        auto work = [this, row] { return fire(row); };
        try {
            co_await ctx_.blocking.run(work, kFireDeadline);
        } catch (const std::exception& e) {
            kLog.warn("Alarm not fired", {{"uid", row.event_uid}, {"error", e.what()}});
        }
    }
    ctx_.metrics.tick(steady_clock::now() - started);
}

AlarmScheduler::Outcome AlarmScheduler::fire(const store::AlarmRow& row) {
    const bool cluster = ctx_.config.mode == SchedulerMode::Cluster;
    if (cluster &&
        !ctx_.leases.acquire(row.event_uid, row.recipient, row.alarm_time, ctx_.config.lease_ttl)) {
        ctx_.metrics.skipped("leased");
        return Outcome::Leased;
    }
    try {
        // Another node may have fired it between our read and our lease.
        if (!ctx_.alarms.fires_at(row.event_uid, row.recipient, row.alarm_time)) {
            ctx_.metrics.skipped("gone");
            return Outcome::Gone;
        }
        const auto now = system_clock::now();
        Outcome outcome = Outcome::Sent;
        if (row.event_start < now) {
            ctx_.metrics.skipped("past");
            outcome = Outcome::Past;
        } else if (action_from_name(row.action) == AlarmAction::Email) {
            auto user = ctx_.users.find_by_email(row.recipient);
            if (user && !ctx_.rows.alarm_emails_on(*user)) {
                ctx_.metrics.skipped("mail_off");
                outcome = Outcome::MailOff;
            }
        }
        if (outcome == Outcome::Sent) {
            notify(row, now);
            ctx_.metrics.sent(row.action, duration_cast<milliseconds>(now - row.alarm_time));
        }
        move_on(row);
        return outcome;
    } catch (const std::exception& e) {
        ctx_.metrics.failed(row.action);
        kLog.warn("Alarm not sent; tried again at the next tick",
                  {{"uid", row.event_uid}, {"action", row.action}, {"error", e.what()}});
        if (cluster) {
            try {
                ctx_.leases.release(row.event_uid, row.recipient, row.alarm_time);
            } catch (const std::exception& release_error) {
                kLog.warn("Alarm lease not released; it expires",
                          {{"uid", row.event_uid}, {"error", release_error.what()}});
            }
        }
        return Outcome::Failed;
    }
}

void AlarmScheduler::notify(const store::AlarmRow& row, system_clock::time_point now) {
    mail::CalendarEvent event = mail::read_first_event(row.ics);
    // The occurrence's times, for an occurrence of a repeating event.
    if (event.end) {
        event.end->instant += row.event_start - event.start.instant;
    }
    event.start.instant = row.event_start;
    if (action_from_name(row.action) == AlarmAction::Display) {
        if (ctx_.display) {
            ctx_.display(row.recipient, {event.summary, row.event_path,
                                         text::iso8601_utc_seconds(row.event_start)});
        }
        return;
    }
    if (ctx_.mailer == nullptr) {
        throw std::runtime_error("smtp.host is not configured");
    }
    services::MailRequest mail;
    mail.facts.kind = mail::MailKind::Alarm;
    mail.facts.event = event;
    mail.facts.recipient = mail::Person{"", row.recipient, ""};
    mail.facts.time_until_start = ceil<minutes>(row.event_start - now);
    mail.ics = row.ics;
    ctx_.mailer->send_now(mail);
}

void AlarmScheduler::move_on(const store::AlarmRow& row) {
    std::optional<NextAlarm> next;
    try {
        ical::Component calendar = ical::parse_calendar(row.ics);
        next = next_alarm(calendar.get(), row.recipient, now_seconds(), row.alarm_time);
    } catch (const std::invalid_argument&) {
        next.reset();
    }
    if (next) {
        for (const std::string& recipient : row_recipients(*next, row.recipient)) {
            if (recipient == row.recipient) {
                store::AlarmRow moved = row;
                moved.alarm_time = next->alarm_time;
                moved.event_start = next->event_start;
                moved.recurrence_id = next->recurrence_id;
                moved.action = action_name(next->action);
                ctx_.alarms.advance(row, moved);
                return;
            }
        }
    }
    ctx_.alarms.remove_fired(row.event_uid, row.recipient, row.alarm_time);
}

}  // namespace twake::alarms

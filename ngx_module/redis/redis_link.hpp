#pragma once

// One Redis connection of an nginx worker process, driven by nginx's event loop: hiredis's
// asynchronous API with an adapter that maps its read/write interest onto an
// ngx_connection_t. Nothing here ever blocks: a command on a link that is down answers
// "no reply" at once, every command has a deadline, and a lost link is re-established in the
// background with backoff.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ngx_module/metrics/edge_metrics.hpp"
#include "ngx_module/ngx.hpp"

extern "C" {
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
}

namespace twake::edge {

struct RedisTarget {
    std::string ip;  // numeric: resolved when the configuration is read, never per request
    int port = 6379;
    std::string password;  // AUTH when not empty
    int database = 0;      // SELECT when not 0
};

class RedisLink {
  public:
    // `on_up` / `on_down` are told when the link becomes usable / is lost (subscriptions are
    // re-made in on_up); `failures` (optional) counts connections lost or not made.
    RedisLink(RedisTarget target, ngx_log_t* log, metrics::Counter* failures,
              std::function<void()> on_up = {}, std::function<void()> on_down = {});
    ~RedisLink();
    RedisLink(const RedisLink&) = delete;
    RedisLink& operator=(const RedisLink&) = delete;

    void start();
    bool up() const { return state_ == State::Up; }

    using Done = std::function<void(redisReply* reply)>;  // nullptr: no reply (down, deadline)
    // Sends one command; `done` runs exactly once, on the event loop.
    void command(const std::vector<std::string>& args, ngx_msec_t deadline, Done done);
    // SUBSCRIBE; `on_message` gets each message's payload until the link is lost.
    void subscribe(const std::string& channel, std::function<void(std::string_view)> on_message);
    // A warning about this link, at most once per interval (an outage must not flood the log).
    void warn(const char* what, const char* detail);
    const RedisTarget& target() const { return target_; }

  private:
    enum class State { Down, Connecting, Up };
    struct Pending;

    RedisTarget target_;
    ngx_log_t* log_;
    metrics::Counter* failures_;
    std::function<void()> on_up_;
    std::function<void()> on_down_;
    redisAsyncContext* ac_ = nullptr;
    ngx_connection_t* conn_ = nullptr;
    State state_ = State::Down;
    ngx_event_t reconnect_timer_{};
    ngx_event_t connect_timer_{};
    ngx_msec_t backoff_ = 100;
    ngx_msec_t last_warning_ = 0;
    std::function<void(std::string_view)> on_message_;
    bool destroying_ = false;

    void connect();
    void connected(const redisAsyncContext* ac, int status);
    void give_up_connecting();
    void lost(const char* why);
    void schedule_reconnect();

    // hiredis hooks.
    static void add_read(void* data);
    static void del_read(void* data);
    static void add_write(void* data);
    static void del_write(void* data);
    static void cleanup(void* data);
    static void on_connect(const redisAsyncContext* ac, int status);
    static void on_disconnect(const redisAsyncContext* ac, int status);
    static void on_reply(redisAsyncContext* ac, void* reply, void* privdata);
    static void on_subscription(redisAsyncContext* ac, void* reply, void* privdata);
    // nginx hooks.
    static void readable(ngx_event_t* ev);
    static void writable(ngx_event_t* ev);
    static void reconnect_due(ngx_event_t* ev);
    static void connect_overdue(ngx_event_t* ev);
    static void deadline_passed(ngx_event_t* ev);
};

}  // namespace twake::edge

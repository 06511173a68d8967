#include "ngx_module/redis/redis_link.hpp"

#include <cstring>

#include "ngx_module/c_boundary.hpp"

namespace twake::edge {

namespace {

constexpr ngx_msec_t kMaxBackoff = 5000;
constexpr ngx_msec_t kConnectDeadline = 1000;
constexpr ngx_msec_t kWarningInterval = 30000;  // one warning per link per interval

}  // namespace

// A command in flight. hiredis calls on_reply exactly once for it (with nullptr when the
// link goes away); the deadline may answer the caller earlier, so `answered` guards `done`.
struct RedisLink::Pending {
    RedisLink* link;
    Done done;
    ngx_event_t deadline{};
    bool answered = false;

    void answer(redisReply* reply) {
        if (answered) {
            return;
        }
        answered = true;
        if (deadline.timer_set) {
            ngx_del_timer(&deadline);
        }
        Done d = std::move(done);
        at_c_boundary(link->log_, "Redis reply", [&] { d(reply); });
    }
};

RedisLink::RedisLink(RedisTarget target, ngx_log_t* log, metrics::Counter* failures,
                     std::function<void()> on_up, std::function<void()> on_down)
    : target_(std::move(target)),
      log_(log),
      failures_(failures),
      on_up_(std::move(on_up)),
      on_down_(std::move(on_down)) {
    reconnect_timer_.handler = reconnect_due;
    reconnect_timer_.data = this;
    reconnect_timer_.log = log_;
    reconnect_timer_.cancelable = 1;  // never keeps a worker process from exiting
    connect_timer_.handler = connect_overdue;
    connect_timer_.data = this;
    connect_timer_.log = log_;
    connect_timer_.cancelable = 1;
}

RedisLink::~RedisLink() {
    destroying_ = true;
    if (reconnect_timer_.timer_set) {
        ngx_del_timer(&reconnect_timer_);
    }
    if (connect_timer_.timer_set) {
        ngx_del_timer(&connect_timer_);
    }
    if (ac_ != nullptr) {
        redisAsyncFree(ac_);  // pending callbacks get nullptr replies, then cleanup()
        ac_ = nullptr;
    }
}

void RedisLink::start() {
    connect();
}

void RedisLink::warn(const char* what, const char* detail) {
    if (last_warning_ != 0 && ngx_current_msec - last_warning_ < kWarningInterval) {
        return;
    }
    last_warning_ = ngx_current_msec;
    ngx_log_error(NGX_LOG_WARN, log_, 0, "twake_calendar: Redis %s:%d %s: %s", target_.ip.c_str(),
                  target_.port, what, detail != nullptr ? detail : "");
}

void RedisLink::connect() {
    state_ = State::Connecting;
    ac_ = redisAsyncConnect(target_.ip.c_str(), target_.port);
    if (ac_ == nullptr || ac_->err) {
        warn("unreachable", ac_ != nullptr ? ac_->errstr : "out of memory");
        if (ac_ != nullptr) {
            redisAsyncFree(ac_);
            ac_ = nullptr;
        }
        state_ = State::Down;
        schedule_reconnect();
        return;
    }
    conn_ = ngx_get_connection(ac_->c.fd, log_);
    if (conn_ == nullptr) {
        warn("unreachable", "no free nginx connection");
        redisAsyncFree(ac_);
        ac_ = nullptr;
        state_ = State::Down;
        schedule_reconnect();
        return;
    }
    conn_->data = this;
    conn_->read->handler = readable;
    conn_->write->handler = writable;
    conn_->read->log = log_;
    conn_->write->log = log_;
    ac_->data = this;
    ac_->ev.data = this;
    ac_->ev.addRead = add_read;
    ac_->ev.delRead = del_read;
    ac_->ev.addWrite = add_write;
    ac_->ev.delWrite = del_write;
    ac_->ev.cleanup = cleanup;
    redisAsyncSetConnectCallback(ac_, on_connect);
    redisAsyncSetDisconnectCallback(ac_, on_disconnect);
    // A peer that swallows the SYN would leave hiredis connecting forever.
    ngx_add_timer(&connect_timer_, kConnectDeadline);
    if (!target_.password.empty()) {
        command({"AUTH", target_.password}, kConnectDeadline, [this](redisReply* r) {
            if (r == nullptr || r->type == REDIS_REPLY_ERROR) {
                warn("refused the password", r != nullptr ? r->str : "no answer");
            }
        });
    }
    if (target_.database != 0) {
        command({"SELECT", std::to_string(target_.database)}, kConnectDeadline, [](redisReply*) {});
    }
}

void RedisLink::lost(const char* why) {
    bool was_up = state_ == State::Up;
    state_ = State::Down;
    on_message_ = nullptr;
    if (connect_timer_.timer_set) {
        ngx_del_timer(&connect_timer_);
    }
    if (!destroying_) {
        warn("connection lost", why);
        if (was_up && on_down_) {
            on_down_();
        }
        schedule_reconnect();
    }
}

void RedisLink::schedule_reconnect() {
    if (failures_ != nullptr && !destroying_) {
        metrics::EdgeMetrics::add(*failures_);
    }
    if (destroying_ || reconnect_timer_.timer_set || ngx_exiting || ngx_terminate || ngx_quit) {
        return;
    }
    ngx_add_timer(&reconnect_timer_, backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
}

void RedisLink::command(const std::vector<std::string>& args, ngx_msec_t deadline, Done done) {
    if (ac_ == nullptr || state_ == State::Down) {
        done(nullptr);
        return;
    }
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    auto* pending = new Pending{this, std::move(done)};
    pending->deadline.handler = deadline_passed;
    pending->deadline.data = pending;
    pending->deadline.log = log_;
    pending->deadline.cancelable = 1;
    if (redisAsyncCommandArgv(ac_, on_reply, pending, static_cast<int>(argv.size()), argv.data(),
                              lengths.data()) != REDIS_OK) {
        Done d = std::move(pending->done);
        delete pending;
        d(nullptr);
        return;
    }
    ngx_add_timer(&pending->deadline, deadline);
}

void RedisLink::subscribe(const std::string& channel,
                          std::function<void(std::string_view)> on_message) {
    if (ac_ == nullptr || state_ != State::Up) {
        return;
    }
    on_message_ = std::move(on_message);
    const char* argv[] = {"SUBSCRIBE", channel.c_str()};
    size_t lengths[] = {9, channel.size()};
    redisAsyncCommandArgv(ac_, on_subscription, this, 2, argv, lengths);
}

// -- hiredis hooks --------------------------------------------------------------------------
void RedisLink::add_read(void* data) {
    auto* link = static_cast<RedisLink*>(data);
    if (link->conn_ != nullptr && !link->conn_->read->active) {
        ngx_add_event(link->conn_->read, NGX_READ_EVENT, NGX_LEVEL_EVENT);
    }
}

void RedisLink::del_read(void* data) {
    auto* link = static_cast<RedisLink*>(data);
    if (link->conn_ != nullptr && link->conn_->read->active) {
        ngx_del_event(link->conn_->read, NGX_READ_EVENT, 0);
    }
}

void RedisLink::add_write(void* data) {
    auto* link = static_cast<RedisLink*>(data);
    if (link->conn_ != nullptr && !link->conn_->write->active) {
        ngx_add_event(link->conn_->write, NGX_WRITE_EVENT, NGX_LEVEL_EVENT);
    }
}

void RedisLink::del_write(void* data) {
    auto* link = static_cast<RedisLink*>(data);
    if (link->conn_ != nullptr && link->conn_->write->active) {
        ngx_del_event(link->conn_->write, NGX_WRITE_EVENT, 0);
    }
}

void RedisLink::cleanup(void* data) {
    auto* link = static_cast<RedisLink*>(data);
    if (link->conn_ == nullptr) {
        return;
    }
    del_read(data);
    del_write(data);
    // hiredis closes the socket itself: give the slot back without closing it.
    link->conn_->fd = static_cast<ngx_socket_t>(-1);
    ngx_free_connection(link->conn_);
    link->conn_ = nullptr;
}

void RedisLink::on_connect(const redisAsyncContext* ac, int status) {
    auto* link = static_cast<RedisLink*>(ac->data);
    at_c_boundary(link->log_, "Redis connect", [&] { link->connected(ac, status); });
}

void RedisLink::connected(const redisAsyncContext* ac, int status) {
    if (connect_timer_.timer_set) {
        ngx_del_timer(&connect_timer_);
    }
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        ac_ = nullptr;
        lost(ac->errstr);
        return;
    }
    state_ = State::Up;
    backoff_ = 100;
    if (last_warning_ != 0) {
        ngx_log_error(NGX_LOG_NOTICE, log_, 0, "twake_calendar: Redis %s:%d reachable again",
                      target_.ip.c_str(), target_.port);
        last_warning_ = 0;
    }
    if (on_up_) {
        on_up_();
    }
}

void RedisLink::on_disconnect(const redisAsyncContext* ac, int status) {
    auto* link = static_cast<RedisLink*>(ac->data);
    link->ac_ = nullptr;  // hiredis frees the context after this callback
    at_c_boundary(link->log_, "Redis disconnect",
                  [&] { link->lost(status == REDIS_OK ? "closed" : ac->errstr); });
}

void RedisLink::on_reply(redisAsyncContext*, void* reply, void* privdata) {
    auto* pending = static_cast<Pending*>(privdata);
    pending->answer(static_cast<redisReply*>(reply));
    delete pending;
}

void RedisLink::on_subscription(redisAsyncContext* ac, void* r, void*) {
    auto* link = static_cast<RedisLink*>(ac->data);
    auto* reply = static_cast<redisReply*>(r);
    if (link == nullptr || reply == nullptr || reply->type != REDIS_REPLY_ARRAY ||
        reply->elements != 3) {
        return;
    }
    redisReply* kind = reply->element[0];
    redisReply* payload = reply->element[2];
    if (kind->type == REDIS_REPLY_STRING && std::strncmp(kind->str, "message", kind->len) == 0 &&
        payload->type == REDIS_REPLY_STRING && link->on_message_) {
        at_c_boundary(link->log_, "Redis message",
                      [&] { link->on_message_(std::string_view(payload->str, payload->len)); });
    }
}

// -- nginx hooks ----------------------------------------------------------------------------
void RedisLink::readable(ngx_event_t* ev) {
    auto* link = static_cast<RedisLink*>(static_cast<ngx_connection_t*>(ev->data)->data);
    if (link->ac_ != nullptr) {
        redisAsyncHandleRead(link->ac_);
    }
}

void RedisLink::writable(ngx_event_t* ev) {
    auto* link = static_cast<RedisLink*>(static_cast<ngx_connection_t*>(ev->data)->data);
    if (link->ac_ != nullptr) {
        redisAsyncHandleWrite(link->ac_);
    }
}

void RedisLink::reconnect_due(ngx_event_t* ev) {
    auto* link = static_cast<RedisLink*>(ev->data);
    at_c_boundary(link->log_, "Redis reconnect", [link] { link->connect(); });
}

void RedisLink::connect_overdue(ngx_event_t* ev) {
    auto* link = static_cast<RedisLink*>(ev->data);
    at_c_boundary(link->log_, "Redis connect timeout", [link] { link->give_up_connecting(); });
}

void RedisLink::give_up_connecting() {
    if (ac_ != nullptr && state_ == State::Connecting) {
        redisAsyncContext* ac = ac_;
        ac_ = nullptr;
        destroying_ = true;  // redisAsyncFree calls on_disconnect: no double reconnect
        redisAsyncFree(ac);
        destroying_ = false;
        state_ = State::Down;
        warn("unreachable", "connection timed out");
        schedule_reconnect();
    }
}

void RedisLink::deadline_passed(ngx_event_t* ev) {
    // The caller gets "no reply" now; hiredis still owns the Pending and frees it later.
    static_cast<Pending*>(ev->data)->answer(nullptr);
}

}  // namespace twake::edge

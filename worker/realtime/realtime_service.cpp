#include "worker/realtime/realtime_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

#include "shared/log/log.hpp"
#include "worker/realtime/client_message.hpp"
#include "worker/realtime/server_messages.hpp"

namespace twake::realtime {

namespace asio = boost::asio;

namespace {

const log::Logger kLog("worker.realtime");

// DAV checks of one register message at once (docs/reference/realtime.md §2.2).
constexpr std::size_t kParallelChecks = 8;

std::string round_key(const std::string& user, const std::string& path) {
    return user + '\n' + path;
}

std::string_view push_type(const CollectionPath& path) {
    return path.kind == CollectionKind::Calendar ? "sync_token" : "addressbook";
}

// The registrations one register message asks, checked at most kParallelChecks at a time.
struct CheckBatch {
    explicit CheckBatch(asio::io_context& io) : done(io) {}
    std::vector<CollectionPath> paths;
    std::vector<TokenAnswer> answers;
    std::size_t next = 0;
    std::size_t running = 0;
    asio::steady_timer done;  // cancelled when the last check ends
};

// [[maybe_unused]]: GCC 12 reports a coroutine only used through co_spawn as unused.
// References (GCC 12 can destroy a by-value coroutine parameter twice): the spawner's
// completion handler holds the batch, the connection being handled holds the user.
[[maybe_unused]] runtime::Awaitable<void> check_worker(DavSyncTokens& tokens,
                                                       const std::string& user, CheckBatch& batch) {
    while (batch.next < batch.paths.size()) {
        std::size_t i = batch.next++;
        batch.answers[i] = co_await tokens.fetch(user, batch.paths[i]);
    }
}

// What a push round works on, held by its spawner's completion handler.
struct RoundTarget {
    std::string user;
    CollectionPath path;
};

}  // namespace

RealtimeService::RealtimeService(asio::io_context& io, const RealtimeLimits& limits,
                                 DavSyncTokens& tokens, RealtimeMetrics& metrics)
    : io_(io), limits_(limits), tokens_(tokens), metrics_(metrics) {}

bool RealtimeService::accepting() const {
    return !stopping_ && registry_.size() < limits_.max_connections;
}

void RealtimeService::update_gauges() {
    metrics_.connections(registry_.size());
    metrics_.registrations(registry_.calendars(), registry_.address_books(), registry_.displays());
}

void RealtimeService::opened(Connection& connection) {
    registry_.add(connection);
    update_gauges();
    // The user's default subscription (calendar list) is implicit: every socket of the user
    // receives its calendar-list pushes.
    connection.send(calendar_list_registered_message());
    if (stopping_) {
        connection.close_going_away("shutdown");  // upgraded while the worker was stopping
    }
}

void RealtimeService::closed(Connection& connection, CloseReason reason) {
    if (!registry_.contains(connection)) {
        return;
    }
    registry_.remove(connection);
    metrics_.closed(reason);
    update_gauges();
}

void RealtimeService::send(Connection& connection, std::string message, std::string_view type) {
    if (connection.send(std::move(message))) {
        metrics_.pushed(type);
    } else {
        metrics_.dropped("slow_consumer");
    }
}

runtime::Awaitable<void> RealtimeService::handle(Connection& connection, const std::string& text) {
    ClientMessage message = parse_client_message(text);
    if (std::holds_alternative<InvalidMessage>(message)) {
        connection.send(error_message(kInvalidRequest));
    } else if (std::holds_alternative<OtherMessage>(message)) {
        connection.send(empty_message());
    } else if (auto* display = std::get_if<DisplayNotificationRequest>(&message)) {
        registry_.set_display(connection, display->enable);
        update_gauges();
        connection.send(display_notification_message(display->enable));
    } else {
        co_await handle_register(connection, std::get<RegisterRequest>(message));
    }
}

runtime::Awaitable<void> RealtimeService::handle_register(Connection& connection,
                                                          const RegisterRequest& request) {
    auto checked = check_register(request);
    if (auto* error = std::get_if<std::string_view>(&checked)) {
        connection.send(error_message(*error));
        co_return;
    }
    auto& paths = std::get<CheckedRegister>(checked);
    RegisterReply reply;
    for (const auto& path : paths.remove) {
        registry_.unregister_path(connection, path);
        reply.unregistered.push_back(path.path());
    }
    // Already registered: answered again, no DAV call. New ones within the limit are checked.
    auto batch = std::make_shared<CheckBatch>(io_);
    std::size_t room = limits_.max_registrations > registry_.registration_count(connection)
                           ? limits_.max_registrations - registry_.registration_count(connection)
                           : 0;
    std::vector<bool> over_limit;
    for (const auto& path : paths.add) {
        if (registry_.registered(connection, path)) {
            continue;
        }
        if (batch->paths.size() < room) {
            batch->paths.push_back(path);
        } else {
            reply.not_registered[path.path()] = kTooManyRegistrations;
            metrics_.registered("limit");
        }
    }
    batch->answers.resize(batch->paths.size());
    if (!batch->paths.empty()) {
        batch->done.expires_at(asio::steady_timer::time_point::max());
        std::size_t workers = std::min(kParallelChecks, batch->paths.size());
        batch->running = workers;
        const std::string& user = connection.user();
        for (std::size_t i = 0; i < workers; ++i) {
            asio::co_spawn(io_, check_worker(tokens_, user, *batch), [batch](std::exception_ptr) {
                if (--batch->running == 0) {
                    batch->done.cancel();
                }
            });
        }
        boost::system::error_code ec;
        co_await batch->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    for (const auto& path : paths.add) {
        std::string text_path = path.path();
        if (reply.not_registered.contains(text_path)) {
            continue;
        }
        auto it = std::find(batch->paths.begin(), batch->paths.end(), path);
        if (it == batch->paths.end()) {
            reply.registered.push_back(text_path);  // registered before
            continue;
        }
        const TokenAnswer& answer =
            batch->answers[static_cast<std::size_t>(it - batch->paths.begin())];
        switch (answer.outcome) {
            case TokenAnswer::Outcome::Token:
                registry_.register_path(connection, path, answer.token);
                reply.registered.push_back(text_path);
                metrics_.registered("registered");
                break;
            case TokenAnswer::Outcome::Forbidden:
                reply.not_registered[text_path] = kForbidden;
                metrics_.registered("forbidden");
                break;
            case TokenAnswer::Outcome::NotFound:
                reply.not_registered[text_path] = kNotFound;
                metrics_.registered("not_found");
                break;
            case TokenAnswer::Outcome::Error:
                reply.not_registered[text_path] = kInternalError;
                metrics_.registered("error");
                break;
        }
    }
    update_gauges();
    connection.send(reply.to_json());
}

void RealtimeService::deliver(const PushEvent& event) {
    switch (event.type) {
        case PushEvent::Type::CalendarChange:
        case PushEvent::Type::AddressBookChange:
            if (auto path = parse_collection_path(event.path)) {
                collection_changed(*path);
            }
            return;
        case PushEvent::Type::CalendarList:
            if (auto user = event.user()) {
                for (Connection* c : registry_.of_user(*user)) {
                    send(*c, calendar_list_message(event.change, event.path), "calendar_list");
                }
            }
            return;
        case PushEvent::Type::Alarm:
            if (auto user = event.user()) {
                for (Connection* c : registry_.with_display(*user)) {
                    send(*c, alarm_message(event.alarm), "alarm");
                }
            }
            return;
        case PushEvent::Type::SessionRevoked:
            if (event.sid.empty()) {
                return;
            }
            for (Connection* c : registry_.all()) {
                if (c->sid() == event.sid) {
                    c->close_revoked();
                }
            }
            return;
    }
}

void RealtimeService::revoke_session(const std::string& sid) {
    push(PushEvent::session_revoked(sid));
}

void RealtimeService::push(const PushEvent& event) {
    deliver(event);
    if (other_nodes_) {
        other_nodes_(event);
    }
}

void RealtimeService::push_alarm(const std::string& user, const DisplayAlarm& alarm) {
    push(PushEvent::display_alarm(user, alarm));
}

void RealtimeService::collection_changed(const CollectionPath& path) {
    std::string text = path.path();
    for (const auto& user : registry_.users_registered_to(text)) {
        if (coalescer_.changed(round_key(user, text))) {
            auto target = std::make_shared<RoundTarget>(RoundTarget{user, path});
            asio::co_spawn(io_, push_round(target->user, target->path),
                           [target](std::exception_ptr) {});
        }
    }
}

runtime::Awaitable<void> RealtimeService::push_round(const std::string& user,
                                                     const CollectionPath& path) {
    const std::string text = path.path();
    const std::string key = round_key(user, text);
    asio::steady_timer timer(io_);
    do {
        timer.expires_after(limits_.push_debounce);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        coalescer_.fetch_started(key);
        if (registry_.registered_to(user, text).empty()) {
            continue;  // every socket of the user left meanwhile
        }
        TokenAnswer answer = co_await tokens_.fetch(user, path);
        if (answer.outcome != TokenAnswer::Outcome::Token) {
            metrics_.dropped(answer.outcome == TokenAnswer::Outcome::Error ? "dav_error"
                                                                           : "no_access");
            continue;
        }
        for (Connection* c : registry_.registered_to(user, text)) {
            if (registry_.token_is_new(*c, text, answer.token)) {
                send(*c, sync_token_message(text, answer.token), push_type(path));
            }
        }
    } while (coalescer_.fetch_finished(key));
}

void RealtimeService::stop() {
    stopping_ = true;
    for (Connection* c : registry_.all()) {
        c->close_going_away("shutdown");
    }
    kLog.info("WebSockets closing", {{"count", std::to_string(registry_.size())}});
}

}  // namespace twake::realtime

#include "worker/health/health_registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "shared/log/log.hpp"

namespace twake::health {

namespace asio = boost::asio;

namespace {
const log::Logger kLog("worker.healthcheck");
}

std::shared_ptr<HealthCheck> HealthRegistry::find(std::string_view name) const {
    for (const auto& c : checks_) {
        if (c->name() == name) {
            return c;
        }
    }
    return nullptr;
}

http::Awaitable<Result> HealthRegistry::run_one(const std::shared_ptr<HealthCheck>& check) {
    Result result;
    try {
        auto probe = [check] { return check->check(); };
        result = co_await pool_.run(std::move(probe), timeout_);
    } catch (const runtime::DeadlineExceeded&) {
        result = Result{check->name(), Status::Unhealthy,
                        "No answer within " + std::to_string(timeout_.count()) + " ms"};
    } catch (const std::exception& e) {
        result = Result{check->name(), Status::Unhealthy, e.what()};
    }
    if (result.status == Status::Unhealthy) {
        kLog.error("Health check failed",
                   {{"component", result.component}, {"cause", result.cause.value_or("")}});
    } else if (result.status == Status::Degraded) {
        kLog.warn("Health check degraded",
                  {{"component", result.component}, {"cause", result.cause.value_or("")}});
    }
    co_return result;
}

http::Awaitable<std::vector<Result>> HealthRegistry::run(
    const std::vector<std::shared_ptr<HealthCheck>>& checks) {
    auto executor = co_await asio::this_coro::executor;
    // Start every check first, then collect: they run concurrently on the pool.
    struct Pending {
        std::optional<Result> result;
    };
    std::vector<std::shared_ptr<Pending>> pending;
    auto remaining = std::make_shared<std::size_t>(checks.size());
    auto done =
        std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    for (const auto& check : checks) {
        auto slot = std::make_shared<Pending>();
        pending.push_back(slot);
        asio::co_spawn(
            executor,
            [this, check, slot, remaining, done]() -> http::Awaitable<void> {
                slot->result = co_await run_one(check);
                if (--*remaining == 0) {
                    done->cancel();
                }
            },
            asio::detached);
    }
    if (*remaining > 0) {
        boost::system::error_code ec;
        co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    std::vector<Result> results;
    for (const auto& p : pending) {
        results.push_back(std::move(*p->result));
    }
    co_return results;
}

}  // namespace twake::health

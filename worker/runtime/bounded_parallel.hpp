#pragma once

// Runs one blocking call per input on the blocking pool, at most `at_once` at a time, and
// resumes once every call ended: the tasks' reads of many calendars or users, bounded so
// that the consumers and the routes keep threads of the pool meanwhile.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::runtime {

// The result of one call, or what it threw (DeadlineExceeded after the deadline).
template <class R>
struct CallOutcome {
    std::optional<R> value;
    std::string error;
};

namespace detail {

template <class In, class R>
struct BoundedRound {
    BoundedRound(const boost::asio::any_io_executor& executor, const std::vector<In>& in,
                 const std::function<R(const In&)>& f)
        : inputs(in), fn(f), outcomes(in.size()), done(executor) {}
    std::vector<In> inputs;
    std::function<R(const In&)> fn;
    std::vector<CallOutcome<R>> outcomes;
    std::size_t next = 0;
    std::size_t running = 0;
    boost::asio::steady_timer done;  // cancelled when the last runner ends
};

// By reference (GCC 12 can destroy a by-value coroutine parameter twice): the spawner's
// completion handler holds the round.
template <class In, class R>
Awaitable<void> bounded_runner(BlockingPool& pool, std::chrono::milliseconds deadline,
                               BoundedRound<In, R>& round) {
    while (round.next < round.inputs.size()) {
        std::size_t i = round.next++;
        auto call = [fn = round.fn, input = round.inputs[i]] { return fn(input); };
        try {
            round.outcomes[i].value = co_await pool.run(call, deadline);
        } catch (const std::exception& e) {
            round.outcomes[i].error = e.what();
        }
    }
}

}  // namespace detail

// `fn` is copied into each call: it must capture values and long-lived objects only
// (BlockingPool::run's rule). Outcomes are in the inputs' order.
template <class In, class R>
Awaitable<std::vector<CallOutcome<R>>> run_bounded(BlockingPool& pool,
                                                   const std::vector<In>& inputs,
                                                   std::size_t at_once,
                                                   std::chrono::milliseconds deadline,
                                                   const std::function<R(const In&)>& fn) {
    namespace asio = boost::asio;
    auto executor = co_await asio::this_coro::executor;
    auto round = std::make_shared<detail::BoundedRound<In, R>>(executor, inputs, fn);
    if (!inputs.empty()) {
        round->done.expires_at(asio::steady_timer::time_point::max());
        round->running = std::min(std::max<std::size_t>(at_once, 1), inputs.size());
        for (std::size_t i = 0; i < round->running; ++i) {
            asio::co_spawn(executor, detail::bounded_runner(pool, deadline, *round),
                           [round](std::exception_ptr) {
                               if (--round->running == 0) {
                                   round->done.cancel();
                               }
                           });
        }
        boost::system::error_code ec;
        co_await round->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return std::move(round->outcomes);
}

}  // namespace twake::runtime

#pragma once

// Runs blocking client-library calls (libmongoc, librabbitmq, hiredis, libldap, libcurl) on
// a small thread pool so that the worker's event loop never waits on them, and gives up on
// a call that outlives its deadline (the call itself is bounded by the library's own
// timeouts; the deadline only stops the caller from waiting longer).

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "worker/runtime/awaitable.hpp"

namespace twake::runtime {

class DeadlineExceeded : public std::runtime_error {
  public:
    DeadlineExceeded() : std::runtime_error("deadline exceeded") {}
};

class BlockingPool {
  public:
    BlockingPool(boost::asio::io_context& io, std::size_t threads) : io_(io), pool_(threads) {}
    ~BlockingPool() { pool_.join(); }

    void stop() { pool_.stop(); }

    // Runs a copy of `fn` on the pool; resumes on the io_context with its result, or throws
    // DeadlineExceeded after `deadline`, or rethrows what `fn` threw. `fn` is taken by
    // reference: GCC 12 can destroy a by-value parameter of a co_awaited call twice.
    // After a deadline the call may still be running while the caller is gone: `fn` must
    // capture values and long-lived objects only, never the caller's locals by reference.
    template <class Fn>
    runtime::Awaitable<std::invoke_result_t<Fn>> run(const Fn& fn,
                                                     std::chrono::milliseconds deadline) {
        using T = std::invoke_result_t<Fn>;
        struct State {
            explicit State(boost::asio::io_context& io) : timer(io) {}
            boost::asio::steady_timer timer;
            std::optional<T> value;
            std::exception_ptr error;
            bool finished = false;
        };
        auto state = std::make_shared<State>(io_);
        state->timer.expires_after(deadline);
        boost::asio::post(pool_, [state, fn, &io = io_]() mutable {
            std::optional<T> value;
            std::exception_ptr error;
            try {
                value.emplace(fn());
            } catch (...) {
                error = std::current_exception();
            }
            // Back on the event loop: only that thread touches `state` after the start.
            boost::asio::post(io, [state, value = std::move(value), error]() mutable {
                if (state->finished) {
                    return;
                }
                state->finished = true;
                state->value = std::move(value);
                state->error = error;
                state->timer.cancel();
            });
        });
        boost::system::error_code ec;
        co_await state->timer.async_wait(
            boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        if (!state->finished) {
            state->finished = true;
            throw DeadlineExceeded();
        }
        if (state->error) {
            std::rethrow_exception(state->error);
        }
        co_return std::move(*state->value);
    }

  private:
    boost::asio::io_context& io_;
    boost::asio::thread_pool pool_;
};

}  // namespace twake::runtime

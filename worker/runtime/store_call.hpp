#pragma once

// The one way the worker calls its blocking stores from the event loop: on the blocking pool,
// under the one storage deadline, after which the caller answers 503 (DeadlineExceeded).

#include <chrono>
#include <type_traits>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::runtime {

// How long a caller waits for one storage call.
inline constexpr std::chrono::milliseconds kStoreDeadline{15000};

// `work` follows BlockingPool::run's rules: it captures values and long-lived objects only,
// and the caller keeps it alive while awaiting (pass a named lambda, not a temporary).
template <class Fn>
Awaitable<std::invoke_result_t<Fn>> run_store_call(BlockingPool& pool, const Fn& work) {
    return pool.run(work, kStoreDeadline);
}

}  // namespace twake::runtime

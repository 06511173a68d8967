#pragma once

// The coroutine type of the worker's event loop. Its own header so that the runtime and the
// tasks need not depend on worker/http/ for it.

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>

namespace twake::runtime {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

}  // namespace twake::runtime

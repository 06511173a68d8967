#pragma once

// nginx's C headers, for the C++ side of the module; nothing else includes them directly.
extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
}

#include <cstdint>
#include <string_view>

namespace twake::ngx {

inline std::string_view view(const ngx_str_t& s) {
    return {reinterpret_cast<const char*>(s.data), s.len};
}

// nginx's cached wall clock in epoch milliseconds (updated on every turn of the event loop):
// no clock call per request, and the one clock the cache's entries are stamped with.
inline int64_t now_ms() {
    ngx_time_t* t = ngx_timeofday();
    return static_cast<int64_t>(t->sec) * 1000 + static_cast<int64_t>(t->msec);
}

}  // namespace twake::ngx

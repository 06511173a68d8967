#pragma once

// Every entry from C into the module's C++ (an nginx event handler, a hiredis callback) runs
// its body through here: an exception unwinding through nginx's or hiredis's C frames is
// undefined behaviour, so it is caught at the boundary and logged. Request handlers have their
// own catch (they answer 500); these are the callbacks without a request.

#include <exception>

#include "ngx_module/ngx.hpp"

namespace twake::edge {

template <class Body>
void at_c_boundary(ngx_log_t* log, const char* where, Body&& body) noexcept {
    try {
        body();
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ALERT, log, 0, "twake_calendar: %s: %s", where, e.what());
    } catch (...) {
        ngx_log_error(NGX_LOG_ALERT, log, 0, "twake_calendar: %s: unknown exception", where);
    }
}

}  // namespace twake::edge

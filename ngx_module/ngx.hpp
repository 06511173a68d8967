#pragma once

// nginx's C headers, for the C++ side of the module; nothing else includes them directly.
extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
}

#include <string_view>

namespace twake::ngx {

inline std::string_view view(const ngx_str_t& s) {
    return {reinterpret_cast<const char*>(s.data), s.len};
}

}  // namespace twake::ngx

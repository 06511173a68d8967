#pragma once

// Ownership of libjwt (1.10) objects.

#include <jwt.h>

#include <memory>

namespace twake::jwt {

struct JwtFree {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

// A decoded libjwt token (jwt_new / jwt_decode), freed with jwt_free.
using JwtHandle = std::unique_ptr<jwt_t, JwtFree>;

}  // namespace twake::jwt

#pragma once

// Authentication of the webadmin listener (docs/webadmin.md §3.1): password mode with three access
// levels, or none. The JWT mode is refused when the configuration is read.
//
// A secret comes from the `Password` header, else from `Authorization: Bearer <secret>`, and
// is compared in constant time with every configured one. Public routes (health checks,
// metrics, the IdP's back-channel logout) and OPTIONS requests are never checked.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/config/worker_config.hpp"
#include "worker/http/message.hpp"
#include "worker/http/uri.hpp"

namespace twake::webadmin {

enum class AccessLevel {
    ReadOnly,  // password.readonly: GET and HEAD
    NoDelete,  // password.nodelete: every method but DELETE
    Full,      // password
};

// Whether a secret of `level` may send a request with `method`.
bool access_permits(AccessLevel level, http::beast_http::verb method);

// Routes that are never authenticated: GET /healthcheck, /healthcheck/checks,
// /healthcheck/checks/{name}, /metrics (and their HEAD), POST /add-revoked-token. Matched on
// decoded segments, as the router matches them.
bool is_public_route(http::beast_http::verb method, const http::Target& target);

// The secret a request presents, or nullopt (an empty value counts as none).
std::optional<std::string> presented_secret(const http::Request& request);

class PasswordAuthenticator {
  public:
    PasswordAuthenticator(std::vector<std::string> full, std::vector<std::string> nodelete,
                          std::vector<std::string> readonly);

    // The highest level the secret grants, or nullopt. Compares with every configured secret
    // (no early exit), so the time taken does not tell which list holds it.
    std::optional<AccessLevel> level_of(std::string_view secret) const;

    // Nullopt when the request may go on; otherwise the answer: 401 without a secret or with
    // an unknown one, 403 when its level does not allow the method.
    std::optional<http::Response> check(const http::Request& request) const;

  private:
    std::vector<std::string> full_;
    std::vector<std::string> nodelete_;
    std::vector<std::string> readonly_;
};

// The authentication the configuration asks for. When no password is configured and
// `password.generate` is true, draws a random password, writes it to
// `generated_password_file` (mode 0600) and logs where, never what. Nullopt: no
// authentication at all (logged as a WARN). Throws config::ConfigError when the generated
// password cannot be written.
std::optional<PasswordAuthenticator> webadmin_authentication(const config::WebadminConfig& config);

// 32 random bytes from the kernel's CSPRNG, base64url (43 characters).
std::string generate_password();

// Writes `secret` and a newline to `path`, readable by the owner only (0600): an existing
// file is replaced, never written through (no symlink following). Creates a missing parent
// folder (0700). Throws std::runtime_error.
void write_secret_file(const std::filesystem::path& path, std::string_view secret);

}  // namespace twake::webadmin

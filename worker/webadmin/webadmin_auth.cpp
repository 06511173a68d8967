#include "worker/webadmin/webadmin_auth.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "shared/config/config_error.hpp"
#include "shared/identity/address.hpp"
#include "shared/crypto/digest.hpp"
#include "shared/log/log.hpp"
#include "shared/text/base64url.hpp"
#include "worker/webadmin/webadmin_error.hpp"
#include "worker/webadmin/webadmin_log.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

const log::Logger kLog("worker.webadmin.auth");

// James's filter answers these as plain text; they are sent in the JSON error body here.
constexpr std::string_view kNoPassword = "No Password in header.";
constexpr std::string_view kWrongPassword = "Wrong password.";
constexpr std::string_view kInsufficient = "Insufficient permissions for this operation.";

std::string trimmed(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
        return "";
    }
    size_t e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// Raises `best` to `level` when `secret` is one of `candidates`; looks at every candidate.
void consider(const std::vector<std::string>& candidates, std::string_view secret,
              AccessLevel level, std::optional<AccessLevel>& best) {
    for (const auto& candidate : candidates) {
        if (crypto::secrets_equal(secret, candidate) && (!best || *best < level)) {
            best = level;
        }
    }
}

std::string header_or_empty(const http::Request& request, std::string_view name) {
    auto it = request.find(name);
    return it == request.end() ? std::string() : std::string(it->value());
}

}  // namespace

bool access_permits(AccessLevel level, verb method) {
    switch (level) {
        case AccessLevel::Full:
            return true;
        case AccessLevel::NoDelete:
            return method != verb::delete_;
        case AccessLevel::ReadOnly:
            return method == verb::get || method == verb::head;
    }
    return false;
}

bool is_public_route(verb method, const http::Target& target) {
    const auto& s = target.segments();
    if (method == verb::get || method == verb::head) {
        if (s.size() == 1 && (s[0] == "healthcheck" || s[0] == "metrics")) {
            return true;
        }
        if (s.size() >= 2 && s.size() <= 3 && s[0] == "healthcheck" && s[1] == "checks") {
            return s.size() == 2 || !s[2].empty();
        }
        return false;
    }
    return method == verb::post && s.size() == 1 && s[0] == "add-revoked-token";
}

std::optional<std::string> presented_secret(const http::Request& request) {
    auto password = request.find("Password");
    if (password != request.end()) {
        std::string value = trimmed(password->value());
        if (!value.empty()) {
            return value;
        }
    }
    auto authorization = request.find(http::beast_http::field::authorization);
    if (authorization != request.end()) {
        std::string_view value = authorization->value();
        constexpr std::string_view kBearer = "bearer ";
        if (value.size() > kBearer.size() &&
            identity::lower(value.substr(0, kBearer.size())) == kBearer) {
            std::string secret = trimmed(value.substr(kBearer.size()));
            if (!secret.empty()) {
                return secret;
            }
        }
    }
    return std::nullopt;
}

PasswordAuthenticator::PasswordAuthenticator(std::vector<std::string> full,
                                             std::vector<std::string> nodelete,
                                             std::vector<std::string> readonly)
    : full_(std::move(full)), nodelete_(std::move(nodelete)), readonly_(std::move(readonly)) {}

std::optional<AccessLevel> PasswordAuthenticator::level_of(std::string_view secret) const {
    std::optional<AccessLevel> best;
    if (secret.empty()) {
        return best;
    }
    consider(full_, secret, AccessLevel::Full, best);
    consider(nodelete_, secret, AccessLevel::NoDelete, best);
    consider(readonly_, secret, AccessLevel::ReadOnly, best);
    return best;
}

std::optional<http::Response> PasswordAuthenticator::check(const http::Request& request) const {
    if (request.method() == verb::options) {
        return std::nullopt;  // CORS preflights carry no credentials
    }
    auto target =
        http::Target::parse(std::string_view(request.target().data(), request.target().size()));
    if (target && is_public_route(request.method(), *target)) {
        return std::nullopt;
    }
    auto secret = presented_secret(request);
    if (!secret) {
        return error_response(401, error_type::kInvalidArgument, kNoPassword);
    }
    auto level = level_of(*secret);
    if (!level) {
        // Worth a WARN: repeated ones are someone guessing.
        kLog.warn("WebAdmin request refused: wrong password",
                  {{"requestId", header_or_empty(request, kRequestIdField)},
                   {"ip", header_or_empty(request, kPeerField)},
                   {"method", std::string(request.method_string())},
                   {"endpoint", target ? target->path() : std::string("?")}});
        return error_response(401, error_type::kInvalidArgument, kWrongPassword);
    }
    if (!access_permits(*level, request.method())) {
        return error_response(403, error_type::kInvalidArgument, kInsufficient);
    }
    return std::nullopt;
}

std::string generate_password() {
    std::array<unsigned char, 32> bytes{};
    size_t filled = 0;
    while (filled < bytes.size()) {
        ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        filled += static_cast<size_t>(n);
    }
    return text::encode_base64url(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void write_secret_file(const std::filesystem::path& path, std::string_view secret) {
    auto fail = [&path](const std::string& what) {
        throw std::runtime_error("cannot write " + path.string() + ": " + what);
    };
    std::filesystem::path parent = path.parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            fail(ec.message());
        }
        std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
    }
    // Replace rather than rewrite: a previous file (or a planted symlink) is never followed.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        fail(std::strerror(errno));
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail(std::strerror(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (::fchmod(fd, 0600) != 0) {  // whatever the umask
        fail(std::strerror(errno));
    }
    std::string line = std::string(secret) + "\n";
    size_t written = 0;
    while (written < line.size()) {
        ssize_t n = ::write(fd, line.data() + written, line.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail(std::strerror(errno));
        }
        written += static_cast<size_t>(n);
    }
}

std::optional<PasswordAuthenticator> webadmin_authentication(const config::WebadminConfig& config) {
    if (!config.passwords.empty() || !config.nodelete_passwords.empty() ||
        !config.readonly_passwords.empty()) {
        kLog.info("WebAdmin requires a password",
                  {{"full", std::to_string(config.passwords.size())},
                   {"nodelete", std::to_string(config.nodelete_passwords.size())},
                   {"readonly", std::to_string(config.readonly_passwords.size())}});
        return PasswordAuthenticator(config.passwords, config.nodelete_passwords,
                                     config.readonly_passwords);
    }
    if (config.generate_password) {
        std::string password = generate_password();
        try {
            write_secret_file(config.generated_password_file, password);
        } catch (const std::exception& e) {
            throw config::ConfigError(
                std::string("webadmin.properties: 'password.generate.file': ") + e.what() +
                "; set it to a writable path, set a password, or set password.generate=false");
        }
        // James prints the password itself; here only where it is (docs/reference/auth.md §7.1).
        kLog.warn("WebAdmin password generated: read it from the file (owner-only)",
                  {{"file", config.generated_password_file.string()}});
        return PasswordAuthenticator({password}, {}, {});
    }
    kLog.warn(
        "WebAdmin has no authentication: anyone reaching its port can administer the "
        "service; set password (or password.generate=true) in webadmin.properties");
    return std::nullopt;
}

}  // namespace twake::webadmin

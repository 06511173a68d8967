#pragma once

// Reading the JWT keys named by `jwt.key.private` and `jwt.key.public`
// (docs/reference/auth.md §4.1), whose values are James locations: `file://<path>`,
// `conf://<file in the configuration folder>`, or a plain path.

#include <filesystem>
#include <string_view>
#include <vector>

#include "shared/config/config_error.hpp"
#include "shared/jwt/rsa_keys.hpp"

namespace twake::jwt {

// The file a location names. `classpath://` (upstream's bundled sample keys, which must not
// be used in production) is refused. `key` names the setting in the ConfigError thrown.
std::filesystem::path resolve_key_location(std::string_view location,
                                           const std::filesystem::path& config_folder,
                                           std::string_view key);

// Throws config::ConfigError naming `key` and the location when the file is missing,
// unreadable or not an unencrypted RSA private key.
RsaPrivateKey load_private_key(std::string_view location,
                               const std::filesystem::path& config_folder, std::string_view key);

// `locations` is a comma-separated list; every item must be an RSA public key
// (`BEGIN PUBLIC KEY`). Throws config::ConfigError, also for an empty list.
std::vector<RsaPublicKey> load_public_keys(std::string_view locations,
                                           const std::filesystem::path& config_folder,
                                           std::string_view key);

}  // namespace twake::jwt

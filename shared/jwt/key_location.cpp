#include "shared/jwt/key_location.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "shared/config/properties.hpp"
#include "shared/jwt/jwt_error.hpp"

namespace twake::jwt {

namespace {

// A PEM RSA key is a few KiB; anything much larger is the wrong file.
constexpr std::uintmax_t kMaxKeyFileSize = 64 * 1024;

config::ConfigError key_error(std::string_view key, std::string_view location,
                              std::string_view problem) {
    return config::ConfigError("'" + std::string(key) + "' = '" + std::string(location) +
                               "': " + std::string(problem));
}

std::string read_key_file(const std::filesystem::path& file, std::string_view location,
                          std::string_view key) {
    std::error_code error;
    std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error) {
        throw key_error(key, location,
                        "cannot read " + file.string() + " (" + error.message() + ")");
    }
    if (size > kMaxKeyFileSize) {
        throw key_error(key, location, file.string() + " is too large to be a PEM key");
    }
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        throw key_error(key, location, "cannot read " + file.string());
    }
    return text;
}

std::string read_location(std::string_view location, const std::filesystem::path& config_folder,
                          std::string_view key) {
    return read_key_file(resolve_key_location(location, config_folder, key), location, key);
}

}  // namespace

std::filesystem::path resolve_key_location(std::string_view location,
                                           const std::filesystem::path& config_folder,
                                           std::string_view key) {
    constexpr std::string_view kFile = "file://";
    constexpr std::string_view kConf = "conf://";
    constexpr std::string_view kClasspath = "classpath://";
    if (location.starts_with(kClasspath)) {
        throw key_error(key, location,
                        "classpath:// names upstream's bundled sample keys, which are not "
                        "shipped; expected file://<absolute path> or conf://<file>");
    }
    std::filesystem::path path;
    if (location.starts_with(kFile)) {
        path = location.substr(kFile.size());
    } else if (location.starts_with(kConf)) {
        path = config_folder / location.substr(kConf.size());
    } else {
        path = location;
    }
    if (path.empty() || path.filename().empty()) {
        throw key_error(key, location, "expected file://<absolute path>, conf://<file> or a path");
    }
    return path;
}

RsaPrivateKey load_private_key(std::string_view location,
                               const std::filesystem::path& config_folder, std::string_view key) {
    std::string pem = read_location(config::trim(location), config_folder, key);
    try {
        return RsaPrivateKey::from_pem(pem);
    } catch (const JwtError&) {
        throw key_error(key, location,
                        "not an unencrypted PEM RSA private key (BEGIN RSA PRIVATE KEY or "
                        "BEGIN PRIVATE KEY)");
    }
}

std::vector<RsaPublicKey> load_public_keys(std::string_view locations,
                                           const std::filesystem::path& config_folder,
                                           std::string_view key) {
    std::vector<RsaPublicKey> keys;
    std::string_view rest = locations;
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string location = config::trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (location.empty()) {
            continue;
        }
        std::string pem = read_location(location, config_folder, key);
        try {
            keys.push_back(RsaPublicKey::from_pem(pem));
        } catch (const JwtError&) {
            throw key_error(key, location, "not a PEM RSA public key (BEGIN PUBLIC KEY)");
        }
    }
    if (keys.empty()) {
        throw key_error(key, locations, "expected a comma-separated list of key locations");
    }
    return keys;
}

}  // namespace twake::jwt

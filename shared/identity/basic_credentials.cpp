#include "shared/identity/basic_credentials.hpp"

#include "shared/text/base64url.hpp"

namespace twake::identity {

std::optional<BasicCredentials> parse_basic(std::string_view authorization) {
    constexpr std::string_view kScheme = "Basic ";
    if (authorization.substr(0, kScheme.size()) != kScheme) {
        return std::nullopt;
    }
    auto decoded = text::decode_base64(authorization.substr(kScheme.size()));
    if (!decoded) {
        return std::nullopt;
    }
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) {
        return std::nullopt;
    }
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace twake::identity

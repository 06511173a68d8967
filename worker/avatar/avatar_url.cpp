#include "worker/avatar/avatar_url.hpp"

namespace twake::avatar {

std::string avatar_url(const std::string& self_url, const std::string& email) {
    std::string out = self_url + "/api/avatars?email=";
    for (char c : email) {
        switch (c) {
            case '%':
                out += "%25";
                break;
            case '&':
                out += "%26";
                break;
            case '#':
                out += "%23";
                break;
            case '+':
                out += "%2B";
                break;
            case ' ':
                out += "%20";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

}  // namespace twake::avatar

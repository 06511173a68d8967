#pragma once

// The URL of an address's generated avatar (docs/reference/rest-api.md §4.5, §11.1), as user
// objects, the avatar redirect and people search give it.

#include <string>

namespace twake::avatar {

// `{self_url}/api/avatars?email=<email>`: the address is written raw (clients expect a literal
// '@'); only the characters that would break the query are encoded.
std::string avatar_url(const std::string& self_url, const std::string& email);

}  // namespace twake::avatar

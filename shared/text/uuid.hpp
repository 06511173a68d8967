#pragma once

#include <string>
#include <string_view>

namespace twake::text {

// A random (version 4) UUID in its lower-case 8-4-4-4-12 form, from the kernel's CSPRNG.
std::string random_uuid();

// Whether `text` is a UUID in its 8-4-4-4-12 hexadecimal form, either case (any version: a
// value is only ever looked up, never trusted for what its digits say).
bool is_uuid(std::string_view text);

}  // namespace twake::text

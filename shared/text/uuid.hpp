#pragma once

#include <string>

namespace twake::text {

// A random (version 4) UUID in its lower-case 8-4-4-4-12 form, from the kernel's CSPRNG.
std::string random_uuid();

}  // namespace twake::text

#pragma once

// Which character a letter avatar shows: the first code point of the email, upper-cased.

#include <string_view>

namespace twake::avatar {

// The code point a malformed UTF-8 sequence decodes to, as in any lenient UTF-8 decoder.
inline constexpr char32_t replacement_character = U'\uFFFD';

// Decodes the first UTF-8 code point of `text` (not empty). A malformed or truncated
// sequence, an overlong form or a surrogate gives U+FFFD.
char32_t first_code_point(std::string_view text);

// Simple (one-to-one) upper-casing of ASCII, Latin-1, Latin Extended-A, basic Greek and
// basic Cyrillic; any other code point is returned unchanged. Letters whose upper case is
// more than one character (ß) keep their form, like Java's Character.toUpperCase.
char32_t to_upper_case(char32_t c);

// The character an avatar draws for `email` (not empty).
char32_t avatar_initial(std::string_view email);

}  // namespace twake::avatar

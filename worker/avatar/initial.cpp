#include "worker/avatar/initial.hpp"

#include <stdexcept>

namespace twake::avatar {

char32_t first_code_point(std::string_view text) {
    if (text.empty()) {
        throw std::invalid_argument("first_code_point: empty text");
    }
    const auto lead = static_cast<unsigned char>(text[0]);
    if (lead < 0x80) {
        return lead;
    }
    int continuation_count = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;  // below it the sequence is an overlong form
    if ((lead & 0xE0) == 0xC0) {
        continuation_count = 1;
        code_point = lead & 0x1F;
        smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        continuation_count = 2;
        code_point = lead & 0x0F;
        smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        continuation_count = 3;
        code_point = lead & 0x07;
        smallest = 0x10000;
    } else {
        return replacement_character;
    }
    if (text.size() <= static_cast<std::size_t>(continuation_count)) {
        return replacement_character;
    }
    for (int i = 1; i <= continuation_count; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            return replacement_character;
        }
        code_point = (code_point << 6) | (byte & 0x3F);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        return replacement_character;
    }
    return code_point;
}

char32_t to_upper_case(char32_t c) {
    // ASCII
    if (c >= U'a' && c <= U'z') {
        return c - 0x20;
    }
    // Latin-1: à..þ except the division sign; ÿ and µ have their capitals elsewhere.
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) {
        return c - 0x20;
    }
    if (c == 0xFF) {
        return 0x178;  // Ÿ
    }
    if (c == 0xB5) {
        return 0x39C;  // Greek capital mu
    }
    // Latin Extended-A: mostly capital/small pairs; the parity of the capital flips twice.
    if (c == 0x131) {
        return U'I';  // dotless i
    }
    if (c == 0x17F) {
        return U'S';  // long s
    }
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
        return (c % 2 == 1) ? c - 1 : c;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
        return (c % 2 == 0) ? c - 1 : c;
    }
    // Greek: α..ω, final sigma.
    if (c == 0x3C2) {
        return 0x3A3;
    }
    if (c >= 0x3B1 && c <= 0x3C9) {
        return c - 0x20;
    }
    // Cyrillic: а..я and ѐ..џ.
    if (c >= 0x430 && c <= 0x44F) {
        return c - 0x20;
    }
    if (c >= 0x450 && c <= 0x45F) {
        return c - 0x50;
    }
    return c;
}

char32_t avatar_initial(std::string_view email) {
    return to_upper_case(first_code_point(email));
}

}  // namespace twake::avatar

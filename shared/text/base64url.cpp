#include "shared/text/base64url.hpp"

#include <array>
#include <cstdint>

namespace twake::text {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Maps a character to its 6-bit value; -1 for characters outside the alphabet.
constexpr std::array<int8_t, 256> make_decoding_table(std::string_view alphabet) {
    std::array<int8_t, 256> table{};
    table.fill(-1);
    for (size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    }
    return table;
}

constexpr std::array<int8_t, 256> kDecodingTable = make_decoding_table(kAlphabet);
constexpr std::array<int8_t, 256> kStandardDecodingTable = make_decoding_table(kStandardAlphabet);

// Removes the `=` padding, which is only valid when it completes the last quantum.
std::optional<std::string_view> strip_padding(std::string_view text) {
    size_t unpadded = text.find('=');
    if (unpadded == std::string_view::npos) {
        return text;
    }
    std::string_view padding = text.substr(unpadded);
    if (padding.find_first_not_of('=') != std::string_view::npos || padding.size() > 2 ||
        text.size() % 4 != 0) {
        return std::nullopt;
    }
    return text.substr(0, unpadded);
}

}  // namespace

std::string encode_base64url(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    uint32_t bits = 0;
    int pending = 0;
    for (unsigned char byte : bytes) {
        bits = (bits << 8) | byte;
        pending += 8;
        while (pending >= 6) {
            pending -= 6;
            out.push_back(kAlphabet[(bits >> pending) & 0x3F]);
        }
    }
    if (pending > 0) {
        out.push_back(kAlphabet[(bits << (6 - pending)) & 0x3F]);
    }
    return out;
}

static std::optional<std::string> decode_with(std::string_view text,
                                              const std::array<int8_t, 256>& table) {
    std::optional<std::string_view> data = strip_padding(text);
    // One character carries 6 bits, less than a byte: no valid encoding has that remainder.
    if (!data || data->size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(data->size() * 3 / 4);
    uint32_t bits = 0;
    int pending = 0;
    for (char c : *data) {
        int value = table[static_cast<unsigned char>(c)];
        if (value < 0) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<uint32_t>(value);
        pending += 6;
        if (pending >= 8) {
            pending -= 8;
            out.push_back(static_cast<char>((bits >> pending) & 0xFF));
        }
    }
    if ((bits & ((1u << pending) - 1)) != 0) {
        return std::nullopt;
    }
    return out;
}

std::string encode_base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 2 < bytes.size(); i += 3) {
        uint32_t n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        out += {kStandardAlphabet[n >> 18], kStandardAlphabet[(n >> 12) & 63],
                kStandardAlphabet[(n >> 6) & 63], kStandardAlphabet[n & 63]};
    }
    if (i + 1 == bytes.size()) {
        uint32_t n = at(i) << 16;
        out += {kStandardAlphabet[n >> 18], kStandardAlphabet[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        uint32_t n = (at(i) << 16) | (at(i + 1) << 8);
        out += {kStandardAlphabet[n >> 18], kStandardAlphabet[(n >> 12) & 63],
                kStandardAlphabet[(n >> 6) & 63], '='};
    }
    return out;
}

std::optional<std::string> decode_base64url(std::string_view text) {
    return decode_with(text, kDecodingTable);
}

std::optional<std::string> decode_base64(std::string_view text) {
    return decode_with(text, kStandardDecodingTable);
}

}  // namespace twake::text

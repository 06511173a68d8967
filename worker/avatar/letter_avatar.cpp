#include "worker/avatar/letter_avatar.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "worker/avatar/initial.hpp"
#include "worker/avatar/png_encoder.hpp"

namespace twake::avatar {

namespace {

constexpr std::array<std::uint8_t, 3> background = {0x00, 0x79, 0x6B};  // #00796B
constexpr std::array<std::uint8_t, 3> ink = {0xFF, 0xFF, 0xFF};

// Blends `coverage` (0..255) of `over` onto `under`, rounded.
std::uint8_t blend(std::uint8_t under, std::uint8_t over, std::uint8_t coverage) {
    const int mixed = under * (255 - coverage) + over * coverage;
    return static_cast<std::uint8_t>((mixed + 127) / 255);
}

bool has_ink(const GlyphBitmap& glyph) {
    return std::ranges::any_of(glyph.coverage, [](std::uint8_t c) { return c != 0; });
}

}  // namespace

LetterAvatar::LetterAvatar(const std::string& font_path) : font_(font_path, font_size) {}

std::shared_ptr<const std::string> LetterAvatar::png_for(std::string_view email) {
    if (email.empty()) {
        throw std::invalid_argument("an avatar needs a non-empty email");
    }
    return png_for_character(avatar_initial(email));
}

std::shared_ptr<const std::string> LetterAvatar::png_for_character(char32_t c) {
    std::lock_guard lock(mutex_);
    return cached_or_drawn(c);
}

std::shared_ptr<const std::string> LetterAvatar::cached_or_drawn(char32_t c) {
    if (auto found = cache_.find(c); found != cache_.end()) {
        return found->second;
    }
    std::optional<GlyphBitmap> glyph;
    if (font_.has_glyph(c)) {
        glyph = font_.render(c);
        // A space or a zero-width character would leave a blank square.
        if (!has_ink(*glyph)) {
            glyph.reset();
        }
    }
    std::shared_ptr<const std::string> png;
    if (glyph) {
        png = std::make_shared<const std::string>(draw(*glyph));
    } else if (c != fallback_character) {
        png = cached_or_drawn(fallback_character);
    } else {
        // A font without '?' still has its "missing glyph" box.
        png = std::make_shared<const std::string>(draw(font_.render(c)));
    }
    if (cache_.size() < max_cached_images) {
        cache_.emplace(c, png);
    }
    return png;
}

std::string LetterAvatar::draw(const GlyphBitmap& glyph) const {
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(image_size) * image_size * 3);
    for (std::size_t i = 0; i < rgb.size(); i += 3) {
        std::copy(background.begin(), background.end(), rgb.begin() + i);
    }

    // The upstream service centres the advance width and puts the baseline a little above
    // the middle of (size + ascent); the letter then sits visually centred.
    const int pen_x = (image_size - glyph.advance) / 2;
    const int baseline = (image_size + font_.ascent()) / 2 - 5;
    const int origin_x = pen_x + glyph.left;
    const int origin_y = baseline - glyph.top;

    for (int row = 0; row < glyph.rows; ++row) {
        const int y = origin_y + row;
        if (y < 0 || y >= image_size) {
            continue;
        }
        for (int column = 0; column < glyph.width; ++column) {
            const int x = origin_x + column;
            if (x < 0 || x >= image_size) {
                continue;
            }
            const std::uint8_t coverage =
                glyph.coverage[static_cast<std::size_t>(row) * glyph.width + column];
            std::uint8_t* pixel = &rgb[(static_cast<std::size_t>(y) * image_size + x) * 3];
            for (int channel = 0; channel < 3; ++channel) {
                pixel[channel] = blend(background[channel], ink[channel], coverage);
            }
        }
    }
    return encode_rgb_png(image_size, image_size, rgb);
}

}  // namespace twake::avatar

#pragma once

// The generated avatar of GET /api/avatars: a 48x48 PNG showing the upper-cased first
// character of an email, white bold on teal. One image per character is drawn once and kept.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "worker/avatar/freetype_font.hpp"

namespace twake::avatar {

// Debian's fonts-dejavu-core.
inline constexpr std::string_view default_avatar_font =
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

class LetterAvatar {
  public:
    static constexpr int image_size = 48;  // pixels, square
    static constexpr int font_size = 36;   // pixels per em
    // Drawn instead of a character the font has no glyph (or no ink) for.
    static constexpr char32_t fallback_character = U'?';
    // Characters beyond this many are drawn on every request rather than kept, so that
    // emails starting with ever new code points cannot grow memory without bound.
    static constexpr std::size_t max_cached_images = 2048;

    // Loads the font; throws FontError naming `font_path` when it cannot be used.
    explicit LetterAvatar(const std::string& font_path);

    LetterAvatar(const LetterAvatar&) = delete;
    LetterAvatar& operator=(const LetterAvatar&) = delete;

    // The PNG for `email`'s first character, upper-cased (see avatar_initial). Safe to call
    // from several threads; the bytes are shared and never change. Throws
    // std::invalid_argument for an empty email.
    std::shared_ptr<const std::string> png_for(std::string_view email);

    // The PNG showing `c` exactly as given (no case mapping).
    std::shared_ptr<const std::string> png_for_character(char32_t c);

  private:
    // Both need mutex_: FreeType faces are single-threaded and the cache is shared.
    std::shared_ptr<const std::string> cached_or_drawn(char32_t c);
    std::string draw(const GlyphBitmap& glyph) const;

    std::mutex mutex_;
    FreeTypeFont font_;
    std::unordered_map<char32_t, std::shared_ptr<const std::string>> cache_;
};

}  // namespace twake::avatar

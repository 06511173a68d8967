#pragma once

// One scalable font face at one pixel size, rendered by FreeType into anti-aliased coverage
// bitmaps. Not thread-safe: a FreeType face serves one caller at a time.

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace twake::avatar {

// A font that cannot be loaded or a glyph that cannot be rendered; the message names the
// font file.
class FontError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One rendered glyph: 8-bit coverage (0 = background, 255 = full ink), row by row, placed
// relative to the pen position on the baseline (y grows upwards for `top`).
struct GlyphBitmap {
    int width = 0;
    int rows = 0;
    int left = 0;     // pen x to the bitmap's left column
    int top = 0;      // baseline to the bitmap's top row
    int advance = 0;  // pen movement to the next glyph, in pixels
    std::vector<std::uint8_t> coverage;
};

class FreeTypeFont {
  public:
    // Loads the face and sizes it to `pixel_size` pixels per em; throws FontError naming
    // the path when the file is missing, unreadable, not a font, or has no Unicode map.
    FreeTypeFont(const std::string& path, int pixel_size);

    bool has_glyph(char32_t c) const;
    // Rounded ascent of the face at its size, in pixels.
    int ascent() const;
    // Renders `c` (the font's "missing glyph" box when it has none); throws FontError.
    GlyphBitmap render(char32_t c);

  private:
    struct LibraryDelete {
        void operator()(FT_Library library) const { FT_Done_FreeType(library); }
    };
    struct FaceDelete {
        void operator()(FT_Face face) const { FT_Done_Face(face); }
    };

    std::string path_;
    // Declared before the face: the face must be released before its library.
    std::unique_ptr<FT_LibraryRec_, LibraryDelete> library_;
    std::unique_ptr<FT_FaceRec_, FaceDelete> face_;
};

}  // namespace twake::avatar

#include "worker/avatar/freetype_font.hpp"

#include <algorithm>
#include <cstddef>

namespace twake::avatar {

namespace {

std::string describe(FT_Error error) {
    // FreeType keeps its error strings only when built with FT_CONFIG_OPTION_ERROR_STRINGS.
    if (const char* text = FT_Error_String(error)) {
        return text;
    }
    return "FreeType error " + std::to_string(error);
}

}  // namespace

FreeTypeFont::FreeTypeFont(const std::string& path, int pixel_size) : path_(path) {
    FT_Library library = nullptr;
    if (FT_Error error = FT_Init_FreeType(&library)) {
        throw FontError("cannot initialise FreeType for the font " + path + ": " + describe(error));
    }
    library_.reset(library);

    FT_Face face = nullptr;
    if (FT_Error error = FT_New_Face(library_.get(), path.c_str(), 0, &face)) {
        throw FontError("cannot load the font " + path + ": " + describe(error));
    }
    face_.reset(face);

    if (!FT_IS_SCALABLE(face_.get())) {
        throw FontError("cannot use the font " + path + ": it is not scalable");
    }
    if (FT_Error error = FT_Select_Charmap(face_.get(), FT_ENCODING_UNICODE)) {
        throw FontError("cannot use the font " + path + ": no Unicode character map (" +
                        describe(error) + ")");
    }
    if (FT_Error error = FT_Set_Pixel_Sizes(face_.get(), 0, pixel_size)) {
        throw FontError("cannot size the font " + path + ": " + describe(error));
    }
}

bool FreeTypeFont::has_glyph(char32_t c) const {
    return FT_Get_Char_Index(face_.get(), c) != 0;
}

int FreeTypeFont::ascent() const {
    // 26.6 fixed point, already rounded up to whole pixels by FreeType for scalable faces.
    return static_cast<int>((face_->size->metrics.ascender + 63) >> 6);
}

GlyphBitmap FreeTypeFont::render(char32_t c) {
    const FT_UInt index = FT_Get_Char_Index(face_.get(), c);
    if (FT_Error error =
            FT_Load_Glyph(face_.get(), index, FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL)) {
        throw FontError("cannot render U+" + std::to_string(static_cast<unsigned long>(c)) +
                        " with the font " + path_ + ": " + describe(error));
    }
    const FT_GlyphSlot slot = face_->glyph;
    const FT_Bitmap& bitmap = slot->bitmap;
    if (bitmap.pixel_mode != FT_PIXEL_MODE_GRAY && bitmap.rows != 0) {
        throw FontError("the font " + path_ + " rendered a glyph that is not 8-bit grey");
    }

    GlyphBitmap glyph;
    glyph.width = static_cast<int>(bitmap.width);
    glyph.rows = static_cast<int>(bitmap.rows);
    glyph.left = slot->bitmap_left;
    glyph.top = slot->bitmap_top;
    glyph.advance = static_cast<int>((slot->advance.x + 32) >> 6);
    glyph.coverage.resize(static_cast<std::size_t>(glyph.width) * glyph.rows);
    // The pitch may exceed the width (row padding) and is negative for bottom-up bitmaps.
    for (int y = 0; y < glyph.rows; ++y) {
        const unsigned char* row = bitmap.buffer + static_cast<std::ptrdiff_t>(y) * bitmap.pitch;
        if (bitmap.pitch < 0) {
            row = bitmap.buffer + static_cast<std::ptrdiff_t>(glyph.rows - 1 - y) * -bitmap.pitch;
        }
        std::copy(row, row + glyph.width,
                  glyph.coverage.begin() + static_cast<std::ptrdiff_t>(y) * glyph.width);
    }
    return glyph;
}

}  // namespace twake::avatar

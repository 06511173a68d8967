#pragma once

// Encodes an 8-bit RGB image as PNG bytes, in memory, with libpng.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace twake::avatar {

class PngError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// `rgb` holds `height` rows of `width` pixels, three bytes each, top row first, no padding.
// Throws PngError when libpng refuses the image.
std::string encode_rgb_png(int width, int height, std::span<const std::uint8_t> rgb);

}  // namespace twake::avatar

#include "worker/avatar/png_encoder.hpp"

#include <png.h>

#include <cstring>

namespace twake::avatar {

namespace {

// libpng's simplified API keeps its state behind png_image::opaque; png_image_free releases
// it after a failure (and does nothing once a write has finished on its own).
class PngImage {
  public:
    PngImage(int width, int height) {
        std::memset(&image_, 0, sizeof image_);
        image_.version = PNG_IMAGE_VERSION;
        image_.width = static_cast<png_uint_32>(width);
        image_.height = static_cast<png_uint_32>(height);
        image_.format = PNG_FORMAT_RGB;
    }
    ~PngImage() { png_image_free(&image_); }
    PngImage(const PngImage&) = delete;
    PngImage& operator=(const PngImage&) = delete;

    png_image* get() { return &image_; }
    std::string message() const { return image_.message; }

  private:
    png_image image_;
};

}  // namespace

std::string encode_rgb_png(int width, int height, std::span<const std::uint8_t> rgb) {
    if (width <= 0 || height <= 0 ||
        rgb.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
        throw PngError("encode_rgb_png: the pixel buffer does not match " + std::to_string(width) +
                       "x" + std::to_string(height) + " RGB");
    }
    // libpng's simplified write either reports the size it needs (no buffer) or writes into
    // a buffer at least that large, so it runs twice: measure, then encode.
    png_alloc_size_t size = 0;
    {
        PngImage image(width, height);
        if (!png_image_write_to_memory(image.get(), nullptr, &size, 0, rgb.data(), 0, nullptr)) {
            throw PngError("cannot encode a PNG: " + image.message());
        }
    }
    std::string bytes(size, '\0');
    PngImage image(width, height);
    if (!png_image_write_to_memory(image.get(), bytes.data(), &size, 0, rgb.data(), 0, nullptr)) {
        throw PngError("cannot encode a PNG: " + image.message());
    }
    bytes.resize(size);
    return bytes;
}

}  // namespace twake::avatar

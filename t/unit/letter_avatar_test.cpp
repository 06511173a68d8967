#include <gtest/gtest.h>
#include <png.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "worker/avatar/initial.hpp"
#include "worker/avatar/letter_avatar.hpp"

using twake::avatar::avatar_initial;
using twake::avatar::default_avatar_font;
using twake::avatar::first_code_point;
using twake::avatar::FontError;
using twake::avatar::LetterAvatar;
using twake::avatar::replacement_character;
using twake::avatar::to_upper_case;

namespace {

struct Rgb {
    std::uint8_t r, g, b;
    bool operator==(const Rgb&) const = default;
};

constexpr Rgb teal{0x00, 0x79, 0x6B};

// An RGB image decoded with libpng's simplified reader; png_image_free releases the reader
// when decoding stops half-way.
struct DecodedPng {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;

    Rgb at(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
        return {rgb[i], rgb[i + 1], rgb[i + 2]};
    }
};

DecodedPng decode(const std::string& bytes) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    struct Free {
        png_image* image;
        ~Free() { png_image_free(image); }
    } free_image{&image};
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
        throw std::runtime_error(std::string("not a PNG: ") + image.message);
    }
    image.format = PNG_FORMAT_RGB;
    DecodedPng decoded;
    decoded.width = static_cast<int>(image.width);
    decoded.height = static_cast<int>(image.height);
    decoded.rgb.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, decoded.rgb.data(), 0, nullptr)) {
        throw std::runtime_error(std::string("cannot decode the PNG: ") + image.message);
    }
    return decoded;
}

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
}

bool is_whitish(Rgb p) {
    return p.r > 200 && p.g > 200 && p.b > 200;
}

// One renderer for the whole suite: loading a font is the slow part.
LetterAvatar& avatars() {
    static LetterAvatar instance{std::string(default_avatar_font)};
    return instance;
}

}  // namespace

TEST(AvatarInitial, DecodesTheFirstUtf8CodePoint) {
    EXPECT_EQ(first_code_point("alice@example.com"), U'a');
    EXPECT_EQ(first_code_point("\xC3\xA9lodie"), U'\u00E9');             // é
    EXPECT_EQ(first_code_point("\xE4\xB8\xAD\xE6\x96\x87"), U'\u4E2D');  // 中
    EXPECT_EQ(first_code_point("\xF0\x9F\x98\x80!"), U'\U0001F600');
}

TEST(AvatarInitial, MalformedUtf8GivesTheReplacementCharacter) {
    EXPECT_EQ(first_code_point("\xFF"
                               "abc"),
              replacement_character);  // never a lead byte
    EXPECT_EQ(first_code_point("\x80"
                               "abc"),
              replacement_character);                            // lone continuation
    EXPECT_EQ(first_code_point("\xC3"), replacement_character);  // truncated
    EXPECT_EQ(first_code_point("\xC3"
                               "a"),
              replacement_character);                                        // bad continuation
    EXPECT_EQ(first_code_point("\xC0\xAF"), replacement_character);          // overlong '/'
    EXPECT_EQ(first_code_point("\xED\xA0\x80"), replacement_character);      // surrogate
    EXPECT_EQ(first_code_point("\xF4\x90\x80\x80"), replacement_character);  // > U+10FFFF
    EXPECT_THROW(first_code_point(""), std::invalid_argument);
}

TEST(AvatarInitial, UpperCasesAsciiLatinGreekAndCyrillic) {
    EXPECT_EQ(to_upper_case(U'a'), U'A');
    EXPECT_EQ(to_upper_case(U'z'), U'Z');
    EXPECT_EQ(to_upper_case(U'Q'), U'Q');
    EXPECT_EQ(to_upper_case(U'7'), U'7');
    EXPECT_EQ(to_upper_case(U'_'), U'_');
    EXPECT_EQ(to_upper_case(U'\u00E9'), U'\u00C9');  // é É
    EXPECT_EQ(to_upper_case(U'\u00FE'), U'\u00DE');  // þ Þ
    EXPECT_EQ(to_upper_case(U'\u00FF'), U'\u0178');  // ÿ Ÿ
    EXPECT_EQ(to_upper_case(U'\u00F7'), U'\u00F7');  // ÷ stays
    EXPECT_EQ(to_upper_case(U'\u00DF'), U'\u00DF');  // ß has no one-character capital
    EXPECT_EQ(to_upper_case(U'\u0101'), U'\u0100');  // ā Ā
    EXPECT_EQ(to_upper_case(U'\u0142'), U'\u0141');  // ł Ł
    EXPECT_EQ(to_upper_case(U'\u0161'), U'\u0160');  // š Š
    EXPECT_EQ(to_upper_case(U'\u017E'), U'\u017D');  // ž Ž
    EXPECT_EQ(to_upper_case(U'\u0131'), U'I');       // dotless ı
    EXPECT_EQ(to_upper_case(U'\u03B1'), U'\u0391');  // α Α
    EXPECT_EQ(to_upper_case(U'\u03C2'), U'\u03A3');  // ς Σ
    EXPECT_EQ(to_upper_case(U'\u0436'), U'\u0416');  // ж Ж
    EXPECT_EQ(to_upper_case(U'\u0451'), U'\u0401');  // ё Ё
    EXPECT_EQ(to_upper_case(U'\u4E2D'), U'\u4E2D');  // no case: unchanged
    EXPECT_EQ(avatar_initial("\xC3\xA9lodie@example.com"), U'\u00C9');
}

TEST(LetterAvatar, IsA48By48Png) {
    const auto png = avatars().png_for("alice@example.com");
    ASSERT_GT(png->size(), 33u);
    EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1A\n", 8));
    EXPECT_EQ(big_endian(*png, 8), 13u);  // IHDR length
    EXPECT_EQ(png->substr(12, 4), "IHDR");
    EXPECT_EQ(big_endian(*png, 16), 48u);
    EXPECT_EQ(big_endian(*png, 20), 48u);
    EXPECT_EQ(png->substr(png->size() - 8, 4), "IEND");
}

TEST(LetterAvatar, DrawsAWhiteCentredLetterOnTeal) {
    const auto image = decode(*avatars().png_for("mallory@example.com"));
    ASSERT_EQ(image.width, 48);
    ASSERT_EQ(image.height, 48);
    EXPECT_EQ(image.at(0, 0), teal);
    EXPECT_EQ(image.at(47, 0), teal);
    EXPECT_EQ(image.at(0, 47), teal);
    EXPECT_EQ(image.at(47, 47), teal);

    int whitish = 0;
    int left = 48, right = -1, top = 48, bottom = -1;
    for (int y = 0; y < 48; ++y) {
        for (int x = 0; x < 48; ++x) {
            if (is_whitish(image.at(x, y))) {
                ++whitish;
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
    }
    EXPECT_GT(whitish, 100);
    EXPECT_TRUE(is_whitish(image.at(10, 25)));  // M's left stem
    // "M" is symmetric: equal margins left and right, within a pixel or two of hinting.
    EXPECT_LE(std::abs(left - (47 - right)), 2) << left << " " << right;
    // A capital about 26 px tall, roughly in the middle.
    EXPECT_GE(bottom - top, 20);
    EXPECT_LE(bottom - top, 30);
    EXPECT_GE(top, 6);
    EXPECT_LE(bottom, 42);
}

TEST(LetterAvatar, KeepsOneImagePerCharacter) {
    const auto alice = avatars().png_for("alice@example.com");
    const auto anna = avatars().png_for("anna@example.com");
    const auto bob = avatars().png_for("bob@example.com");
    EXPECT_EQ(alice, anna);  // the same cached bytes
    EXPECT_EQ(*alice, *anna);
    EXPECT_NE(*alice, *bob);
}

TEST(LetterAvatar, LowerAndUpperCaseDrawTheSameImage) {
    EXPECT_EQ(*avatars().png_for("alice@example.com"), *avatars().png_for("Alice@example.com"));
    EXPECT_EQ(*avatars().png_for("\xC3\xA9lodie@example.com"),   // élodie
              *avatars().png_for("\xC3\x89lodie@example.com"));  // Élodie
    EXPECT_EQ(*avatars().png_for("\xD0\xB6@example.com"),        // ж
              *avatars().png_for("\xD0\x96@example.com"));       // Ж
}

TEST(LetterAvatar, DrawsANonAsciiInitial) {
    const auto accented = avatars().png_for("\xC3\xA9lodie@example.com");  // É
    EXPECT_NE(*accented, *avatars().png_for("elodie@example.com"));
    EXPECT_NE(*accented, *avatars().png_for_character(LetterAvatar::fallback_character));
    const auto image = decode(*accented);
    EXPECT_EQ(image.at(0, 0), teal);
    int whitish = 0;
    for (int y = 0; y < 48; ++y) {
        for (int x = 0; x < 48; ++x) {
            whitish += is_whitish(image.at(x, y));
        }
    }
    EXPECT_GT(whitish, 100);
}

TEST(LetterAvatar, DrawsAQuestionMarkWhenTheFontHasNoGlyphOrNoInk) {
    const auto question = avatars().png_for_character(U'?');
    EXPECT_EQ(*avatars().png_for("\xE4\xB8\xAD@example.com"), *question);  // 中: not in DejaVu
    EXPECT_EQ(*avatars().png_for("\xEE\x80\x80@example.com"), *question);  // private use
    EXPECT_EQ(*avatars().png_for(" bob@example.com"), *question);          // blank glyph
    EXPECT_NE(*avatars().png_for("\xFF@example.com"), *avatars().png_for("y@example.com"));
}

TEST(LetterAvatar, RefusesAnEmptyEmail) {
    EXPECT_THROW(avatars().png_for(""), std::invalid_argument);
}

TEST(LetterAvatar, AFontThatCannotBeLoadedIsNamedInTheError) {
    const std::string missing = "/nonexistent/fonts/NoSuchFont-Bold.ttf";
    try {
        LetterAvatar avatar(missing);
        FAIL() << "no exception";
    } catch (const FontError& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }

    const auto not_a_font =
        std::filesystem::temp_directory_path() / "letter_avatar_test_not_a_font.ttf";
    std::ofstream(not_a_font) << "this is not a font";
    try {
        LetterAvatar avatar(not_a_font.string());
        FAIL() << "no exception";
    } catch (const FontError& e) {
        EXPECT_NE(std::string(e.what()).find(not_a_font.string()), std::string::npos) << e.what();
    }
    std::filesystem::remove(not_a_font);
}

TEST(LetterAvatar, ServesSeveralThreadsAtOnce) {
    const std::vector<std::string> emails = {"alice@x",        "bob@x",        "carol@x",
                                             "dave@x",         "\xC3\xA9ve@x", "\xD0\xB6@x",
                                             "\xE4\xB8\xAD@x", "zoe@x"};
    std::vector<std::string> expected;
    for (const auto& email : emails) {
        expected.push_back(*avatars().png_for(email));
    }

    LetterAvatar fresh{std::string(default_avatar_font)};  // an empty cache, filled concurrently
    std::vector<int> mismatches(8, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const std::size_t k = static_cast<std::size_t>(i + t) % emails.size();
                if (*fresh.png_for(emails[k]) != expected[k]) {
                    ++mismatches[t];
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int t = 0; t < 8; ++t) {
        EXPECT_EQ(mismatches[t], 0) << "thread " << t;
    }
}

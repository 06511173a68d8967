#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "worker/icons/icon_catalog.hpp"

namespace icons = twake::icons;

namespace {

// docs/reference/rest-api.md §11.2: the names are the interface.
const std::vector<std::string_view> spec_names = {
    "access-point",
    "battery",
    "briefcase",
    "calculator",
    "calendar-month",
    "camera",
    "car",
    "caravan",
    "cellphone",
    "coffee",
    "credit-card",
    "description",
    "deskphone",
    "fax",
    "guitar-acoustic",
    "home",
    "kettle",
    "laptop",
    "layers",
    "meeting-room",
    "microphone",
    "motorbike",
    "office",
    "parking",
    "people-alt",
    "phone-iphone",
    "phone",
    "projector",
    "radio",
    "remote",
    "soccer",
    "sofa",
    "tablet",
    "train",
    "tv",
    "umbrella",
    "video-camera-back",
    "video",
    "view-comfy-alt",
    "wifi",
};

// Every start tag is closed, in order, under a single root element.
bool tags_balance(std::string_view svg) {
    std::vector<std::string> open;
    int roots = 0;
    std::size_t at = 0;
    while ((at = svg.find('<', at)) != std::string_view::npos) {
        const std::size_t end = svg.find('>', at);
        if (end == std::string_view::npos) {
            return false;
        }
        const std::string_view tag = svg.substr(at + 1, end - at - 1);
        at = end + 1;
        if (tag.starts_with('/')) {
            if (open.empty() || open.back() != tag.substr(1)) {
                return false;
            }
            open.pop_back();
            continue;
        }
        if (open.empty()) {
            ++roots;
        }
        if (!tag.ends_with('/')) {
            open.emplace_back(tag.substr(0, tag.find_first_of(" \t\n")));
        }
    }
    return open.empty() && roots == 1;
}

}  // namespace

TEST(IconCatalog, HoldsExactlyTheFortyNamesOfTheApi) {
    std::vector<std::string_view> expected = spec_names;
    std::sort(expected.begin(), expected.end());
    const auto names = icons::names();
    EXPECT_EQ(std::vector<std::string_view>(names.begin(), names.end()), expected);
    EXPECT_EQ(names.size(), 40u);
}

TEST(IconCatalog, EveryIconIsAWellFormedSvg) {
    for (const auto name : spec_names) {
        SCOPED_TRACE(std::string(name));
        const auto svg = icons::find(name);
        ASSERT_TRUE(svg.has_value());
        EXPECT_TRUE(svg->starts_with("<svg"));
        EXPECT_TRUE(svg->ends_with("</svg>"));
        EXPECT_NE(svg->find("xmlns=\"http://www.w3.org/2000/svg\""), std::string_view::npos);
        EXPECT_NE(svg->find("viewBox=\"0 0 24 24\""), std::string_view::npos);
        EXPECT_TRUE(tags_balance(*svg));
        EXPECT_EQ(svg->find("<script"), std::string_view::npos);
        EXPECT_LT(svg->size(), 2000u);
    }
}

TEST(IconCatalog, IconsDiffer) {
    std::vector<std::string_view> documents;
    for (const auto name : icons::names()) {
        documents.push_back(*icons::find(name));
    }
    std::sort(documents.begin(), documents.end());
    EXPECT_EQ(std::adjacent_find(documents.begin(), documents.end()), documents.end());
}

TEST(IconCatalog, FindsOnlyExactNames) {
    EXPECT_TRUE(icons::find("phone"));
    EXPECT_TRUE(icons::find("phone-iphone"));
    EXPECT_NE(*icons::find("phone"), *icons::find("phone-iphone"));
    for (const auto name : {"", "unknown", "Wifi", "WIFI", "wifi.svg", "wif", "wifi ", " wifi",
                            "phone-", "video-camera", "svg/wifi", "../wifi"}) {
        EXPECT_FALSE(icons::find(name)) << name;
    }
}

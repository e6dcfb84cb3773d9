// EncodeQr: the device grant's verification URI as a QR code. The browser test decodes the drawn
// code with a decoder (jsqr); these check the code's structure and the limits.
#include "core/qr_code.h"

#include <catch2/catch.hpp>

#include <string>

using oauth::EncodeQr;

namespace {

// A finder pattern's 7x7 rings: dark border, light ring, dark 3x3 centre (ISO/IEC 18004 6.3.3).
bool FinderAt(const oauth::QrCode& qr, int left, int top) {
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 7; ++x) {
            const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
            if (qr.at(left + x, top + y) != (ring != 2))
                return false;
        }
    return true;
}

} // namespace

TEST_CASE("A verification URI becomes a QR code with its three finder patterns", "[qr]") {
    const auto qr = EncodeQr("https://id.example.com/device?user_code=WDJB-MJHT");
    REQUIRE(qr);
    CHECK((qr->size - 17) % 4 == 0); // version v has 17 + 4v modules per side
    CHECK(qr->size >= 21);
    CHECK(qr->dark.size() == static_cast<std::size_t>(qr->size * qr->size));
    CHECK(FinderAt(*qr, 0, 0));
    CHECK(FinderAt(*qr, qr->size - 7, 0));
    CHECK(FinderAt(*qr, 0, qr->size - 7));
    CHECK_FALSE(FinderAt(*qr, qr->size - 7, qr->size - 7));
    // The timing pattern between the finders alternates, starting dark (6.3.5).
    for (int x = 8; x < qr->size - 8; ++x)
        CHECK(qr->at(x, 6) == (x % 2 == 0));
}

TEST_CASE("The same text gives the same code, and a longer text a larger one", "[qr]") {
    const auto a = EncodeQr("https://id.example.com/device");
    const auto b = EncodeQr("https://id.example.com/device");
    const auto longer = EncodeQr("https://id.example.com/device?user_code=" + std::string(200, 'W'));
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(longer);
    CHECK(a->dark == b->dark);
    CHECK(longer->size > a->size);
}

TEST_CASE("No QR code for an empty text, a NUL or a text too long for version 40", "[qr]") {
    CHECK_FALSE(EncodeQr(""));
    CHECK_FALSE(EncodeQr(std::string("https://a.example/\0x", 20)));
    CHECK_FALSE(EncodeQr(std::string(3000, 'a')));
}

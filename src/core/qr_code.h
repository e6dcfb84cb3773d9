#pragma once
// A text as a QR Code (ISO/IEC 18004 Model 2), for the device grant's verification URI, which
// RFC 8628 section 3.3.1 suggests showing as one so a phone can open it. The encoding is Nayuki's
// QR Code generator library; this is only its C++ face.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace oauth {

struct QrCode {
    int size = 0;                   // modules per side (21 for version 1 ... 177 for version 40)
    std::vector<std::uint8_t> dark; // size * size, row by row: 1 = a dark module
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)] != 0; }
};

// Error correction level M (15 % of the code can be damaged or covered), raised when the text
// still fits in the same version; the smallest version that holds the text. nullopt for an empty
// text, one holding a NUL, or one too long for any version (over about 2,300 bytes at level M).
std::optional<QrCode> EncodeQr(std::string_view text);

} // namespace oauth

#include "core/encoding.h"

namespace oauth {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool IsAlphaNumeric(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

void AppendPercentByte(std::string& out, unsigned char c) {
    out += '%';
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 0x0F];
}

int HexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64WithAlphabet(std::string_view bytes, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                          (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) | std::uint8_t(bytes[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (pad)
            out += "==";
    } else if (rest == 2) {
        std::uint32_t n =
            (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        if (pad)
            out += '=';
    }
    return out;
}

// The 6-bit value of a base64url character: its place in the alphabet, or -1.
int Base64UrlValue(char c) {
    const std::size_t at = std::string_view(kBase64UrlAlphabet).find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Keeps letters, digits and the bytes in `marks`, writes a space as '+' when `spaceAsPlus`, and
// escapes every other byte as %XX.
std::string Escape(std::string_view text, std::string_view marks, bool spaceAsPlus) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (IsAlphaNumeric(c) || marks.find(ch) != std::string_view::npos)
            out += ch;
        else if (spaceAsPlus && c == ' ')
            out += '+';
        else
            AppendPercentByte(out, c);
    }
    return out;
}

} // namespace

// RFC 3986 section 2.3: the unreserved marks.
std::string PercentEncode(std::string_view text) {
    return Escape(text, "-._~", false);
}

// The WHATWG application/x-www-form-urlencoded byte serializer.
std::string FormUrlEncode(std::string_view text) {
    return Escape(text, "*-._", true);
}

std::string FormUrlDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
                   HexValue(text[i + 2]) >= 0) {
            out += char(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string EncodeForm(const FormParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty())
            out += '&';
        out += FormUrlEncode(name);
        out += '=';
        out += FormUrlEncode(value);
    }
    return out;
}

FormParams DecodeForm(std::string_view text) {
    FormParams params;
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        const std::string_view piece = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (piece.empty())
            continue;
        const std::size_t eq = piece.find('=');
        if (eq == std::string_view::npos)
            params.emplace_back(FormUrlDecode(piece), std::string{});
        else
            params.emplace_back(FormUrlDecode(piece.substr(0, eq)), FormUrlDecode(piece.substr(eq + 1)));
    }
    return params;
}

std::string Base64Encode(std::string_view bytes) {
    return Base64WithAlphabet(bytes, kBase64Alphabet, true);
}

std::string Base64UrlEncode(std::string_view bytes) {
    return Base64WithAlphabet(bytes, kBase64UrlAlphabet, false);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    // A single leftover character carries only 6 bits: never produced by an encoder.
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int v = Base64UrlValue(c);
        if (v < 0)
            return std::nullopt;
        buffer = (buffer << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string_view AsBytes(const std::uint8_t* data, std::size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

} // namespace oauth

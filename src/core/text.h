// Small text helpers shared by the protocol files (ASCII rules: protocol values are ASCII).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace oauth::text {

// White space (isspace: space, tab, CR, LF, VT, FF) removed from both ends.
inline std::string_view Trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

// Spaces and tabs only removed from both ends (a line's own blanks, RFC 9110 OWS).
inline std::string_view TrimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

inline std::string LowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Empty, or only spaces, tabs and line breaks.
inline bool IsBlank(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

// Words of a provider fit for one sentence: white space folded, at most `max` bytes (whole UTF-8
// characters, "…" after a cut). The whole text belongs in the details.
inline std::string OneLineExcerpt(std::string_view text, std::size_t max = 300) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    if (out.size() > max) {
        std::size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut;
        out = out.substr(0, cut) + "…";
    }
    return out;
}

} // namespace oauth::text

// Small helpers shared by the controller's files.
#pragma once

#include "core/profile.h"

#include <cctype>
#include <string>

namespace app::detail {

inline std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

inline const char* grantCaption(oauth::GrantType grantType) {
    return oauth::kGrantTypeCaptions[static_cast<int>(grantType)];
}

// A file name from a Token Name: letters, digits, '-' and '_' kept, the rest '_'.
inline std::string fileNameFor(const std::string& tokenName,
                               const char* suffix = ".postman_collection.json") {
    std::string out;
    for (char c : tokenName)
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return (out.empty() ? "profile" : out) + suffix;
}

} // namespace app::detail

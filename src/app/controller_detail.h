// Small helpers shared by the controller's files.
#pragma once

#include <cctype>
#include <string>

namespace app::detail {

inline std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

inline const char* grantCaption(const std::string& grantType) {
    if (grantType == "password")
        return "Password Credentials";
    if (grantType == "client_credentials")
        return "Client Credentials";
    if (grantType == "device_code")
        return "Device Code";
    return "Authorization Code";
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

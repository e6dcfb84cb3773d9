#include "core/url.h"
#include "core/text.h"

#include <cctype>

namespace oauth {
namespace {

bool IsSchemeStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

bool IsSchemeChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

bool AllDigits(std::string_view text) {
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// Reads the scheme up to ':'; nullopt when the text does not start with one (a relative URL).
std::optional<std::size_t> SchemeEnd(std::string_view text) {
    if (text.empty() || !IsSchemeStart(text[0]))
        return std::nullopt;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == ':')
            return i;
        if (!IsSchemeChar(text[i]))
            return std::nullopt;
    }
    return std::nullopt;
}

// RFC 3986 section 3.2: authority = [ userinfo "@" ] host [ ":" port ].
bool ParseAuthority(std::string_view authority, Url& url) {
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        url.userinfo = std::string(authority.substr(0, at));
        authority = authority.substr(at + 1);
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority[0] == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return false;
        host = authority.substr(0, close + 1);
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest[0] != ':')
                return false;
            port = rest.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
    }
    if (!AllDigits(port) || port.size() > 5)
        return false;
    url.host = text::LowerAscii(host);
    url.port = std::string(port);
    return true;
}

// Dotted-quad IPv4 whose first byte is 127 (RFC 1122 section 3.2.1.3: 127.0.0.0/8 is loopback).
bool IsLoopbackIpv4(std::string_view host) {
    int parts = 0;
    std::size_t start = 0;
    while (start <= host.size()) {
        const std::size_t dot = host.find('.', start);
        const std::string_view part =
            host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
        if (part.empty() || part.size() > 3 || !AllDigits(part))
            return false;
        const int value = std::stoi(std::string(part));
        if (value > 255)
            return false;
        if (parts == 0 && value != 127)
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return parts == 4;
}

} // namespace

std::optional<Url> ParseUrl(std::string_view text) {
    const auto schemeEnd = SchemeEnd(text);
    if (!schemeEnd)
        return std::nullopt;
    Url url;
    url.scheme = text::LowerAscii(text.substr(0, *schemeEnd));
    std::string_view rest = text.substr(*schemeEnd + 1);

    const std::size_t hash = rest.find('#');
    if (hash != std::string_view::npos) {
        url.fragment = std::string(rest.substr(hash + 1));
        rest = rest.substr(0, hash);
    }
    const std::size_t question = rest.find('?');
    if (question != std::string_view::npos) {
        url.query = std::string(rest.substr(question + 1));
        rest = rest.substr(0, question);
    }
    if (rest.substr(0, 2) == "//") {
        rest = rest.substr(2);
        const std::size_t slash = rest.find('/');
        url.hasAuthority = true;
        if (!ParseAuthority(rest.substr(0, slash), url))
            return std::nullopt;
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    }
    url.path = std::string(rest);
    return url;
}

bool IsLoopbackHost(std::string_view host) {
    const std::string lower = text::LowerAscii(host);
    return lower == "localhost" || lower == "[::1]" || lower == "::1" || IsLoopbackIpv4(lower);
}

std::string AppendQuery(std::string_view url, std::string_view encodedPairs) {
    const std::size_t hash = url.find('#');
    const std::string_view beforeFragment = url.substr(0, hash);
    const std::string_view fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash);
    std::string out(beforeFragment);
    if (!encodedPairs.empty()) {
        const std::size_t question = beforeFragment.find('?');
        if (question == std::string_view::npos)
            out += '?';
        else if (out.back() != '?' && out.back() != '&')
            out += '&';
        out += encodedPairs;
    }
    out += fragment;
    return out;
}

} // namespace oauth

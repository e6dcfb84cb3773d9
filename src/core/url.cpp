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

bool IsSpecialScheme(std::string_view scheme) {
    return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp";
}

bool IsHexDigit(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// WHATWG URL "ends in a number": the last label (a trailing dot aside) is digits or 0x + hex.
// Browsers then read the whole host as an IPv4 address, in their own way (octal for a leading 0,
// hex, fewer than four parts: 0127.0.0.1 is 87.0.0.1, 127.1 is 127.0.0.1).
bool EndsInNumber(std::string_view host) {
    if (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    const std::size_t dot = host.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty())
        return false;
    if (AllDigits(last))
        return true;
    if (last.size() < 2 || last[0] != '0' || (last[1] != 'x' && last[1] != 'X'))
        return false;
    for (char c : last.substr(2))
        if (!IsHexDigit(c))
            return false;
    return true;
}

// Four decimal numbers of 0..255 without leading zeros: the one IPv4 spelling every reader
// agrees on.
bool IsCanonicalIpv4(std::string_view host) {
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = host.find('.', start);
        const std::string_view part =
            host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
        if (part.empty() || part.size() > 3 || !AllDigits(part) || (part.size() > 1 && part[0] == '0') ||
            std::stoi(std::string(part)) > 255)
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            return parts == 4;
        start = dot + 1;
    }
}

// WHATWG URL "forbidden host code points" (plus '%', which browsers decode before reading the
// host, so the host they use is not the one written).
bool IsForbiddenHostChar(char c) {
    return std::string_view(" #%/:<>?@[\\]^|").find(c) != std::string_view::npos;
}

const char* CheckSpecialHost(std::string_view host) {
    if (host.front() == '[') {
        for (char c : host.substr(1, host.size() - 2))
            if (!IsHexDigit(c) && c != ':' && c != '.')
                return "must write an IPv6 address with hexadecimal digits and colons only, like [::1]";
        return nullptr;
    }
    for (char c : host) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return "must spell its host in ASCII (an international domain name in its xn-- form), as "
                   "browsers convert other characters";
        if (c == '%')
            return "must not percent-encode its host: browsers decode it, so the host they call is not the "
                   "one written";
        if (IsForbiddenHostChar(c))
            return "has a character browsers do not accept in a host name";
    }
    if (EndsInNumber(host) && !IsCanonicalIpv4(host))
        return "must write an IPv4 address as four decimal numbers without leading zeros, like 127.0.0.1: "
               "browsers read forms such as 0127.0.0.1, 127.1 or 0x7f.0.0.1 as other addresses";
    return nullptr;
}

// RFC 3986 section 3.2: authority = [ userinfo "@" ] host [ ":" port ]. Like the WHATWG URL
// parser, the last '@' ends the userinfo. Sets `problem` to a reason when there is one to give.
bool ParseAuthority(std::string_view authority, Url& url, const char*& problem) {
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        url.hasUserinfo = true;
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
    if (!AllDigits(port))
        return false;
    if (port.size() > 5 || (!port.empty() && std::stoi(std::string(port)) > 65535)) {
        problem = "must have a port from 0 to 65535";
        return false;
    }
    if (!host.empty() && IsSpecialScheme(url.scheme))
        problem = CheckSpecialHost(host);
    if (problem)
        return false;
    url.host = text::LowerAscii(host);
    url.port = std::string(port);
    return true;
}

// C0 controls, space and DEL: the WHATWG parser removes tabs and line breaks anywhere and
// trims the rest at both ends, so the URL it reads is not the text that was checked.
bool HasControlOrSpace(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return true;
    return false;
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

std::optional<Url> SplitUrl(std::string_view text, const char*& problem) {
    if (HasControlOrSpace(text)) {
        problem = "must not contain spaces, tabs, line breaks or other control characters";
        return std::nullopt;
    }
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
    // The WHATWG parser reads '\' as '/' before the query: "http://a\@b/" goes to host a, where
    // an RFC 3986 reader sees user "a\" at host b.
    if (rest.find('\\') != std::string_view::npos) {
        problem = kBackslashProblem.data();
        return std::nullopt;
    }
    if (rest.substr(0, 2) == "//") {
        rest = rest.substr(2);
        const std::size_t slash = rest.find('/');
        url.hasAuthority = true;
        if (!ParseAuthority(rest.substr(0, slash), url, problem))
            return std::nullopt;
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    }
    url.path = std::string(rest);
    return url;
}

} // namespace

std::optional<Url> ParseUrl(std::string_view text) {
    return ParseUrl(text, nullptr);
}

std::optional<Url> ParseUrl(std::string_view text, std::string* problem) {
    const char* reason = nullptr;
    std::optional<Url> url = SplitUrl(text, reason);
    if (problem)
        *problem = reason && !url ? reason : "";
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

std::string OriginOf(const Url& url) {
    std::string port = url.port;
    while (port.size() > 1 && port.front() == '0') // "0443" is port 443, as browsers read it
        port.erase(port.begin());
    if (port.empty())
        port = url.scheme == "https" ? "443" : url.scheme == "http" ? "80" : "";
    return url.scheme + "://" + url.host + (port.empty() ? "" : ":" + port);
}

} // namespace oauth

#pragma once
// URL splitting per RFC 3986 section 3 (scheme, authority, path, query, fragment): just enough
// to check endpoint URLs, append a query and read a callback. Not a full WHATWG parser.
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

struct Url {
    std::string scheme; // lower-cased, without ':'
    bool hasAuthority = false;
    std::string userinfo; // text before '@' in the authority, if any
    std::string host;     // lower-cased; an IPv6 literal keeps its brackets: "[::1]"
    std::string port;     // digits only, empty when absent
    std::string path;
    std::optional<std::string> query;    // without '?'; present but empty for "https://h/?"
    std::optional<std::string> fragment; // without '#'
};

// RFC 3986 section 3. nullopt when there is no scheme or the authority is malformed
// (bad port, unclosed IPv6 bracket).
std::optional<Url> ParseUrl(std::string_view text);

// RFC 8252 section 8.3 and RFC 6761 section 6.3: "localhost", 127.0.0.0/8 and [::1] never leave
// the machine, which is why http is tolerated for them.
bool IsLoopbackHost(std::string_view host);

// Adds already-encoded "a=1&b=2" to the URL's query: a query already present is kept and the new
// pairs follow it (RFC 6749 section 3.1); a fragment, if any, stays last.
std::string AppendQuery(std::string_view url, std::string_view encodedPairs);

} // namespace oauth

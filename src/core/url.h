#pragma once
// URL splitting per RFC 3986 section 3 (scheme, authority, path, query, fragment): just enough
// to check endpoint URLs, append a query and read a callback. Not a full WHATWG parser: it
// refuses what it would read differently from one (see ParseUrl).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

struct Url {
    std::string scheme; // lower-cased, without ':'
    bool hasAuthority = false;
    bool hasUserinfo = false; // the authority has an '@', even with nothing before it
    std::string userinfo;     // text before the last '@' in the authority, if any
    std::string host;         // lower-cased; an IPv6 literal keeps its brackets: "[::1]"
    std::string port;         // digits only, empty when absent
    std::string path;
    std::optional<std::string> query;    // without '?'; present but empty for "https://h/?"
    std::optional<std::string> fragment; // without '#'
};

// Why a URL with '\\' is refused: the end of a sentence after a field's label.
inline constexpr std::string_view kBackslashProblem =
    "must not contain a backslash (\\): browsers read it as a slash, so the request would go to another "
    "host than the one checked";

// RFC 3986 section 3, refusing (nullopt) what the browser's WHATWG URL parser would read
// differently, so a check made on the result holds for the request the browser sends:
// - no scheme, or a malformed authority (unclosed IPv6 bracket, a port that is not 1..65535);
// - spaces, tabs, line breaks or other control characters anywhere (browsers drop or trim them);
// - '\' before the query (browsers read it as '/': "http://a\@b/" goes to a, not b);
// - for http, https, ws, wss and ftp: a host with '%' (browsers percent-decode it), non-ASCII
//   (browsers map it through IDNA), a forbidden host code point, an IPv6 literal with other
//   than hex digits, ':' and '.', or a host ending in a number that is not four decimal parts
//   without leading zeros (browsers read 0127.0.0.1 as 87.0.0.1, 127.1 as 127.0.0.1).
// Userinfo is split at the last '@', as browsers do. `problem`, when given, receives the reason
// as the end of a sentence after a field's label ("must not contain a backslash ..."), or is
// emptied when there is no more specific reason than "not a URL" (or no problem).
std::optional<Url> ParseUrl(std::string_view text);
std::optional<Url> ParseUrl(std::string_view text, std::string* problem);

// A second reading of a URL by the parser that will use it: the browser's WHATWG URL parser, the
// one fetch() and window.open() apply (platform::Platform::parseUrl). nullopt: it refuses the text.
// Checks made on ParseUrl's result are repeated on this reading before anything is sent, so a
// disagreement between the two parsers can never send a request where the check did not look.
using UrlReader = std::function<std::optional<Url>(std::string_view)>;

// Where a request to the URL goes: "scheme://host:port", the scheme's default port filled in
// (http 80, https 443), e.g. "https://login.example.com:443".
std::string OriginOf(const Url& url);

// RFC 8252 section 8.3 and RFC 6761 section 6.3: "localhost", 127.0.0.0/8 and [::1] never leave
// the machine, which is why http is tolerated for them.
bool IsLoopbackHost(std::string_view host);

// Adds already-encoded "a=1&b=2" to the URL's query: a query already present is kept and the new
// pairs follow it (RFC 6749 section 3.1); a fragment, if any, stays last.
std::string AppendQuery(std::string_view url, std::string_view encodedPairs);

} // namespace oauth

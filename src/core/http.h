#pragma once
// Plain HTTP values exchanged with the platform layer, which does the actual fetch.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oauth {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A client assertion still to be signed (RFC 7523 section 2.2): BuildAuthenticatedPost plans it,
// the Fetcher has it signed just before sending and appends it (client_assertion.h), so every
// request carries a fresh one.
struct PendingAssertion {
    std::string algorithm; // "HS256" (keyed by the client secret), "RS256", "PS256" or "ES256"
    std::string clientId;  // iss and sub (RFC 7523 section 3)
    std::string audience;  // aud
    std::string keyId;     // kid, or empty: the signer fills in the key's thumbprint
};

// A DPoP proof still to be made (RFC 9449 section 4): the Fetcher signs one with the profile's key
// just before sending, from the request's method and URL and the server's latest nonce.
struct PendingDpop {
    std::string accessToken; // a protected resource's request: its ath (empty at the token endpoint)
};

struct HttpRequest {
    std::string method;
    std::string url;
    HttpHeaders headers;
    std::string body;
    std::optional<PendingAssertion> assertion = std::nullopt; // set: the body still lacks client_assertion
    std::optional<PendingDpop> dpop = std::nullopt;           // set: the DPoP header is still to be made
};

struct HttpResponse {
    int status = 0; // 0: no HTTP answer reached the page (network error or CORS refusal)
    HttpHeaders headers;
    std::string body;
};

// Why no HTTP answer reached the page (status 0). The browser reports a network error and a CORS
// refusal alike; a follow-up fetch of the same URL in mode "no-cors" tells them apart: it
// resolves (with an opaque response) when a server answered, and rejects when nothing did.
enum class FetchFailure {
    None,     // an HTTP answer arrived (or the probe of a URL was answered)
    NoAnswer, // nothing answered: connection refused, unknown host, TLS failure, blocked port
    Cors,     // a server answered, but the browser withheld its answer from this page
    Timeout,  // nothing within the timeout
    Broken,   // the answer began (status line and headers arrived), then the connection broke mid-body
    NotSent,  // the page did not send it: its client assertion or DPoP proof could not be signed
              // (transportError says why)
};

// The whole result of one fetch, as the platform delivers it and every Process* reads it.
struct FetchResult {
    HttpResponse response;                     // status 0: no HTTP answer (network, CORS, timeout)
    std::string transportError;                // the browser's words when status is 0
    FetchFailure failure = FetchFailure::None; // set when status is 0
    double elapsedMs = 0;
};

// First header with this name, compared case-insensitively (RFC 9110 section 5.1).
std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name);

} // namespace oauth

#pragma once
// When no HTTP answer reaches the page. The browser reports status 0 both for a network error and
// for a CORS refusal, and does not say which (Fetch standard, "network error"); the platform tells
// them apart with a follow-up no-cors request of the same URL, which resolves (with an opaque
// response) when a server answered and rejects when nothing did. This file words each case with
// its own next step, and reads the status of this page's own CORS relay (serve.py --relay).
#include "core/endpoint_error.h"
#include "core/http.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

enum class TransportFailureKind {
    Unknown,  // not classified: "did not answer, or refused (CORS)"
    NoAnswer, // nothing answered: connection refused, unknown host, TLS failure, blocked port
    Cors,     // a server answered, but the browser kept the answer from this page (CORS)
    Timeout,  // no answer within the request timeout
    Broken,   // the answer began, then the connection broke before it was complete
    NotSent,  // not sent: the client assertion could not be signed (browserMessage says why)
};

// What this page's server says about its relay (GET <page folder>/relay), for one target URL.
enum class RelayAvailability {
    Unknown,        // not asked (or the answer could not be read)
    Off,            // the page's server runs no relay (404, or an answer that is not the relay's)
    HostNotAllowed, // the relay runs, but the target's host is not on its allowlist
    Offered,        // the relay runs and forwards to the target's host
    NotUsed,        // this request never goes through the relay (discovery's public GET)
};

struct TransportFailure {
    std::string_view url;               // what was called
    Endpoint endpoint = kTokenEndpoint; // its name in a sentence and the field that holds its URL
    TransportFailureKind kind = TransportFailureKind::Unknown;
    std::string_view browserMessage;
    int timeoutSeconds = 0;
    RelayAvailability relay = RelayAvailability::Unknown; // for the CORS sentence's next step
    bool viaRelay = false; // the request went to this page's relay, which did not answer
    // The page offers "Retry through the relay" for this request (the grants do; the tools do not).
    bool relayRetryButton = true;
};

// What the one answer handler knows about a fetch besides its result.
struct FetchContext {
    std::string_view url;                                 // the endpoint called (the target, when relayed)
    Endpoint endpoint = kTokenEndpoint;                   // who was called, for the sentences
    bool viaRelay = false;                                // sent through this page's CORS relay
    int timeoutSeconds = 0;                               // the request timeout, for a Timeout's sentence
    RelayAvailability relay = RelayAvailability::Unknown; // asked after a CORS refusal
    bool relayRetryButton = true;                         // as TransportFailure::relayRetryButton
};

// For the Process*(response, url) adapters: an answer that arrived (no transport details) and
// the context naming the endpoint called, so every adapter hands the one answer handler the same.
inline FetchResult ArrivedAnswer(const HttpResponse& response) {
    FetchResult fetched;
    fetched.response = response;
    return fetched;
}
inline FetchContext ContextFor(std::string_view url, Endpoint endpoint) {
    FetchContext context;
    context.url = url;
    context.endpoint = endpoint;
    return context;
}

// The one answer handler's first step, the same for every endpoint: an answer that is not the
// provider's as an EndpointError. Nothing reached the page (status 0, worded by `failure`: no
// answer, CORS with the relay's next step, timeout, the relay itself silent), or the relay
// answered itself (DescribeRelayProblem). nullopt: the response is the provider's, for the
// endpoint's Process* to read.
std::optional<EndpointError> DescribeFetchProblem(const FetchResult& fetched, const FetchContext& context);

// True when `error` came from DescribeFetchProblem: the provider's answer never reached the page.
bool IsFetchProblem(const EndpointError& error);

// True for Microsoft Entra ID token hosts (login.microsoftonline.com and its national clouds,
// login.microsoft.com, *.ciamlogin.com), whose browser calls need the "Single-page application"
// platform.
bool IsMicrosoftEntraUrl(std::string_view url);

// code "network_or_cors", one sentence saying the provider did not answer or refused a browser
// call (CORS) and what to do about it, and the URL and browser message as details.
EndpointError DescribeTransportFailure(std::string_view tokenUrl, std::string_view browserMessage = {});

// One sentence per kind, with its next step; codes no_answer, cors, timeout, relay_no_answer
// (and network_or_cors for Unknown). Details: the URL, the HTTP status 0, the browser's words.
EndpointError DescribeTransportFailure(const TransportFailure& failure);

// The authorization endpoint did not answer a probe before the consent popup: code no_answer or
// timeout, naming the Authorization URL.
EndpointError DescribeAuthorizationUrlFailure(std::string_view authorizationUrl, TransportFailureKind kind,
                                              int timeoutSeconds);

// The relay's status answer: 200 with header X-OAuth-Setup-Relay and JSON
// {"relay": true, "allow": ["host", "host:port", "*.domain"]} ("allowedHosts" is read too).
struct RelayStatus {
    bool running = false;
    std::vector<std::string> allow; // lower-cased
};
RelayStatus ReadRelayStatus(const HttpResponse& response);

// Whether the relay forwards to `url`: an entry "host:port" allows that port (the scheme's default
// when the URL has none), "host" port 443 only (serve.py's rule), "*.domain" its subdomains.
RelayAvailability RelayAvailabilityFor(const RelayStatus& status, std::string_view url);

// An answer to a request sent through the relay that the relay made itself: nothing answered at
// /relay but some other server (the relay is off: no X-OAuth-Setup-Relay header), or the relay's
// own relay_refused / relay_failed error. nullopt when the answer is the provider's.
std::optional<EndpointError> DescribeRelayProblem(const HttpResponse& response, std::string_view targetUrl);

} // namespace oauth

#include "core/transport_failure.h"

#include "core/text.h"
#include "core/url.h"

#include <nlohmann/json.hpp>

namespace oauth {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsHostOrSubdomain(std::string_view host, std::string_view domain) {
    return host == domain || EndsWith(host, "." + std::string(domain));
}

// "id.example.com" or "127.0.0.1:9400": where the browser tried to connect.
std::string HostOf(std::string_view url) {
    const auto parsed = ParseUrl(url);
    if (!parsed || parsed->host.empty())
        return std::string(url);
    return parsed->port.empty() ? parsed->host : parsed->host + ":" + parsed->port;
}

std::string DefaultPort(const Url& url) {
    if (!url.port.empty())
        return url.port;
    return url.scheme == "http" ? "80" : "443";
}

EndpointError Failure(std::string code, std::string message, const TransportFailure& f) {
    EndpointError error;
    error.endpoint = f.endpoint;
    error.code = std::move(code);
    error.message = std::move(message);
    error.details.push_back({std::string(f.endpoint.urlLabel), std::string(f.url)});
    error.details.push_back({"HTTP status", f.kind == TransportFailureKind::Broken
                                                ? "0 (the answer broke off; the browser gives no part of it)"
                                                : "0 (no answer reached the page)"});
    if (!f.browserMessage.empty())
        error.details.push_back({"Browser message", std::string(f.browserMessage)});
    return error;
}

std::string RelayNextStep(RelayAvailability relay, const std::string& host, bool retryButton) {
    switch (relay) {
    case RelayAvailability::Offered:
        if (!retryButton)
            return " This page's CORS relay forwards to " + host +
                   ": turn on \"Use CORS relay\" to send it through this page's own server, which browsers' "
                   "CORS rules do not apply to.";
        return " Press \"Retry through the relay\" to send it through this page's own server, which "
               "browsers' "
               "CORS rules do not apply to.";
    case RelayAvailability::HostNotAllowed:
        return " This page's CORS relay runs but does not forward to " + host +
               ": restart serve.py with --relay-allow " + host + " (or add the host to its allowlist).";
    case RelayAvailability::NotUsed:
        return {};
    default:
        return " To send it through this page's own server instead, start the CORS relay (./scripts/run.sh "
               "starts it by default; serve.py --relay) and turn on \"Use CORS relay\".";
    }
}

std::string CorsSentence(const TransportFailure& f, const std::string& host) {
    std::string sentence =
        IsMicrosoftEntraUrl(f.url)
            ? "Microsoft Entra ID answered but refused this page (CORS): register the Redirect URL under the "
              "\"Single-page application\" platform of the app registration, not under \"Web\"."
            : "The " + std::string(f.endpoint.name) + " at " + host +
                  " answered but refused this page (CORS): the provider does not allow browser calls from "
                  "this "
                  "page's origin.";
    return sentence + RelayNextStep(f.relay, host, f.relayRetryButton);
}

TransportFailureKind KindOf(FetchFailure failure) {
    switch (failure) {
    case FetchFailure::NoAnswer:
        return TransportFailureKind::NoAnswer;
    case FetchFailure::Cors:
        return TransportFailureKind::Cors;
    case FetchFailure::Timeout:
        return TransportFailureKind::Timeout;
    case FetchFailure::Broken:
        return TransportFailureKind::Broken;
    case FetchFailure::NotSent:
        return TransportFailureKind::NotSent;
    case FetchFailure::None:
        break;
    }
    return TransportFailureKind::Unknown;
}

} // namespace

std::optional<EndpointError> DescribeFetchProblem(const FetchResult& fetched, const FetchContext& context) {
    if (fetched.response.status != 0) {
        if (!context.viaRelay)
            return std::nullopt;
        std::optional<EndpointError> problem = DescribeRelayProblem(fetched.response, context.url);
        if (problem)
            problem->endpoint = context.endpoint; // the relay's words, never "the provider says"
        return problem;
    }
    TransportFailure failure;
    failure.url = context.url;
    failure.endpoint = context.endpoint;
    failure.kind = KindOf(fetched.failure);
    failure.browserMessage = fetched.transportError;
    failure.timeoutSeconds = context.timeoutSeconds;
    failure.relay = context.endpoint.relayable ? context.relay : RelayAvailability::NotUsed;
    failure.viaRelay = context.viaRelay;
    failure.relayRetryButton = context.relayRetryButton;
    EndpointError error = DescribeTransportFailure(failure);
    // Not classified by the platform: the relay may still help.
    if (fetched.failure == FetchFailure::None && !context.viaRelay && context.endpoint.relayable)
        error.message +=
            " If the provider refuses browsers, turn on \"Use CORS relay\" (needs serve.py --relay).";
    return error;
}

bool IsFetchProblem(const EndpointError& error) {
    return error.status == 0 || error.code.rfind("relay_", 0) == 0;
}

bool IsMicrosoftEntraUrl(std::string_view url) {
    const auto parsed = ParseUrl(url);
    if (!parsed)
        return false;
    const std::string& host = parsed->host;
    return host == "login.microsoftonline.com" || host == "login.microsoftonline.us" ||
           host == "login.partner.microsoftonline.cn" || host == "login.microsoft.com" ||
           host == "login.windows.net" || IsHostOrSubdomain(host, "ciamlogin.com");
}

EndpointError DescribeTransportFailure(std::string_view tokenUrl, std::string_view browserMessage) {
    TransportFailure failure;
    failure.url = tokenUrl;
    failure.browserMessage = browserMessage;
    return DescribeTransportFailure(failure);
}

EndpointError DescribeTransportFailure(const TransportFailure& f) {
    const std::string host = HostOf(f.url);
    if (f.viaRelay)
        return Failure("relay_no_answer",
                       "This page's own server did not answer at its CORS relay, so nothing reached the " +
                           std::string(f.endpoint.name) +
                           ": check that serve.py still runs, or turn off \"Use CORS relay\".",
                       f);
    switch (f.kind) {
    case TransportFailureKind::NoAnswer:
        return Failure("no_answer",
                       "Nothing answered at " + host +
                           " (connection refused, unknown host, TLS failure or a blocked port): check the " +
                           std::string(f.endpoint.urlLabel) +
                           " and that the server runs and is reachable from this browser.",
                       f);
    case TransportFailureKind::Timeout:
        return Failure("timeout",
                       "The " + std::string(f.endpoint.name) + " at " + host + " did not answer within " +
                           std::to_string(f.timeoutSeconds) + " s: check the " +
                           std::string(f.endpoint.urlLabel) + ", or raise Timeout (s) if the server is slow.",
                       f);
    case TransportFailureKind::Broken:
        // Not CORS: a refused answer never shows its status to the page, this one did.
        return Failure("connection_broken",
                       "The " + std::string(f.endpoint.name) + " at " + host +
                           " began to answer, then the connection broke before the answer was complete, "
                           "so nothing of it can be used: try again, and if it keeps happening, the server "
                           "or a proxy on the way drops the connection.",
                       f);
    case TransportFailureKind::Cors:
        return Failure("cors", CorsSentence(f, host), f);
    case TransportFailureKind::NotSent:
        return Failure("assertion_not_signed",
                       "Nothing was sent to the " + std::string(f.endpoint.name) +
                           ": the client assertion could not be signed. " + std::string(f.browserMessage),
                       f);
    case TransportFailureKind::Unknown:
        break;
    }
    std::string message =
        IsMicrosoftEntraUrl(f.url)
            ? "Microsoft Entra ID did not answer or refused a call from the browser (CORS); register the "
              "Redirect "
              "URL under the \"Single-page application\" platform of the app registration, not under \"Web\"."
            : "The " + std::string(f.endpoint.name) +
                  " did not answer, or refused a call from the browser (CORS); check the " +
                  std::string(f.endpoint.urlLabel) +
                  " and that the provider allows this page's origin for a browser (single-page) client.";
    return Failure("network_or_cors", std::move(message), f);
}

EndpointError DescribeAuthorizationUrlFailure(std::string_view authorizationUrl, TransportFailureKind kind,
                                              int timeoutSeconds) {
    TransportFailure f;
    f.url = authorizationUrl;
    f.endpoint = kAuthorizationEndpoint;
    const std::string host = HostOf(authorizationUrl);
    if (kind == TransportFailureKind::Timeout)
        return Failure("timeout",
                       "The Authorization URL's server at " + host + " did not answer within " +
                           std::to_string(timeoutSeconds) +
                           " s, so the consent popup was closed: check the Authorization URL.",
                       f);
    return Failure(
        "no_answer",
        "Nothing answered at " + host +
            " (connection refused, unknown host, TLS failure or a blocked port), so the consent popup "
            "was closed: check the Authorization URL.",
        f);
}

RelayStatus ReadRelayStatus(const HttpResponse& response) {
    RelayStatus status;
    if (response.status != 200 || !FindHeader(response.headers, "X-OAuth-Setup-Relay"))
        return status;
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    const auto relay = body.is_object() ? body.find("relay") : body.end();
    if (!body.is_object() || relay == body.end() || !relay->is_boolean() || !relay->get<bool>())
        return status;
    status.running = true;
    for (const char* key : {"allow", "allowedHosts"}) {
        const auto it = body.find(key);
        if (it == body.end() || !it->is_array())
            continue;
        for (const auto& entry : *it)
            if (entry.is_string())
                status.allow.push_back(text::LowerAscii(entry.get<std::string>()));
    }
    return status;
}

RelayAvailability RelayAvailabilityFor(const RelayStatus& status, std::string_view url) {
    if (!status.running)
        return RelayAvailability::Off;
    const auto parsed = ParseUrl(url);
    if (!parsed)
        return RelayAvailability::HostNotAllowed;
    const std::string port = DefaultPort(*parsed);
    for (const std::string& entry : status.allow) {
        // serve.py: an entry without a port means port 443.
        const std::size_t colon = entry.rfind(':');
        const bool hasPort = colon != std::string::npos && entry.find(']', colon) == std::string::npos;
        const std::string host = hasPort ? entry.substr(0, colon) : entry;
        if ((hasPort ? entry.substr(colon + 1) : std::string("443")) != port)
            continue;
        const bool wildcard = host.rfind("*.", 0) == 0;
        if (host == parsed->host || (wildcard && EndsWith(parsed->host, host.substr(1))))
            return RelayAvailability::Offered;
    }
    return RelayAvailability::HostNotAllowed;
}

std::optional<EndpointError> DescribeRelayProblem(const HttpResponse& response, std::string_view targetUrl) {
    EndpointError error;
    error.status = response.status;
    error.rawBody = response.body;
    if (!FindHeader(response.headers, "X-OAuth-Setup-Relay")) {
        error.code = "relay_off";
        error.message = "This page's server runs no CORS relay (it answered HTTP " +
                        std::to_string(response.status) +
                        " at /relay), so nothing was sent to the provider: start the relay (./scripts/run.sh "
                        "starts it by default; serve.py --relay), or turn off \"Use CORS relay\".";
        error.details.push_back({"Target", std::string(targetUrl)});
        return error;
    }
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    const std::string code = body.is_object() ? body.value("error", std::string()) : std::string();
    if (code != "relay_refused" && code != "relay_failed")
        return std::nullopt; // the provider's own answer, forwarded
    const std::string description = body.value("error_description", std::string());
    error.code = code;
    error.message =
        std::string(code == "relay_refused" ? "This page's CORS relay refused to forward the request"
                                            : "This page's CORS relay could not reach the provider") +
        " (" + code + "): " + text::OneLineExcerpt(description);
    error.details.push_back({"Target", std::string(targetUrl)});
    error.details.push_back({"Relay status", std::to_string(response.status)});
    return error;
}

} // namespace oauth

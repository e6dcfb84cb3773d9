#include "core/endpoint_error.h"

#include "core/json_depth.h"
#include "core/masking.h"
#include "core/profile.h"
#include "core/text.h"
#include "core/transport_failure.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace oauth {
namespace {

using json = nlohmann::json;

constexpr std::size_t kBodyExcerptLength = 300;

// "The token endpoint": the start of most sentences.
std::string The(Endpoint endpoint) {
    return "The " + std::string(endpoint.name);
}

std::string StatusText(int status) {
    return "HTTP " + std::to_string(status);
}

bool IsSuccessStatus(int status) {
    return status >= 200 && status < 300;
}

// Strings as they are, anything else as compact JSON: for showing a value next to its name.
std::string DisplayValue(const json& value) {
    return value.is_string() ? value.get<std::string>() : DumpJson(value);
}

std::string StringMember(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool LooksLikeHtml(const HttpResponse& response) {
    const std::string type = text::LowerAscii(FindHeader(response.headers, "Content-Type").value_or(""));
    const std::string start = text::LowerAscii(text::Trim(response.body).substr(0, 15));
    return type.find("text/html") != std::string::npos || start.rfind("<!doctype", 0) == 0 ||
           start.rfind("<html", 0) == 0;
}

EndpointError NotJsonError(const HttpResponse& response, Endpoint endpoint) {
    const bool html = LooksLikeHtml(response);
    const std::string check = "; check the " + std::string(endpoint.urlLabel) + ".";
    EndpointError error = html
                              ? MakeEndpointError(response, endpoint, "html_body",
                                                  The(endpoint) + " answered " + StatusText(response.status) +
                                                      " with an HTML page instead of JSON" + check)
                              : MakeEndpointError(response, endpoint, "not_json",
                                                  The(endpoint) + " answered " + StatusText(response.status) +
                                                      " with a body that is not JSON" + check);
    if (auto type = FindHeader(response.headers, "Content-Type"))
        error.details.push_back({"Content-Type", *type});
    // Masked before it is cut, so a secret the cut would split is still recognised as one.
    const std::string masked = MaskResponseBodyForDisplay(text::Trim(response.body), false);
    error.details.push_back({"Body (start)", masked.substr(0, kBodyExcerptLength)});
    return error;
}

// RFC 6749 section 5.2: one sentence per registered error code.
std::string DescribeErrorCode(const std::string& code, Endpoint endpoint) {
    if (code == "invalid_request")
        return The(endpoint) + " rejected the request as malformed (invalid_request).";
    if (code == "invalid_client")
        return The(endpoint) + " did not accept the client's credentials (invalid_client); check Client ID, "
                               "Client Secret and Client Authentication.";
    if (code == "invalid_grant")
        return The(endpoint) + " rejected the grant (invalid_grant): the code, refresh token or user "
                               "credentials are invalid, expired, already used or issued to another client.";
    if (code == "unauthorized_client")
        return "This client is not allowed to use this grant type (unauthorized_client).";
    if (code == "unsupported_grant_type")
        return The(endpoint) + " does not support this grant type (unsupported_grant_type).";
    if (code == "invalid_scope")
        return The(endpoint) + " rejected the requested scope (invalid_scope).";
    return The(endpoint) + " answered with error \"" + code + "\".";
}

// Microsoft Entra ID descriptions read "AADSTS7000215: Invalid client secret provided. Ensure...
// \r\nTrace ID: ...". Returns "AADSTS7000215", or empty for other providers.
std::string EntraCode(std::string_view description) {
    if (description.rfind("AADSTS", 0) != 0)
        return {};
    std::size_t end = 6;
    while (end < description.size() && std::isdigit(static_cast<unsigned char>(description[end])))
        ++end;
    return end > 6 ? std::string(description.substr(0, end)) : std::string{};
}

// The first sentence after "AADSTSnnn: ", ending with a period.
std::string EntraFirstSentence(std::string_view description, std::size_t codeLength) {
    std::string_view rest = description.substr(codeLength);
    if (!rest.empty() && rest.front() == ':')
        rest.remove_prefix(1);
    rest = text::Trim(rest);
    std::size_t end = rest.size();
    for (std::string_view stop : {". ", ".\r", ".\n", "\r", "\n"}) {
        const std::size_t at = rest.find(stop);
        if (at != std::string_view::npos && at < end)
            end = stop.front() == '.' ? at + 1 : at;
    }
    std::string sentence(text::Trim(rest.substr(0, end)));
    if (!sentence.empty() && sentence.back() != '.')
        sentence += '.';
    return sentence;
}

std::string JoinArray(const json& array) {
    std::string joined;
    for (const json& item : array) {
        if (!joined.empty())
            joined += ", ";
        joined += DisplayValue(item);
    }
    return joined;
}

// Entra adds error_codes, trace_id, correlation_id and timestamp next to the standard members.
void AddEntraDetails(const json& body, Details& details) {
    if (const auto codes = body.find("error_codes"); codes != body.end() && codes->is_array())
        details.push_back({"error_codes", JoinArray(*codes)});
    for (const char* key : {"trace_id", "correlation_id", "timestamp"})
        if (const std::string value = StringMember(body, key); !value.empty())
            details.push_back({key, value});
}

// "error" is usually a string; some gateways send {"error": {"code": ..., "message": ...}}.
void ReadErrorMember(const json& body, std::string& code, std::string& description) {
    const json& error = *body.find("error");
    if (error.is_string()) {
        code = error.get<std::string>();
    } else if (error.is_object()) {
        code = StringMember(error, "code");
        description = StringMember(error, "message");
    }
    if (code.empty())
        code = "error";
    for (const char* key : {"error_description", "error_message", "message"})
        if (description.empty())
            description = StringMember(body, key);
}

// The sentence for an RFC 6749 section 5.2 error object: the code's sentence, then the
// provider's own words quoted as they came (they say what to fix more often than the code does).
std::string OAuthErrorSentence(const EndpointError& error, const std::string& entra) {
    if (!entra.empty())
        return "Microsoft Entra ID answered " + error.code + " (" + entra +
               "): " + EntraFirstSentence(error.description, entra.size());
    std::string message = DescribeErrorCode(error.code, error.endpoint);
    if (!error.description.empty() && error.description != error.code)
        message += " The provider says: \"" + text::OneLineExcerpt(error.description) + "\"";
    return message;
}

EndpointError OAuthError(const HttpResponse& response, const json& body, Endpoint endpoint) {
    std::string code, description;
    ReadErrorMember(body, code, description);
    EndpointError error = MakeEndpointError(response, endpoint, code, {});
    error.description = description;
    error.uri = StringMember(body, "error_uri");
    const std::string entra = EntraCode(description);
    error.message = OAuthErrorSentence(error, entra);
    error.details.push_back({"error", code});
    if (!entra.empty())
        error.details.push_back({"AADSTS code", entra});
    if (!description.empty())
        error.details.push_back(
            {"error_description", MaskDetailForDisplay("error_description", description)});
    if (!error.uri.empty())
        error.details.push_back({"error_uri", error.uri});
    AddEntraDetails(body, error.details);
    if (IsSuccessStatus(response.status))
        error.details.push_back({"Note", "The error came with " + StatusText(response.status) +
                                             "; RFC 6749 section 5.2 expects HTTP 400 (or 401)."});
    return error;
}

// A non-2xx JSON answer without "error", e.g. LinkedIn's {"serviceErrorCode":..,"message":..}.
EndpointError HttpErrorWithoutOAuthError(const HttpResponse& response, const json& body, Endpoint endpoint) {
    const std::string text = StringMember(body, "message");
    const std::string start = The(endpoint) + " answered " + StatusText(response.status);
    EndpointError error =
        MakeEndpointError(response, endpoint, "http_error",
                          text.empty() ? start + " without an OAuth error object."
                                       : start + ": " + text + (text.back() == '.' ? "" : "."));
    error.description = text;
    for (const auto& [key, value] : body.items())
        error.details.push_back({key, MaskDetailForDisplay(key, DisplayValue(value))});
    return error;
}

} // namespace

EndpointError MakeEndpointError(const HttpResponse& response, Endpoint endpoint, std::string code,
                                std::string message) {
    EndpointError error;
    error.endpoint = endpoint;
    error.code = std::move(code);
    error.message = std::move(message);
    error.status = response.status;
    error.rawBody = response.body;
    error.details.push_back({"HTTP status", std::to_string(response.status)});
    return error;
}

std::optional<EndpointError> ReadErrorAnswer(const HttpResponse& response, Endpoint endpoint,
                                             nlohmann::json* parsed) {
    if (text::Trim(response.body).empty())
        return MakeEndpointError(response, endpoint, "empty_body",
                                 The(endpoint) + " answered " + StatusText(response.status) +
                                     " with an empty body.");
    bool tooDeep = false;
    json body = ParseUntrustedJson(response.body, &tooDeep);
    if (tooDeep)
        return MakeEndpointError(response, endpoint, "too_deep",
                                 The(endpoint) + "'s answer is nested deeper than " +
                                     std::to_string(kMaxJsonDepth) + " levels; it was not read.");
    if (body.is_discarded())
        return NotJsonError(response, endpoint);
    if (!body.is_object())
        return MakeEndpointError(response, endpoint, "not_json_object",
                                 The(endpoint) + " answered " + StatusText(response.status) +
                                     " with JSON that is not an object.");
    if (const auto error = body.find("error"); error != body.end() && !error->is_null())
        return OAuthError(response, body, endpoint);
    if (!IsSuccessStatus(response.status))
        return HttpErrorWithoutOAuthError(response, body, endpoint);
    if (parsed)
        *parsed = std::move(body);
    return std::nullopt;
}

EndpointError DescribeEndpointError(const HttpResponse& response, std::string_view url, Endpoint endpoint) {
    if (response.status == 0) {
        return *DescribeFetchProblem(ArrivedAnswer(response), ContextFor(url, endpoint));
    }
    if (auto error = ReadErrorAnswer(response, endpoint))
        return std::move(*error);
    // Only reached when a caller passes the endpoint's success answer; say so rather than invent
    // an error.
    return MakeEndpointError(response, endpoint, "unexpected_response",
                             The(endpoint) + " answered " + StatusText(response.status) +
                                 " with a token response, which this step does not expect.");
}

std::optional<std::int64_t> ReadSeconds(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        const std::uint64_t seconds = value.get<std::uint64_t>();
        if (seconds <= std::uint64_t(INT64_MAX))
            return std::int64_t(seconds);
    } else if (value.is_number_integer()) {
        const std::int64_t seconds = value.get<std::int64_t>();
        if (seconds >= 0)
            return seconds;
    } else if (value.is_number_float()) {
        const double seconds = value.get<double>();
        if (std::isfinite(seconds) && seconds >= 0 && seconds < 9.0e18)
            return std::int64_t(seconds);
    } else if (value.is_string()) {
        const std::string_view text = text::Trim(value.get_ref<const std::string&>());
        if (text.empty() || text.front() < '0' || text.front() > '9')
            return std::nullopt; // from_chars would accept a leading '-'
        std::int64_t seconds = 0;
        const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (status == std::errc() && end == text.data() + text.size())
            return seconds;
    }
    return std::nullopt;
}

} // namespace oauth

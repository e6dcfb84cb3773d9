#include "core/token_response.h"
#include "core/text.h"

#include "core/json_depth.h"
#include "core/masking.h"
#include "core/profile.h"
#include "core/transport_failure.h"

#include <cctype>
#include <cmath>

namespace oauth {

using text::LowerAscii;

namespace {

using json = nlohmann::json;

constexpr std::size_t kBodyExcerptLength = 300;

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

TokenError MakeError(const HttpResponse& response, std::string code, std::string message) {
    TokenError error;
    error.code = std::move(code);
    error.message = std::move(message);
    error.httpStatus = response.status;
    error.rawBody = response.body;
    error.details.push_back({"HTTP status", std::to_string(response.status)});
    return error;
}

TokenResponse Failed(TokenError error) {
    TokenResponse result;
    result.error = std::move(error);
    return result;
}

bool LooksLikeHtml(const HttpResponse& response) {
    const std::string type = LowerAscii(FindHeader(response.headers, "Content-Type").value_or(""));
    const std::string start = LowerAscii(text::Trim(response.body).substr(0, 15));
    return type.find("text/html") != std::string::npos || start.rfind("<!doctype", 0) == 0 ||
           start.rfind("<html", 0) == 0;
}

TokenError NotJsonError(const HttpResponse& response) {
    const bool html = LooksLikeHtml(response);
    TokenError error = html ? MakeError(response, "html_body",
                                        "The token endpoint answered " + StatusText(response.status) +
                                            " with an HTML page instead of JSON; check the Access Token URL.")
                            : MakeError(response, "not_json",
                                        "The token endpoint answered " + StatusText(response.status) +
                                            " with a body that is not JSON; check the Access Token URL.");
    if (auto type = FindHeader(response.headers, "Content-Type"))
        error.details.push_back({"Content-Type", *type});
    // Masked before it is cut, so a secret the cut would split is still recognised as one.
    const std::string masked = MaskResponseBodyForDisplay(text::Trim(response.body), false);
    error.details.push_back({"Body (start)", masked.substr(0, kBodyExcerptLength)});
    return error;
}

// RFC 6749 section 5.2: one sentence per registered error code.
std::string DescribeTokenError(const std::string& code) {
    if (code == "invalid_request")
        return "The token endpoint rejected the request as malformed (invalid_request).";
    if (code == "invalid_client")
        return "The token endpoint did not accept the client's credentials (invalid_client); check Client "
               "ID, "
               "Client Secret and Client Authentication.";
    if (code == "invalid_grant")
        return "The token endpoint rejected the grant (invalid_grant): the code, refresh token or user "
               "credentials are invalid, expired, already used or issued to another client.";
    if (code == "unauthorized_client")
        return "This client is not allowed to use this grant type (unauthorized_client).";
    if (code == "unsupported_grant_type")
        return "The token endpoint does not support this grant type (unsupported_grant_type).";
    if (code == "invalid_scope")
        return "The token endpoint rejected the requested scope (invalid_scope).";
    return "The token endpoint answered with error \"" + code + "\".";
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

TokenError OAuthError(const HttpResponse& response, const json& body) {
    std::string code, description;
    ReadErrorMember(body, code, description);
    const std::string entra = EntraCode(description);
    std::string message = DescribeTokenError(code);
    // The provider's own words say what to fix more often than the error code does.
    if (!description.empty() && description != code)
        message += " The provider says: \"" + text::OneLineExcerpt(description) + "\"";
    if (!entra.empty())
        message = "Microsoft Entra ID answered " + code + " (" + entra +
                  "): " + EntraFirstSentence(description, entra.size());
    TokenError error = MakeError(response, code, std::move(message));
    error.details.push_back({"error", code});
    if (!entra.empty())
        error.details.push_back({"AADSTS code", entra});
    if (!description.empty())
        error.details.push_back(
            {"error_description", MaskDetailForDisplay("error_description", description)});
    if (const std::string uri = StringMember(body, "error_uri"); !uri.empty())
        error.details.push_back({"error_uri", uri});
    AddEntraDetails(body, error.details);
    if (IsSuccessStatus(response.status))
        error.details.push_back({"Note", "The error came with " + StatusText(response.status) +
                                             "; RFC 6749 section 5.2 expects HTTP 400 (or 401)."});
    return error;
}

// A non-2xx JSON answer without "error", e.g. LinkedIn's {"serviceErrorCode":..,"message":..}.
TokenError HttpErrorWithoutOAuthError(const HttpResponse& response, const json& body) {
    const std::string text = StringMember(body, "message");
    TokenError error = text.empty() ? MakeError(response, "http_error",
                                                "The token endpoint answered " + StatusText(response.status) +
                                                    " without an OAuth error object.")
                                    : MakeError(response, "http_error",
                                                "The token endpoint answered " + StatusText(response.status) +
                                                    ": " + text + (text.back() == '.' ? "" : "."));
    for (const auto& [key, value] : body.items())
        error.details.push_back({key, MaskDetailForDisplay(key, DisplayValue(value))});
    return error;
}

// RFC 6749 section 5.1 says expires_in is a number; some providers send "3600".
std::optional<std::int64_t> ReadExpiresIn(const json& value, std::vector<std::string>& warnings) {
    if (value.is_number_integer() || value.is_number_unsigned()) {
        if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) {
            warnings.push_back("expires_in is too large; it was ignored.");
            return std::nullopt;
        }
        const std::int64_t seconds = value.get<std::int64_t>();
        if (seconds >= 0)
            return seconds;
    } else if (value.is_number_float()) {
        const double seconds = value.get<double>();
        if (std::isfinite(seconds) && seconds >= 0 && seconds < 9.0e18)
            return std::int64_t(seconds);
    } else if (value.is_string()) {
        const std::string_view text = text::Trim(value.get_ref<const std::string&>());
        bool digits = !text.empty() && text.size() <= 18;
        for (char c : text)
            digits = digits && std::isdigit(static_cast<unsigned char>(c));
        if (digits)
            return std::stoll(std::string(text));
    }
    warnings.push_back("expires_in is not a number of seconds (" + DumpJson(value) + "); it was ignored.");
    return std::nullopt;
}

// Standard string members go to their field; a non-string standard member is kept with the others.
bool ReadStandardString(const std::string& key, const json& value, TokenSuccess& token) {
    std::string* target = key == "access_token"    ? &token.accessToken
                          : key == "token_type"    ? &token.tokenType
                          : key == "refresh_token" ? &token.refreshToken
                          : key == "scope"         ? &token.scope
                          : key == "id_token"      ? &token.idToken
                                                   : nullptr;
    if (!target)
        return false;
    if (value.is_string()) {
        *target = value.get<std::string>();
        return true;
    }
    token.warnings.push_back(key + " is not a string; it is shown with the other fields.");
    return false;
}

TokenSuccess ReadSuccess(const HttpResponse& response, const json& body) {
    TokenSuccess token;
    token.fields = body;
    token.rawBody = response.body;
    for (const auto& [key, value] : body.items()) {
        if (key == "expires_in") {
            token.expiresIn = ReadExpiresIn(value, token.warnings);
            continue;
        }
        if (!ReadStandardString(key, value, token))
            token.otherFields.push_back({key, DisplayValue(value)});
    }
    if (token.tokenType.empty())
        token.warnings.push_back("token_type is missing; RFC 6749 section 5.1 requires it.");
    return token;
}

} // namespace

TokenResponse ProcessTokenResponse(const HttpResponse& response, std::string_view tokenUrl) {
    if (response.status == 0)
        return Failed(DescribeTransportFailure(tokenUrl));
    if (text::Trim(response.body).empty())
        return Failed(
            MakeError(response, "empty_body",
                      "The token endpoint answered " + StatusText(response.status) + " with an empty body."));

    bool tooDeep = false;
    const json body = ParseUntrustedJson(response.body, &tooDeep);
    if (tooDeep) // DescribeEndpointError renames "The token endpoint" for the other endpoints.
        return Failed(MakeError(response, "too_deep",
                                "The token endpoint's answer is nested deeper than " +
                                    std::to_string(kMaxJsonDepth) + " levels; it was not read."));
    if (body.is_discarded())
        return Failed(NotJsonError(response));
    if (!body.is_object())
        return Failed(MakeError(response, "not_json_object",
                                "The token endpoint answered " + StatusText(response.status) +
                                    " with JSON that is not an object."));
    if (const auto error = body.find("error"); error != body.end() && !error->is_null())
        return Failed(OAuthError(response, body));
    if (!IsSuccessStatus(response.status))
        return Failed(HttpErrorWithoutOAuthError(response, body));

    const std::string accessToken = StringMember(body, "access_token");
    if (accessToken.empty())
        return Failed(MakeError(response, "missing_access_token",
                                "The token endpoint answered " + StatusText(response.status) +
                                    " but the JSON has no access_token (RFC 6749 section 5.1)."));
    TokenResponse result;
    result.success = ReadSuccess(response, body);
    return result;
}

} // namespace oauth

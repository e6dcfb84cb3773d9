#include "core/token_response.h"
#include "core/text.h"

#include "core/profile.h"
#include "core/transport_failure.h"

#include <cctype>
#include <cmath>

namespace oauth {

namespace {

using json = nlohmann::json;

// Strings as they are, anything else as compact JSON: for showing a value next to its name.
std::string DisplayValue(const json& value) {
    return value.is_string() ? value.get<std::string>() : DumpJson(value);
}

std::string StringMember(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

TokenResponse Failed(EndpointError error) {
    TokenResponse result;
    result.error = std::move(error);
    return result;
}

// RFC 6749 section 5.1 says expires_in is a number; some providers send "3600".
std::optional<std::int64_t> ReadExpiresIn(const json& value, std::vector<std::string>& warnings) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) {
        warnings.push_back("expires_in is too large; it was ignored.");
        return std::nullopt;
    }
    if (const std::optional<std::int64_t> seconds = ReadSeconds(value))
        return seconds;
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
    return ProcessTokenResponse(ArrivedAnswer(response), ContextFor(tokenUrl, kTokenEndpoint));
}

TokenResponse ProcessTokenResponse(const FetchResult& fetched, const FetchContext& context) {
    if (auto problem = DescribeFetchProblem(fetched, context))
        return Failed(std::move(*problem));
    const HttpResponse& response = fetched.response;
    json body;
    if (auto error = ReadErrorAnswer(response, kTokenEndpoint, &body))
        return Failed(std::move(*error));
    if (StringMember(body, "access_token").empty())
        return Failed(MakeEndpointError(response, kTokenEndpoint, "missing_access_token",
                                        "The token endpoint answered HTTP " +
                                            std::to_string(response.status) +
                                            " but the JSON has no access_token (RFC 6749 section 5.1)."));
    TokenResponse result;
    result.success = ReadSuccess(response, body);
    return result;
}

} // namespace oauth

#include "core/callback.h"

#include "core/encoding.h"
#include "core/text.h"
#include "core/url.h"

#include <set>
#include <string_view>
#include <utility>

namespace oauth {
namespace {

bool HasResponseParameter(const FormParams& params) {
    for (const auto& [name, value] : params)
        if (name == "code" || name == "error" || name == "state" || name == "iss")
            return true;
    return false;
}

// RFC 6749 section 4.1.2 puts the response in the query; response_mode=fragment puts it after '#'.
FormParams ResponseParameters(const Url& url) {
    if (url.query) {
        FormParams fromQuery = DecodeForm(*url.query);
        if (HasResponseParameter(fromQuery))
            return fromQuery;
    }
    if (url.fragment) {
        FormParams fromFragment = DecodeForm(*url.fragment);
        if (HasResponseParameter(fromFragment))
            return fromFragment;
    }
    return {};
}

bool HasParameter(const FormParams& params, std::string_view wanted) {
    for (const auto& [name, value] : params)
        if (name == wanted)
            return true;
    return false;
}

const std::string* FirstRepeatedName(const FormParams& params) {
    std::set<std::string> seen;
    for (const auto& [name, value] : params)
        if (!seen.insert(name).second)
            return &name;
    return nullptr;
}

void Fill(Callback& callback, const FormParams& params) {
    for (const auto& [name, value] : params) {
        if (name == "code")
            callback.code = value;
        else if (name == "state")
            callback.state = value;
        else if (name == "iss") {
            callback.iss = value;
            callback.hasIss = true;
        } else if (name == "error")
            callback.error = value;
        else if (name == "error_description")
            callback.errorDescription = value;
        else if (name == "error_uri")
            callback.errorUri = value;
    }
}

Callback Reject(Callback callback, const char* rejection, std::string message) {
    callback.outcome = CallbackOutcome::Rejected;
    callback.rejection = rejection;
    callback.message = std::move(message);
    return callback;
}

// RFC 6749 section 4.1.2.1: one sentence per registered error code.
std::string DescribeAuthorizationError(const std::string& error) {
    static constexpr std::pair<std::string_view, const char*> kSentences[] = {
        {"access_denied",
         "The resource owner or the authorization server denied the request (access_denied)."},
        {"invalid_request", "The authorization server found the request malformed (invalid_request)."},
        {"unauthorized_client",
         "This client is not allowed to request an authorization code (unauthorized_client)."},
        {"unsupported_response_type", "The authorization server does not accept response_type=code for this "
                                      "client (unsupported_response_type)."},
        {"invalid_scope", "The requested scope is invalid, unknown or malformed (invalid_scope)."},
        {"server_error", "The authorization server hit an unexpected error (server_error)."},
        {"temporarily_unavailable",
         "The authorization server is temporarily unavailable (temporarily_unavailable)."},
    };
    for (const auto& [code, sentence] : kSentences)
        if (error == code)
            return sentence;
    return "The authorization server returned error \"" + error + "\".";
}

// RFC 6749 section 4.1.2.1: error_description is "human-readable ... to assist the client
// developer", error_uri a page about the error. The provider's own words usually name the fix
// ("nonce required"), so the sentence quotes them, as token endpoint errors do.
std::string QuoteProviderWords(const std::string& description, const std::string& uri,
                               const std::string& code) {
    std::string out;
    if (!text::IsBlank(description) && description != code)
        out += " The provider says: \"" + text::OneLineExcerpt(description) + "\"";
    if (!text::IsBlank(uri))
        out += " More information: " + text::OneLineExcerpt(uri) + ".";
    return out;
}

std::string IssuerMismatchMessage(std::string_view iss, std::string_view expectedIssuer) {
    return "The callback comes from issuer \"" + std::string(iss) + "\" instead of \"" +
           std::string(expectedIssuer) + "\", so it was rejected (mix-up protection, RFC 9207).";
}

IssuerCheck IssuerRejected(const char* rejection, std::string message) {
    return IssuerCheck{rejection, std::move(message)};
}

} // namespace

IssuerCheck CheckCallbackIssuer(std::string_view expectedIssuer, bool issParameterSupported,
                                std::optional<std::string_view> iss) {
    if (iss && expectedIssuer.empty())
        return IssuerRejected("issuer_unverifiable",
                              "The callback names issuer \"" + std::string(*iss) +
                                  "\", but this profile has no Issuer to compare it with, so it was "
                                  "rejected (mix-up protection, RFC 9207); fill in Issuer or run discovery.");
    if (iss && *iss != expectedIssuer)
        return IssuerRejected("issuer_mismatch", IssuerMismatchMessage(*iss, expectedIssuer));
    if (!iss && issParameterSupported)
        return IssuerRejected("issuer_missing",
                              "The callback has no iss, although the provider's metadata says it always "
                              "sends one (authorization_response_iss_parameter_supported), so it was "
                              "rejected (mix-up protection, RFC 9207).");
    return {};
}

IssuerCheck CheckCallbackIssuer(std::string_view expectedIssuer, bool issParameterSupported,
                                const Callback& callback) {
    return CheckCallbackIssuer(expectedIssuer, issParameterSupported,
                               callback.hasIss ? std::optional<std::string_view>(callback.iss)
                                               : std::nullopt);
}

Callback ParseCallback(std::string_view callbackUrl, std::string_view expectedState,
                       std::string_view expectedIssuer) {
    Callback callback;
    const auto url = ParseUrl(callbackUrl);
    if (!url)
        return Reject(callback, "unreadable_url", "The callback URL could not be read.");
    const FormParams params = ResponseParameters(*url);
    if (params.empty())
        return Reject(callback, "no_response_parameters",
                      "The callback URL carries no code, state or error parameter.");
    // RFC 6749 section 3.1: parameters must not be included more than once.
    if (const std::string* repeated = FirstRepeatedName(params))
        return Reject(callback, "repeated_parameter",
                      "The callback repeats the parameter \"" + *repeated +
                          "\", so it was rejected (RFC 6749 section 3.1).");
    Fill(callback, params);

    // RFC 6749 section 10.12: the state binds the callback to the request this page sent.
    if (expectedState.empty())
        return Reject(callback, "no_pending_request",
                      "No authorization request is pending, so this callback was rejected.");
    if (!HasParameter(params, "state"))
        return Reject(
            callback, "state_missing",
            "The callback has no state, so it cannot be tied to this page's request and was rejected "
            "(CSRF protection, RFC 6749 section 10.12).");
    if (callback.state != expectedState)
        return Reject(callback, "state_mismatch",
                      "The callback's state does not match this page's request, so it was rejected (CSRF "
                      "protection, RFC 6749 section 10.12).");
    // RFC 9207 section 2.4: compare iss with the expected issuer by simple string comparison.
    if (!expectedIssuer.empty() && HasParameter(params, "iss") && callback.iss != expectedIssuer)
        return Reject(callback, "issuer_mismatch", IssuerMismatchMessage(callback.iss, expectedIssuer));

    if (!callback.error.empty()) {
        callback.outcome = CallbackOutcome::ProviderError;
        callback.message = DescribeAuthorizationError(callback.error) +
                           QuoteProviderWords(callback.errorDescription, callback.errorUri, callback.error);
        return callback;
    }
    if (callback.code.empty())
        return Reject(callback, "code_missing", "The callback carries neither a code nor an error.");
    callback.outcome = CallbackOutcome::Code;
    return callback;
}

} // namespace oauth

#include "core/validation.h"
#include "core/text.h"

#include "core/authorization_request.h"
#include "core/client_assertion.h"
#include "core/resource_indicators.h"
#include "core/url.h"

#include <algorithm>
#include <cctype>
#include <span>
#include <utility>

namespace oauth {

using text::LowerAscii;
using text::Trim;

namespace {

using TextField = std::pair<const char*, const std::string Profile::*>;

// The fields a preset may leave a {placeholder} in, in the form's order.
constexpr TextField kPlaceholderFields[] = {
    {"clientId", &Profile::clientId},
    {"authorizationUrl", &Profile::authorizationUrl},
    {"accessTokenUrl", &Profile::accessTokenUrl},
    {"redirectUrl", &Profile::redirectUrl},
    {"deviceAuthorizationUrl", &Profile::deviceAuthorizationUrl},
    {"revocationUrl", &Profile::revocationUrl},
    {"introspectionUrl", &Profile::introspectionUrl},
    {"discoveryUrl", &Profile::discoveryUrl},
    {"issuer", &Profile::issuer},
};
// Its last four are the tools' fields (RFC 7009, RFC 7662, discovery): checked only by the tool
// that uses them, and only when filled.
constexpr std::span<const TextField> kToolFields = std::span(kPlaceholderFields).last<4>();

bool ContainsWhitespace(std::string_view text) {
    for (char c : text)
        if (std::isspace(static_cast<unsigned char>(c)))
            return true;
    return false;
}

// The label each Profile key has on the form, used in messages.
std::string_view FieldLabel(std::string_view field) {
    static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
        {"clientId", "Client ID"},
        {"authorizationUrl", "Authorization URL"},
        {"accessTokenUrl", "Access Token URL"},
        {"redirectUrl", "Redirect URL"},
        {"deviceAuthorizationUrl", "Device Authorization URL"},
        {"revocationUrl", "Revocation URL"},
        {"introspectionUrl", "Introspection URL"},
        {"discoveryUrl", "Issuer / discovery URL"},
        {"issuer", "Issuer"},
    };
    for (const auto& [key, label] : kLabels)
        if (field == key)
            return label;
    return field;
}

void RequireText(std::vector<FieldError>& errors, std::string_view value, const char* field,
                 std::string_view label) {
    if (Trim(value).empty())
        errors.push_back({field, std::string(label) + " is required."});
}

void RequireUrl(std::vector<FieldError>& errors, std::string_view value, const char* field,
                std::string_view label, const UrlReader* browser) {
    if (auto message = CheckEndpointUrl(value, label, browser))
        errors.push_back({field, std::move(*message)});
}

void CheckTokenName(std::vector<FieldError>& errors, const Profile& profile,
                    const std::vector<std::string>& otherTokenNames) {
    const std::string_view name = Trim(profile.tokenName);
    if (name.empty()) {
        errors.push_back({"tokenName", "Token Name is required."});
        return;
    }
    const std::string lowered = LowerAscii(name);
    for (const std::string& other : otherTokenNames) {
        if (LowerAscii(Trim(other)) == lowered) {
            errors.push_back({"tokenName", "Token Name must be unique: another profile is already named \"" +
                                               std::string(Trim(other)) + "\"."});
            return;
        }
    }
}

void CheckAuthorizationCodeFields(std::vector<FieldError>& errors, const Profile& profile,
                                  const UrlReader* browser) {
    RequireUrl(errors, profile.authorizationUrl, "authorizationUrl", "Authorization URL", browser);
    RequireUrl(errors, profile.redirectUrl, "redirectUrl", "Redirect URL", browser);
    for (std::string& message : ParseAuthUrlParams(profile.authUrlParams).errors)
        errors.push_back({"authUrlParams", std::move(message)});
}

bool IsPlaceholderStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c));
}

bool IsPlaceholderChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// "{word}" pieces of `text`, each once, in order of appearance.
std::vector<std::string> Placeholders(std::string_view text) {
    std::vector<std::string> found;
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        std::size_t end = open + 1;
        if (end >= text.size() || !IsPlaceholderStart(text[end]))
            continue;
        while (end < text.size() && IsPlaceholderChar(text[end]))
            ++end;
        if (end >= text.size() || text[end] != '}')
            continue;
        std::string placeholder(text.substr(open, end + 1 - open));
        bool seen = false;
        for (const std::string& earlier : found)
            seen = seen || earlier == placeholder;
        if (!seen)
            found.push_back(std::move(placeholder));
    }
    return found;
}

// Error messages with a placeholder error for the same field are dropped: "must be an absolute
// URL" about "https://{domain}.auth..." would only distract from "Replace {domain}".
void PreferPlaceholderErrors(std::vector<FieldError>& errors, std::vector<FieldError> placeholderErrors) {
    std::vector<FieldError> kept;
    for (FieldError& error : errors) {
        bool covered = false;
        for (const FieldError& placeholder : placeholderErrors)
            covered = covered || placeholder.field == error.field;
        if (!covered)
            kept.push_back(std::move(error));
    }
    for (FieldError& placeholder : placeholderErrors)
        kept.push_back(std::move(placeholder));
    errors = std::move(kept);
}

} // namespace

std::vector<FieldError> FindUnfilledPlaceholders(const Profile& profile) {
    std::vector<FieldError> errors;
    for (const auto& [field, member] : kPlaceholderFields)
        for (const std::string& placeholder : Placeholders(profile.*member))
            errors.push_back({field, "Replace " + placeholder + " in the " + std::string(FieldLabel(field)) +
                                         " with your value."});
    return errors;
}

namespace {

// The rules an endpoint URL's parts must meet, whichever parser read them.
std::optional<std::string> CheckEndpointParts(const Url& parsed, const std::string& name) {
    if (!parsed.hasAuthority || parsed.host.empty())
        return name + " must be an absolute URL, like https://example.com/path.";
    // fetch() refuses URLs with credentials, and a password in a URL ends up in logs and history.
    if (parsed.hasUserinfo)
        return name + " must not contain a user name or password (text before '@' in the host).";
    if (parsed.scheme != "https" && parsed.scheme != "http")
        return name + " must start with https://.";
    if (parsed.scheme == "http" && !IsLoopbackHost(parsed.host))
        return name +
               " uses http:// for a remote host; only loopback hosts (localhost, 127.0.0.1, [::1]) may "
               "use http, so use https://.";
    if (parsed.fragment)
        return name + " must not contain a fragment (#...).";
    return std::nullopt;
}

} // namespace

std::optional<std::string> CheckEndpointUrl(std::string_view url, std::string_view label,
                                            const UrlReader* browser) {
    const std::string name(label);
    if (Trim(url).empty())
        return name + " is required.";
    if (ContainsWhitespace(url))
        return name + " must not contain spaces.";
    // Anywhere, the query included: the browser's parser and ours disagree on it before the
    // query, and a field that never holds one cannot be misread.
    if (url.find('\\') != std::string_view::npos)
        return name + " " + std::string(kBackslashProblem) + ".";
    std::string problem;
    const auto parsed = ParseUrl(url, &problem);
    if (!parsed && !problem.empty())
        return name + " " + problem + ".";
    if (!parsed)
        return name + " must be an absolute URL, like https://example.com/path.";
    if (auto refused = CheckEndpointParts(*parsed, name))
        return refused;
    if (!browser || !*browser)
        return std::nullopt;
    // The request is sent by the browser, to where its own parser reads the URL: check that reading.
    const auto theirs = (*browser)(url);
    if (!theirs)
        return name + " is not a URL the browser can read.";
    if (OriginOf(*theirs) != OriginOf(*parsed))
        return name + " is read by the browser as going to " + OriginOf(*theirs) + ", not to " +
               OriginOf(*parsed) + " where it was checked; write the URL plainly.";
    return CheckEndpointParts(*theirs, name);
}

namespace {

// A signed assertion needs its key and an audience (RFC 7523 section 3).
void CheckClientAssertionFields(std::vector<FieldError>& errors, const Profile& profile) {
    if (profile.clientAuthentication == ClientAuthentication::SecretJwt && profile.clientSecret.empty())
        errors.push_back(
            {"clientSecret", "Client Secret is required to sign a client_secret_jwt assertion."});
    if (profile.clientAuthentication == ClientAuthentication::PrivateKeyJwt && profile.privateKey.empty())
        errors.push_back({"privateKey", "Paste a private key (PKCS#8 PEM or a private JWK) or press Generate "
                                        "to sign a private_key_jwt assertion."});
    if (UsesClientAssertion(profile) && profile.assertionAudience == AssertionAudience::Issuer &&
        AssertionIssuer(profile).empty())
        errors.push_back({"assertionAudience",
                          "The assertion is addressed to the issuer: fill in Issuer / "
                          "Discovery URL, or choose the token endpoint URL as its audience."});
}

} // namespace

std::vector<FieldError> ValidateProfile(const Profile& profile,
                                        const std::vector<std::string>& otherTokenNames,
                                        const UrlReader* browser) {
    std::vector<FieldError> errors;
    CheckTokenName(errors, profile, otherTokenNames);
    RequireText(errors, profile.clientId, "clientId", "Client ID");

    if (profile.grantType == GrantType::AuthorizationCode)
        CheckAuthorizationCodeFields(errors, profile, browser);
    RequireUrl(errors, profile.accessTokenUrl, "accessTokenUrl", "Access Token URL", browser);
    // RFC 8628 section 3.1: the device grant starts at the device authorization endpoint. The
    // secret stays optional: device clients are usually public (section 3.1, RFC 6749 2.1).
    if (profile.grantType == GrantType::DeviceCode)
        RequireUrl(errors, profile.deviceAuthorizationUrl, "deviceAuthorizationUrl",
                   "Device Authorization URL", browser);
    if (profile.grantType == GrantType::Password) {
        RequireText(errors, profile.username, "username", "Username");
        if (profile.password.empty())
            errors.push_back({"password", "Password is required."});
    }
    CheckClientAssertionFields(errors, profile);
    if (auto message = CheckResourceIndicators(profile.resource))
        errors.push_back({"resource", std::move(*message)});
    // RFC 6749 section 4.4: only confidential clients may use client_credentials.
    if (profile.grantType == GrantType::ClientCredentials && profile.clientSecret.empty() &&
        profile.clientAuthentication != ClientAuthentication::PrivateKeyJwt)
        errors.push_back({"clientSecret", "Client Secret is required for the client_credentials grant."});
    // Only the fields this grant sends are checked: a placeholder left in a field the grant does not
    // use (the Device Authorization URL under authorization_code) never blocks it. The optional
    // endpoints are checked by the tool that uses them (ValidateOptionalEndpoints, CheckToolUrl).
    std::vector<FieldError> placeholders;
    for (FieldError& error : FindUnfilledPlaceholders(profile))
        if (GrantUsesField(profile.grantType, error.field))
            placeholders.push_back(std::move(error));
    PreferPlaceholderErrors(errors, std::move(placeholders));
    return errors;
}

bool GrantUsesField(GrantType grantType, std::string_view field) {
    if (field == "tokenName" || field == "grantType" || field == "clientId" || field == "clientSecret" ||
        field == "clientAuthentication" || field == "accessTokenUrl" || field == "scopes" ||
        field == "resource" || field == "audience")
        return true;
    if (field == "authorizationUrl" || field == "redirectUrl" || field == "authUrlParams")
        return grantType == GrantType::AuthorizationCode;
    if (field == "deviceAuthorizationUrl")
        return grantType == GrantType::DeviceCode;
    if (field == "username" || field == "password")
        return grantType == GrantType::Password;
    return false;
}

std::optional<FieldError> CheckToolUrl(const Profile& profile, std::string_view field,
                                       const UrlReader* browser) {
    const auto tool = std::find_if(kToolFields.begin(), kToolFields.end(),
                                   [&](const TextField& candidate) { return candidate.first == field; });
    if (tool == kToolFields.end())
        return std::nullopt;
    const std::string& value = profile.*(tool->second);
    for (FieldError& error : FindUnfilledPlaceholders(profile))
        if (error.field == field)
            return std::move(error);
    if (auto message = CheckEndpointUrl(value, FieldLabel(field), browser))
        return FieldError{std::string(field), std::move(*message)};
    return std::nullopt;
}

std::vector<FieldError> ValidateOptionalEndpoints(const Profile& profile) {
    std::vector<FieldError> errors;
    for (const auto& [field, member] : kToolFields)
        if (!Trim(profile.*member).empty())
            if (auto error = CheckToolUrl(profile, field))
                errors.push_back(std::move(*error));
    return errors;
}

} // namespace oauth

#pragma once
// Profile validation: exact, human messages keyed by the profile's JSON field names, so the UI can
// show each one next to its input.
#include "core/profile.h"
#include "core/url.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct FieldError {
    std::string field;   // a Profile JSON key, e.g. "accessTokenUrl"
    std::string message; // one sentence, shown as is
};

// Checks what the profile's grant type sends, and only that (RFC 6749 section 4: each grant uses
// its own fields; device_code needs the Device Authorization URL, RFC 8628 section 3.1). Preset
// placeholders left in a field the grant uses (FindUnfilledPlaceholders) replace that field's
// other errors, so no request is ever sent with "{tenant}" in it; one left in a field the grant
// does not use never blocks it. The optional Revocation, Introspection and Issuer / discovery URLs
// are the tools' business (ValidateOptionalEndpoints, CheckToolUrl). `otherTokenNames` are the
// names of the other profiles: Token Name must be unique among them, ignoring case. An empty list
// means valid. With `browser` (the app passes the browser's URL parser), every URL is also checked
// as that parser reads it (CheckEndpointUrl); the form's live marks are made without it.
std::vector<FieldError> ValidateProfile(const Profile& profile,
                                        const std::vector<std::string>& otherTokenNames,
                                        const UrlReader* browser = nullptr);

// True when the grant sends (or the form shows for it) the field with this Profile JSON key.
bool GrantUsesField(GrantType grantType, std::string_view field);

// The optional endpoints (revocationUrl, introspectionUrl, discoveryUrl, issuer) that are filled
// but unusable: a placeholder ("Replace {tenant} in ...") or a malformed URL, one error each.
std::vector<FieldError> ValidateOptionalEndpoints(const Profile& profile);

// Why the tool field (revocationUrl, introspectionUrl, discoveryUrl, issuer) cannot be sent to,
// empty included ("Revocation URL is required."), or nullopt. A placeholder is named first.
std::optional<FieldError> CheckToolUrl(const Profile& profile, std::string_view field,
                                       const UrlReader* browser = nullptr);

// RFC 6749 section 3.1 / 3.1.2 and section 1.6 (TLS): an endpoint URL must be absolute, https
// (http only for loopback hosts, RFC 8252 section 8.3) and without a fragment. Returns the message
// naming the field by `label`, or nullopt when the URL is acceptable. Empty is reported as required.
// With `browser`, the same rules are applied to the browser parser's reading of the URL too, and a
// reading that goes to another origin (scheme, host, port) than ParseUrl's is refused, naming both.
std::optional<std::string> CheckEndpointUrl(std::string_view url, std::string_view label,
                                            const UrlReader* browser = nullptr);

// Presets put placeholders such as {tenant}, {domain}, {region} or {userPoolId} in their URLs.
// One error per placeholder ("{" letter, letters/digits/'_'/'-', "}") left in the Client ID or
// any URL field (Authorization, Access Token, Redirect, Device Authorization, Revocation,
// Introspection, Issuer / discovery, Issuer), e.g. {"authorizationUrl", "Replace {tenant} in the
// Authorization URL with your value."}. A placeholder repeated in one field is reported once.
std::vector<FieldError> FindUnfilledPlaceholders(const Profile& profile);

} // namespace oauth

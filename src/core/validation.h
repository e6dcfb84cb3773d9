#pragma once
// Profile validation: exact, human messages keyed by the profile's JSON field names, so the UI can
// show each one next to its input.
#include "core/profile.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct FieldError {
    std::string field;   // a Profile JSON key, e.g. "accessTokenUrl"
    std::string message; // one sentence, shown as is
};

// Checks what the profile's grant type needs, and only that (RFC 6749 section 4: each grant uses
// its own fields). `otherTokenNames` are the names of the other profiles: Token Name must be
// unique among them, ignoring case. An empty list means the profile is valid.
std::vector<FieldError> ValidateProfile(const Profile& profile,
                                        const std::vector<std::string>& otherTokenNames);

// RFC 6749 section 3.1 / 3.1.2 and section 1.6 (TLS): an endpoint URL must be absolute, https
// (http only for loopback hosts, RFC 8252 section 8.3) and without a fragment. Returns the message
// naming the field by `label`, or nullopt when the URL is acceptable. Empty is reported as required.
std::optional<std::string> CheckEndpointUrl(std::string_view url, std::string_view label);

// True when the grant type is one this version can run.
bool IsSupportedGrantType(std::string_view grantType);

} // namespace oauth

#pragma once
// Token requests, one builder per grant (each in its own grant_*.cpp file). All are
// BuildAuthenticatedPost to the profile's Access Token URL (RFC 6749 sections 3.2 and 2.3.1).
// Builders do not validate: call ValidateProfile first. Each appends the profile's resource
// indicators and audiences (RFC 8707 section 2.2, resource_indicators.h) after its own parameters.
#include "core/http.h"
#include "core/profile.h"

#include <string_view>

namespace oauth {

// RFC 6749 section 4.1.3 + RFC 7636 section 4.5: grant_type=authorization_code, code,
// redirect_uri, code_verifier.
HttpRequest BuildAuthorizationCodeTokenRequest(const Profile& profile, std::string_view code,
                                               std::string_view codeVerifier);

// RFC 6749 section 4.3.2: grant_type=password, username, password, scope (when set).
HttpRequest BuildPasswordTokenRequest(const Profile& profile);

// RFC 6749 section 4.4.2: grant_type=client_credentials, scope (when set).
HttpRequest BuildClientCredentialsTokenRequest(const Profile& profile);

// RFC 6749 section 6: grant_type=refresh_token, refresh_token (scope omitted: same as granted).
HttpRequest BuildRefreshTokenRequest(const Profile& profile, std::string_view refreshToken);

} // namespace oauth

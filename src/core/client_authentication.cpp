#include "core/client_authentication.h"

namespace oauth {

std::string BasicAuthorizationValue(std::string_view clientId, std::string_view clientSecret) {
    const std::string credentials = FormUrlEncode(clientId) + ":" + FormUrlEncode(clientSecret);
    return "Basic " + Base64Encode(credentials);
}

void ApplyClientAuthentication(const Profile& profile, HttpHeaders& headers, FormParams& body) {
    const bool publicClient = profile.clientSecret.empty();
    if (publicClient) {
        body.emplace_back("client_id", profile.clientId);
        return;
    }
    if (profile.clientAuthentication == kClientAuthHeader) {
        headers.emplace_back("Authorization",
                             BasicAuthorizationValue(profile.clientId, profile.clientSecret));
        return;
    }
    body.emplace_back("client_id", profile.clientId);
    body.emplace_back("client_secret", profile.clientSecret);
}

} // namespace oauth

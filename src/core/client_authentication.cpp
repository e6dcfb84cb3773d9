#include "core/client_authentication.h"

#include "core/client_assertion.h"

namespace oauth {

std::string BasicAuthorizationValue(std::string_view clientId, std::string_view clientSecret,
                                    bool unencoded) {
    const std::string credentials = unencoded ? std::string(clientId) + ":" + std::string(clientSecret)
                                              : FormUrlEncode(clientId) + ":" + FormUrlEncode(clientSecret);
    return "Basic " + Base64Encode(credentials);
}

bool BasicEncodingChangesCredentials(std::string_view clientId, std::string_view clientSecret) {
    return FormUrlEncode(clientId) != clientId || FormUrlEncode(clientSecret) != clientSecret;
}

bool UsesBasicAuthentication(const Profile& profile) {
    return !profile.clientSecret.empty() && profile.clientAuthentication == ClientAuthentication::BasicHeader;
}

void ApplyClientAuthentication(const Profile& profile, HttpHeaders& headers, FormParams& body) {
    if (IsPublicClient(profile)) {
        body.emplace_back("client_id", profile.clientId);
        return;
    }
    if (UsesClientAssertion(profile)) {
        // RFC 7523 section 2.2; client_id is optional there, and names the client before the
        // assertion is read (RFC 6749 section 3.2.1). client_assertion follows once signed.
        body.emplace_back("client_id", profile.clientId);
        body.emplace_back("client_assertion_type", std::string(kClientAssertionType));
        return;
    }
    if (profile.clientAuthentication == ClientAuthentication::BasicHeader) {
        headers.emplace_back("Authorization", BasicAuthorizationValue(profile.clientId, profile.clientSecret,
                                                                      profile.basicUnencoded));
        return;
    }
    body.emplace_back("client_id", profile.clientId);
    body.emplace_back("client_secret", profile.clientSecret);
}

std::string DescribeBasicEncodingSuspect(const Profile& profile, int status) {
    if (status != 400 && status != 401 && status != 403)
        return {};
    if (!UsesBasicAuthentication(profile) || profile.basicUnencoded ||
        !BasicEncodingChangesCredentials(profile.clientId, profile.clientSecret))
        return {};
    // RFC 7617 section 2: a user-id that holds ':' cannot be sent without encoding.
    if (profile.clientId.find(':') != std::string::npos)
        return {};
    const bool idChanged = FormUrlEncode(profile.clientId) != profile.clientId;
    const bool secretChanged = FormUrlEncode(profile.clientSecret) != profile.clientSecret;
    const std::string what = idChanged && secretChanged ? "the Client ID and the Client Secret"
                             : idChanged                ? "the Client ID"
                                                        : "the Client Secret";
    return "The Basic header carried " + what +
           " form-encoded, as RFC 6749 section 2.3.1 requires, which changed characters in it; some "
           "servers compare the credentials without decoding them. Press \"Retry with unencoded "
           "credentials\" to send them as typed.";
}

} // namespace oauth

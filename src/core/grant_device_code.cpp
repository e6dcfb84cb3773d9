#include "core/device_authorization.h"

#include "core/authenticated_request.h"
#include "core/resource_indicators.h"

namespace oauth {

HttpRequest BuildDeviceTokenRequest(const Profile& profile, std::string_view deviceCode) {
    // RFC 8628 section 3.4: client_id is sent when the client does not authenticate, which
    // BuildAuthenticatedPost's client authentication already does for public clients.
    FormParams params = {
        {"grant_type", std::string(kGrantDeviceCodeWire)},
        {"device_code", std::string(deviceCode)},
    };
    AppendResourceAndAudience(profile, params); // RFC 8707 section 2.2
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl, std::move(params));
}

} // namespace oauth

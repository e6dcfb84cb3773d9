#pragma once
// The Device Authorization Grant (RFC 8628): ask the device authorization endpoint for a device
// code and a user code (sections 3.1, 3.2), show the user code and verification URI (3.3), then
// poll the token endpoint (3.4) until the user approves, denies or the code expires (3.5).
// Builders do not validate: call ValidateProfile first (it requires the Device Authorization URL
// and the Access Token URL for grantType "device_code").
#include "core/http.h"
#include "core/profile.h"
#include "core/token_response.h"
#include "core/transport_failure.h"
#include "core/url.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// RFC 8628 section 3.5: the polling interval when the server gives none, and the increase that
// each slow_down asks for.
inline constexpr std::int64_t kDefaultDevicePollInterval = 5;
inline constexpr std::int64_t kSlowDownIncrease = 5;

// Section 3.1: POST to the Device Authorization URL, form body with scope (when set) and the
// client's credentials by the token endpoint's rules (BuildAuthenticatedPost: client_id in the
// body for a public client), Accept: application/json.
HttpRequest BuildDeviceAuthorizationRequest(const Profile& profile);

struct DeviceAuthorization {
    std::string deviceCode;
    std::string userCode;
    std::string verificationUri;                        // verification_uri, or Google's verification_url
    std::string verificationUriComplete;                // optional: the URI with the user code in it
    std::int64_t expiresIn = 0;                         // seconds the codes are valid
    std::int64_t interval = kDefaultDevicePollInterval; // seconds to wait between polls
    std::vector<std::string> warnings; // deviations worth showing (non-standard spelling, ...)
    nlohmann::json fields;             // the whole JSON object
    std::string rawBody;
    std::optional<EndpointError> error; // set when the request failed: then nothing else is
    bool ok() const { return !error.has_value(); }
};

// Section 3.2. Required: device_code, user_code, verification_uri (or verification_url),
// expires_in (a number, or a string of digits); interval defaults to 5 seconds. A failure is
// described like a token endpoint error (section 3.2 uses RFC 6749 section 5.2), naming the
// device authorization endpoint; `deviceAuthorizationUrl` is used for status 0. Never throws.
DeviceAuthorization ProcessDeviceAuthorizationResponse(const HttpResponse& response,
                                                       std::string_view deviceAuthorizationUrl = {});
// The one answer handler: `fetched` whole, DescribeFetchProblem first.
DeviceAuthorization ProcessDeviceAuthorizationResponse(const FetchResult& fetched,
                                                       const FetchContext& context);

// Whether the page may open a verification URI (verification_uri or verification_uri_complete,
// section 3.2) for the person: only https, or http on a loopback host (RFC 8252 section 8.3),
// parsed as the browser would (ParseUrl). Anything else (javascript:, data:, file:, http to a
// remote host, a URL the browser would read differently) is not opened: nullopt when it may be
// opened, otherwise the sentence to show instead, the URI itself staying visible as text.
// ProcessDeviceAuthorizationResponse adds the same sentence to `warnings` for such a URI. With
// `browser` (the browser's URL parser), its reading must pass the same rule and name the same origin.
std::optional<std::string> RefuseToOpenVerificationUri(std::string_view uri,
                                                       const UrlReader* browser = nullptr);

// Section 3.4: POST to the Access Token URL, grant_type=urn:ietf:params:oauth:grant-type:device_code,
// device_code, plus client authentication (defined in grant_device_code.cpp).
HttpRequest BuildDeviceTokenRequest(const Profile& profile, std::string_view deviceCode);

enum class DevicePollOutcome {
    Success,  // a token: stop polling
    Pending,  // authorization_pending: poll again after the interval
    SlowDown, // slow_down: poll again after the interval plus 5 seconds, for good (section 3.5)
    Denied,   // access_denied: the user refused; stop
    Expired,  // expired_token: the device code expired; stop and start again
    Failed,   // any other answer; stop and show `error`
};

struct DevicePoll {
    DevicePollOutcome outcome = DevicePollOutcome::Failed;
    std::string message;                 // one sentence for the UI, for every outcome
    std::optional<TokenSuccess> success; // set for Success
    std::optional<EndpointError> error;  // set for every other outcome (its details, raw body)
    bool keepPolling() const {
        return outcome == DevicePollOutcome::Pending || outcome == DevicePollOutcome::SlowDown;
    }
};

// Section 3.5: classifies one answer of the token endpoint while polling. `tokenUrl` is used
// for status 0. Never throws.
DevicePoll ClassifyDevicePollResponse(const HttpResponse& response, std::string_view tokenUrl = {});
DevicePoll ClassifyDevicePollResponse(const FetchResult& fetched, const FetchContext& context);

// The interval before the next poll: `currentSeconds`, plus 5 after a slow_down.
std::int64_t NextPollInterval(std::int64_t currentSeconds, const DevicePoll& poll);

} // namespace oauth

#include "core/device_authorization.h"
#include "core/json_depth.h"
#include "core/masking.h"

#include "core/authenticated_request.h"
#include "core/endpoint_error.h"
#include "core/resource_indicators.h"
#include "core/url.h"

namespace oauth {
namespace {

using json = nlohmann::json;

std::string StringMember(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool HasMember(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

// "a", "a and b", "a, b and c".
std::string JoinNames(const std::vector<std::string>& names) {
    std::string joined;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            joined += i + 1 == names.size() ? " and " : ", ";
        joined += names[i];
    }
    return joined;
}

DeviceAuthorization FailedAuthorization(EndpointError error) {
    DeviceAuthorization result;
    result.rawBody = error.rawBody;
    result.error = std::move(error);
    return result;
}

void ReadInterval(const json& body, DeviceAuthorization& result) {
    const auto it = body.find("interval");
    if (it == body.end() || it->is_null())
        return;
    const auto seconds = ReadSeconds(*it);
    if (seconds && *seconds > 0)
        result.interval = *seconds;
    else
        result.warnings.push_back("interval is not a positive number of seconds (" + DumpJson(*it) +
                                  "); 5 seconds are used.");
}

std::string PollMessage(DevicePollOutcome outcome) {
    switch (outcome) {
    case DevicePollOutcome::Success:
        return "The user approved the request; the token endpoint issued an access token.";
    case DevicePollOutcome::Pending:
        return "Waiting for the user to enter the code and approve the request (authorization_pending).";
    case DevicePollOutcome::SlowDown:
        return "The token endpoint asked to poll less often (slow_down); the interval is now 5 seconds "
               "longer.";
    case DevicePollOutcome::Denied:
        return "The user denied the request (access_denied).";
    case DevicePollOutcome::Expired:
        return "The device code expired before the user approved the request (expired_token); request a "
               "new code.";
    case DevicePollOutcome::Failed:
        break;
    }
    return {};
}

} // namespace

HttpRequest BuildDeviceAuthorizationRequest(const Profile& profile) {
    FormParams params;
    AppendScopeAndTargets(profile, params); // RFC 8707 section 2.1, as for an authorization request
    return BuildAuthenticatedPost(profile, profile.deviceAuthorizationUrl, std::move(params));
}

namespace {

bool Openable(const Url& url) {
    return url.hasAuthority && !url.host.empty() && !url.hasUserinfo &&
           (url.scheme == "https" || (url.scheme == "http" && IsLoopbackHost(url.host)));
}

} // namespace

std::optional<std::string> RefuseToOpenVerificationUri(std::string_view uri, const UrlReader* browser) {
    const auto url = ParseUrl(uri);
    bool openable = url && Openable(*url) && uri.find('\\') == std::string_view::npos;
    if (openable && browser && *browser) {
        const auto theirs = (*browser)(uri);
        openable = theirs && Openable(*theirs) && OriginOf(*theirs) == OriginOf(*url);
    }
    if (openable)
        return std::nullopt;
    return std::string("The verification page was not opened: its address is not an https URL (http only for "
                       "localhost, 127.0.0.1 or [::1]), so it is shown as text; open it yourself only if "
                       "you trust it.");
}

DeviceAuthorization ProcessDeviceAuthorizationResponse(const HttpResponse& response,
                                                       std::string_view deviceAuthorizationUrl) {
    return ProcessDeviceAuthorizationResponse(
        ArrivedAnswer(response), ContextFor(deviceAuthorizationUrl, kDeviceAuthorizationEndpoint));
}

DeviceAuthorization ProcessDeviceAuthorizationResponse(const FetchResult& fetched,
                                                       const FetchContext& context) {
    if (auto problem = DescribeFetchProblem(fetched, context))
        return FailedAuthorization(std::move(*problem));
    const HttpResponse& response = fetched.response;
    const bool success = response.status >= 200 && response.status < 300;
    const json body = ParseUntrustedJson(response.body); // too deep: described as an error below
    if (!success || !body.is_object() || HasMember(body, "error"))
        return FailedAuthorization(
            DescribeEndpointError(response, context.url, kDeviceAuthorizationEndpoint));

    DeviceAuthorization result;
    result.fields = body;
    result.rawBody = response.body;
    result.deviceCode = StringMember(body, "device_code");
    result.userCode = StringMember(body, "user_code");
    result.verificationUri = StringMember(body, "verification_uri");
    if (result.verificationUri.empty()) {
        // Google answers with "verification_url".
        result.verificationUri = StringMember(body, "verification_url");
        if (!result.verificationUri.empty())
            result.warnings.push_back("verification_url is a non-standard spelling of verification_uri "
                                      "(RFC 8628 section 3.2); it was used.");
    }
    result.verificationUriComplete = StringMember(body, "verification_uri_complete");
    const auto expiresIn = body.contains("expires_in") ? ReadSeconds(body.at("expires_in")) : std::nullopt;
    if (expiresIn)
        result.expiresIn = *expiresIn;
    ReadInterval(body, result);
    for (const std::string* uri : {&result.verificationUri, &result.verificationUriComplete})
        if (!uri->empty())
            if (auto refused = RefuseToOpenVerificationUri(*uri)) {
                result.warnings.push_back(std::move(*refused));
                break;
            }

    std::vector<std::string> missing;
    if (result.deviceCode.empty())
        missing.push_back("device_code");
    if (result.userCode.empty())
        missing.push_back("user_code");
    if (result.verificationUri.empty())
        missing.push_back("verification_uri");
    if (!expiresIn)
        missing.push_back("expires_in");
    if (!missing.empty()) {
        EndpointError error = MakeEndpointError(
            response, kDeviceAuthorizationEndpoint, "missing_fields",
            "The device authorization endpoint answered HTTP " + std::to_string(response.status) +
                " but the JSON has no usable " + JoinNames(missing) + " (RFC 8628 section 3.2 requires " +
                (missing.size() == 1 ? "it" : "them") + ").");
        for (const auto& [key, value] : body.items())
            error.details.push_back(
                {key,
                 MaskDetailForDisplay(key, value.is_string() ? value.get<std::string>() : DumpJson(value))});
        return FailedAuthorization(std::move(error));
    }
    return result;
}

DevicePoll ClassifyDevicePollResponse(const HttpResponse& response, std::string_view tokenUrl) {
    return ClassifyDevicePollResponse(ArrivedAnswer(response), ContextFor(tokenUrl, kTokenEndpoint));
}

DevicePoll ClassifyDevicePollResponse(const FetchResult& fetched, const FetchContext& context) {
    TokenResponse processed = ProcessTokenResponse(fetched, context);
    DevicePoll poll;
    if (processed.success) {
        poll.outcome = DevicePollOutcome::Success;
        poll.success = std::move(processed.success);
        poll.message = PollMessage(poll.outcome);
        return poll;
    }
    poll.error = std::move(processed.error);
    const std::string& code = poll.error->code;
    poll.outcome = code == "authorization_pending" ? DevicePollOutcome::Pending
                   : code == "slow_down"           ? DevicePollOutcome::SlowDown
                   : code == "access_denied"       ? DevicePollOutcome::Denied
                   : code == "expired_token"       ? DevicePollOutcome::Expired
                                                   : DevicePollOutcome::Failed;
    poll.message =
        poll.outcome == DevicePollOutcome::Failed ? poll.error->message : PollMessage(poll.outcome);
    return poll;
}

std::int64_t NextPollInterval(std::int64_t currentSeconds, const DevicePoll& poll) {
    return poll.outcome == DevicePollOutcome::SlowDown ? currentSeconds + kSlowDownIncrease : currentSeconds;
}

} // namespace oauth

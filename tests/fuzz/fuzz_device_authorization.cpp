// Fuzzes the device grant's answers (RFC 8628): the device authorization answer and a token poll.
// Neither may crash; an accepted authorization has every required member; a verification URI
// the page would open is https, or http on loopback, as the browser reads it.
#include "core/device_authorization.h"
#include "core/url.h"
#include "fuzz_check.h"
#include "fuzz_response.h"

#include <cstdint>

namespace {

void CheckOpenable(const std::string& uri) {
    if (uri.empty() || oauth::RefuseToOpenVerificationUri(uri))
        return;
    const auto url = oauth::ParseUrl(uri);
    FUZZ_CHECK(url.has_value());
    FUZZ_CHECK(url->scheme == "https" || (url->scheme == "http" && oauth::IsLoopbackHost(url->host)));
    FUZZ_CHECK(uri.find('\\') == std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return FuzzAnswer(data, size, [](oauth::HttpResponse& response) {
        const oauth::DeviceAuthorization da =
            oauth::ProcessDeviceAuthorizationResponse(response, "https://id.example.com/device");
        CheckAcceptedOnly2xx(da, response);
        if (da.ok()) {
            FUZZ_CHECK(!da.deviceCode.empty() && !da.userCode.empty() && !da.verificationUri.empty());
            FUZZ_CHECK(da.expiresIn >= 0);
            CheckOpenable(da.verificationUri);
            CheckOpenable(da.verificationUriComplete);
        }
        CheckOpenable(response.body);

        const oauth::DevicePoll poll =
            oauth::ClassifyDevicePollResponse(response, "https://id.example.com/token");
        FUZZ_CHECK(!poll.message.empty());
        FUZZ_CHECK(poll.success.has_value() == (poll.outcome == oauth::DevicePollOutcome::Success));
        FUZZ_CHECK(poll.error.has_value() != poll.success.has_value());
        FUZZ_CHECK(oauth::NextPollInterval(5, poll) >= 5);
    });
}

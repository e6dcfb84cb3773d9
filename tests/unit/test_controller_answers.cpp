// app::Controller's one answer handler (issue 12): every endpoint's failed fetch is classified
// and, after a CORS refusal, the page's own relay is asked, as for the token request.
#include "controller_harness.h"
#include "test_helpers.h"

#include <string>

using app::Busy;
using app::Intent;
using oauth::test::Harness;
using platform::FetchFailure;

namespace {

const oauth::HttpHeaders kRelayOn = {{"Content-Type", "application/json"}, {"X-OAuth-Setup-Relay", "1"}};
const char* const kRelayAllows = R"({"relay":true,"allow":["id.example.com"]})";

oauth::Profile ConnectedProfile() {
    oauth::Profile p = oauth::test::WithToolEndpoints(oauth::test::ClientCredentialsProfile());
    p.state = oauth::ProfileState::Connected;
    p.lastToken = {{"access_token", "at-1"}, {"token_type", "Bearer"}, {"obtained_at", 1'700'000'000}};
    return p;
}

} // namespace

TEST_CASE("A tool's failed fetch is classified and asks the relay, like the token request",
          "[controller][answers]") {
    Harness h{ConnectedProfile()};
    // The status after the tool's only fetch failed: no relay question follows it.
    const auto statusWithoutRelayQuestion = [&h](Intent::Kind tool, FetchFailure failure) {
        h.intent(tool);
        REQUIRE(h.platform.failTransport(0, "network error", failure));
        CHECK(h.platform.fetches.size() == 1);
        return h.state.status;
    };
    SECTION("revocation refused by CORS: the relay is asked, and its setting named") {
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.failTransport(0, "network error", FetchFailure::Cors));
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK(h.request(1).url == "http://127.0.0.1:8000/relay");
        REQUIRE(h.platform.respond(1, 200, kRelayAllows, kRelayOn));
        CHECK(h.state.status ==
              "The revocation endpoint at id.example.com answered but refused this page (CORS): "
              "the provider does not allow browser calls from this page's origin. This page's "
              "CORS relay forwards to id.example.com: turn on \"Use CORS relay\" to send it "
              "through this page's own server, which browsers' CORS rules do not apply to.");
        CHECK_FALSE(h.state.offerRelayRetry);
    }
    SECTION("introspection where nothing answered: no relay question") {
        CHECK(statusWithoutRelayQuestion(Intent::Introspect, FetchFailure::NoAnswer) ==
              "Nothing answered at id.example.com (connection refused, unknown host, TLS failure "
              "or a blocked port): check the Introspection URL and that the server runs and is "
              "reachable from this browser.");
    }
    SECTION("revocation through a relay that is off: the relay's words, not the provider's") {
        h.selected().useRelay = true;
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.respond(0, 404, "Not Found", {{"Content-Type", "text/plain"}}));
        CHECK(h.state.status ==
              "This page's server runs no CORS relay (it answered HTTP 404 at /relay), so nothing "
              "was sent to the provider: start the relay (./scripts/run.sh starts it by default; "
              "serve.py --relay), or turn off \"Use CORS relay\".");
        CHECK_FALSE(h.selected().lastToken.contains("revoked_at"));
    }
    SECTION("discovery refused by CORS: named as discovery, and never relayed") {
        h.selected().discoveryUrl = "https://id.example.com";
        CHECK(statusWithoutRelayQuestion(Intent::Discover, FetchFailure::Cors) ==
              "Discovery failed: The discovery endpoint at id.example.com answered but refused "
              "this page (CORS): the provider does not allow browser calls from this page's "
              "origin.");
    }
}

TEST_CASE("A device authorization refused by CORS asks the relay and offers the retry",
          "[controller][answers]") {
    oauth::Profile device = oauth::test::AuthorizationCodeProfile();
    device.grantType = oauth::GrantType::DeviceCode;
    device.clientSecret = "";
    device.deviceAuthorizationUrl = "https://id.example.com/device";
    Harness h;
    h.load({device});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.failTransport(0, "network error", FetchFailure::Cors));
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(h.state.attempt.busy == Busy::DeviceRequesting);
    REQUIRE(h.platform.respond(1, 200, kRelayAllows, kRelayOn));
    CHECK(
        h.selected().lastError ==
        "The device authorization endpoint at id.example.com answered but refused this page (CORS): the "
        "provider does not allow browser calls from this page's origin. Press \"Retry through the relay\" to "
        "send it through this page's own server, which browsers' CORS rules do not apply to.");
    CHECK(h.state.offerRelayRetry);
    CHECK(h.state.attempt.busy == Busy::None);
}

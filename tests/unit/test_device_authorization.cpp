#include "core/device_authorization.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("The device authorization request posts scope and client_id (RFC 8628 3.1)", "[device]") {
    const HttpRequest request = BuildDeviceAuthorizationRequest(test::DeviceCodeProfile());
    CHECK(request.method == "POST");
    CHECK(request.url == "https://id.example.com/device");
    CHECK(request.headers == kFormHeaders);
    CHECK(request.body == "scope=openid+profile&client_id=client-1");
    SECTION("a confidential client authenticates as at the token endpoint") {
        Profile profile = test::DeviceCodeProfile();
        profile.clientSecret = "s3cret";
        const HttpRequest withHeader = BuildDeviceAuthorizationRequest(profile);
        CHECK(withHeader.headers == WithAuthorization("Basic Y2xpZW50LTE6czNjcmV0"));
        CHECK(withHeader.body == "scope=openid+profile");
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        CHECK(BuildDeviceAuthorizationRequest(profile).body ==
              "scope=openid+profile&client_id=client-1&client_secret=s3cret");
    }
    SECTION("no scope, no scope parameter") {
        Profile profile = test::DeviceCodeProfile();
        profile.scopes = " ";
        CHECK(BuildDeviceAuthorizationRequest(profile).body == "client_id=client-1");
    }
}

TEST_CASE("The device token request carries the device_code grant (RFC 8628 3.4)", "[device]") {
    const HttpRequest request = BuildDeviceTokenRequest(test::DeviceCodeProfile(), "GmRh+mqJ/8w");
    CHECK(request.method == "POST");
    CHECK(request.url == "https://id.example.com/token");
    CHECK(request.headers == kFormHeaders);
    CHECK(request.body ==
          "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=GmRh%2BmqJ%2F8w"
          "&client_id=client-1");
}

TEST_CASE("A device authorization response gives the codes, URI, lifetime and interval (RFC 8628 3.2)",
          "[device]") {
    SECTION("the standard members") {
        const auto result = ProcessDeviceAuthorizationResponse(
            JsonResponse(200, R"({"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
                 "user_code":"WDJB-MJHT","verification_uri":"https://example.com/device",
                 "verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT",
                 "expires_in":1800,"interval":5})"));
        REQUIRE(result.ok());
        CHECK(result.deviceCode == "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS");
        CHECK(result.userCode == "WDJB-MJHT");
        CHECK(result.verificationUri == "https://example.com/device");
        CHECK(result.verificationUriComplete == "https://example.com/device?user_code=WDJB-MJHT");
        CHECK(result.expiresIn == 1800);
        CHECK(result.interval == 5);
        CHECK(result.warnings.empty());
        CHECK(result.fields.at("user_code") == "WDJB-MJHT");
    }
    SECTION("Google's verification_url spelling, a numeric-string expires_in, no interval") {
        const auto result = ProcessDeviceAuthorizationResponse(
            JsonResponse(200, R"({"device_code":"4/4-GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8",
                 "user_code":"GQVQ-JKEC","verification_url":"https://www.google.com/device",
                 "expires_in":"1800"})"));
        REQUIRE(result.ok());
        CHECK(result.verificationUri == "https://www.google.com/device");
        CHECK(result.verificationUriComplete == "");
        CHECK(result.expiresIn == 1800);
        CHECK(result.interval == 5);
        CHECK(result.warnings ==
              std::vector<std::string>{"verification_url is a non-standard spelling of "
                                       "verification_uri (RFC 8628 section 3.2); it was used."});
    }
    SECTION("an unusable interval falls back to 5 seconds with a warning") {
        const auto result = ProcessDeviceAuthorizationResponse(JsonResponse(
            200,
            R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d","expires_in":600,"interval":0})"));
        REQUIRE(result.ok());
        CHECK(result.interval == 5);
        CHECK(result.warnings ==
              std::vector<std::string>{
                  "interval is not a positive number of seconds (0); 5 seconds are used."});
    }
    SECTION("a string interval is read too") {
        const auto result = ProcessDeviceAuthorizationResponse(JsonResponse(
            200,
            R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d","expires_in":600,"interval":"10"})"));
        CHECK(result.interval == 10);
    }
}

TEST_CASE("A device authorization response without the required members is an error", "[device]") {
    SECTION("several missing") {
        const auto result =
            ProcessDeviceAuthorizationResponse(JsonResponse(200, R"({"user_code":"u","expires_in":"soon"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(Line(*result.error) ==
              "missing_fields: The device authorization endpoint answered HTTP 200 but the JSON has "
              "no usable device_code, verification_uri and expires_in (RFC 8628 "
              "section 3.2 requires them).");
        CHECK(DetailValue(result.error->details, "expires_in") == "soon");
    }
    SECTION("one missing") {
        const auto result = ProcessDeviceAuthorizationResponse(
            JsonResponse(200, R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error->message == "The device authorization endpoint answered HTTP 200 but the JSON has "
                                       "no usable expires_in (RFC 8628 section 3.2 requires it).");
    }
}

TEST_CASE("Device authorization errors read like token endpoint errors, naming the endpoint", "[device]") {
    SECTION("an OAuth error") {
        const auto result = ProcessDeviceAuthorizationResponse(JsonResponse(
            400, R"({"error":"invalid_client","error_description":"client authentication failed"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(Line(*result.error) ==
              "invalid_client: The device authorization endpoint did not accept the client's "
              "credentials (invalid_client); check Client ID, Client Secret and "
              "Client Authentication. The provider says: \"client authentication "
              "failed\"");
        CHECK(DetailValue(result.error->details, "error_description") == "client authentication failed");
        CHECK(result.error->status == 400);
    }
    SECTION("an HTML page") {
        const auto result = ProcessDeviceAuthorizationResponse(
            {404, {{"Content-Type", "text/html"}}, "<!DOCTYPE html><p>Not found</p>"});
        REQUIRE_FALSE(result.ok());
        CHECK(Line(*result.error) ==
              "html_body: The device authorization endpoint answered HTTP 404 with an HTML page "
              "instead of JSON; check the Device Authorization URL.");
    }
    SECTION("no answer (network or CORS)") {
        const auto result = ProcessDeviceAuthorizationResponse({}, "https://id.example.com/device");
        REQUIRE_FALSE(result.ok());
        CHECK(Line(*result.error) ==
              "network_or_cors: The device authorization endpoint did not answer, or refused a call from the "
              "browser (CORS); "
              "check the Device Authorization URL and that the provider allows this page's origin for a "
              "browser (single-page) client. If the provider refuses browsers, turn on \"Use CORS relay\" "
              "(needs serve.py --relay).");
        CHECK(DetailValue(result.error->details, "Device Authorization URL") ==
              "https://id.example.com/device");
    }
    SECTION("an error object sent with 200") {
        const auto result =
            ProcessDeviceAuthorizationResponse(JsonResponse(200, R"({"error":"invalid_scope"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error->message ==
              "The device authorization endpoint rejected the requested scope (invalid_scope).");
    }
}

TEST_CASE("Each poll answer of the device flow is classified (RFC 8628 3.5)", "[device]") {
    SECTION("authorization_pending: keep polling at the same interval") {
        const DevicePoll poll =
            ClassifyDevicePollResponse(JsonResponse(400, R"({"error":"authorization_pending"})"));
        CHECK(poll.outcome == DevicePollOutcome::Pending);
        CHECK(poll.keepPolling());
        CHECK(poll.message ==
              "Waiting for the user to enter the code and approve the request (authorization_pending).");
        CHECK(NextPollInterval(5, poll) == 5);
    }
    SECTION("slow_down: keep polling, 5 seconds slower, and stay slower") {
        const DevicePoll poll = ClassifyDevicePollResponse(JsonResponse(400, R"({"error":"slow_down"})"));
        CHECK(poll.outcome == DevicePollOutcome::SlowDown);
        CHECK(poll.keepPolling());
        CHECK(poll.message ==
              "The token endpoint asked to poll less often (slow_down); the interval is now 5 "
              "seconds longer.");
        CHECK(NextPollInterval(5, poll) == 10);
        CHECK(NextPollInterval(NextPollInterval(5, poll), poll) == 15);
    }
    SECTION("access_denied: stop") {
        const DevicePoll poll = ClassifyDevicePollResponse(JsonResponse(400, R"({"error":"access_denied"})"));
        CHECK(poll.outcome == DevicePollOutcome::Denied);
        CHECK_FALSE(poll.keepPolling());
        CHECK(poll.message == "The user denied the request (access_denied).");
    }
    SECTION("expired_token: stop") {
        const DevicePoll poll = ClassifyDevicePollResponse(JsonResponse(400, R"({"error":"expired_token"})"));
        CHECK(poll.outcome == DevicePollOutcome::Expired);
        CHECK_FALSE(poll.keepPolling());
        CHECK(poll.message == "The device code expired before the user approved the request (expired_token); "
                              "request a new code.");
    }
    SECTION("a token: stop with it") {
        const DevicePoll poll = ClassifyDevicePollResponse(
            JsonResponse(200, R"({"access_token":"at","token_type":"Bearer","expires_in":3600})"));
        CHECK(poll.outcome == DevicePollOutcome::Success);
        CHECK_FALSE(poll.keepPolling());
        REQUIRE(poll.success);
        CHECK(poll.success->accessToken == "at");
        CHECK(poll.message == "The user approved the request; the token endpoint issued an access token.");
        CHECK_FALSE(poll.error);
    }
    SECTION("any other error: stop with the token endpoint's sentence") {
        const DevicePoll poll = ClassifyDevicePollResponse(JsonResponse(400, R"({"error":"invalid_grant"})"));
        CHECK(poll.outcome == DevicePollOutcome::Failed);
        CHECK_FALSE(poll.keepPolling());
        REQUIRE(poll.error);
        CHECK(poll.error->code == "invalid_grant");
        CHECK(poll.message == poll.error->message);
        CHECK(NextPollInterval(7, poll) == 7);
    }
    SECTION("no answer") {
        const DevicePoll poll = ClassifyDevicePollResponse({}, "https://id.example.com/token");
        CHECK(poll.outcome == DevicePollOutcome::Failed);
        CHECK(poll.error->code == "network_or_cors");
    }
}

TEST_CASE("Only https verification URIs, or http on loopback, are opened (RFC 8628 3.2)", "[device]") {
    const std::string refused = "The verification page was not opened: its address is not an https URL (http "
                                "only for localhost, 127.0.0.1 or [::1]), so it is shown as text; open it "
                                "yourself only if you trust it.";
    for (const char* uri :
         {"https://microsoft.com/devicelogin", "https://id.example.com/device?user_code=WDJB",
          "http://localhost:3000/device", "http://127.0.0.1:9/device", "http://[::1]/device"})
        CHECK(RefuseToOpenVerificationUri(uri) == std::nullopt);
    for (const char* uri : {"javascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd",
                            "http://evil.example/d", "http://127.0.0.1:9501\\@evil.example/d",
                            "https://user@id.example.com/device", "/device", "", "http://0127.0.0.1/device",
                            "vbscript:x", "https:id.example.com"}) {
        INFO(uri);
        CHECK(RefuseToOpenVerificationUri(uri) == refused);
    }
    SECTION("the answer keeps the URI as text and warns") {
        const auto result = ProcessDeviceAuthorizationResponse(
            JsonResponse(200, R"j({"device_code":"d","user_code":"u","verification_uri":"javascript:alert(1)",
                          "verification_uri_complete":"javascript:alert(2)","expires_in":600})j"));
        REQUIRE(result.ok());
        CHECK(result.verificationUri == "javascript:alert(1)");
        CHECK(result.warnings == std::vector<std::string>{refused});
    }
}

TEST_CASE("A failed device answer's details mask the device code", "[device][masking]") {
    const auto result = ProcessDeviceAuthorizationResponse(JsonResponse(
        200, R"({"device_code":"GmRhmhcxhw","verification_uri":"https://e/d","expires_in":600})"));
    REQUIRE_FALSE(result.ok());
    CHECK(DetailValue(result.error->details, "device_code") == "********");
    CHECK(DetailValue(result.error->details, "verification_uri") == "https://e/d");
}

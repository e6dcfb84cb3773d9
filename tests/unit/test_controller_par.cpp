// Pushed authorization requests (RFC 9126) through the Controller: the push goes first, the popup
// opens blank while the click still counts as a user gesture and moves to the authorization
// endpoint with client_id and request_uri only once the push answered, and the callback's code is
// redeemed as after any authorization request.
#include "app/controller.h"

#include "core/encoding.h"
#include "core/url.h"

#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using app::Busy;
using app::Intent;
using namespace oauth::test;

namespace {

const char* const kParEndpoint = "https://id.example.com/par";
const char* const kRequestUri = "urn:ietf:params:oauth:request_uri:abc";

// A Harness whose selected profile was discovered with a pushed_authorization_request_endpoint.
void Discovered(Harness& h, bool requirePar) {
    oauth::Discovery discovery;
    discovery.metadata.issuer = "https://id.example.com";
    discovery.metadata.pushedAuthorizationRequestEndpoint = kParEndpoint;
    discovery.metadata.requirePushedAuthorizationRequests = requirePar;
    h.state.discovery = discovery;
    h.state.discoveredFor = h.selected().tokenName;
}

std::vector<std::string> QueryNames(const std::string& url) {
    const auto parsed = oauth::ParseUrl(url);
    REQUIRE(parsed);
    std::vector<std::string> names;
    for (const auto& [name, value] : oauth::DecodeForm(parsed->query.value_or("")))
        names.push_back(name);
    return names;
}

} // namespace

TEST_CASE("PAR: push, then the popup opens with client_id and request_uri, then the code is redeemed",
          "[controller][par]") {
    oauth::Profile profile = oauth::test::AuthorizationCodeProfile();
    profile.usePar = true;
    Harness h(profile);
    Discovered(h, false);
    const std::string redirect = h.selected().redirectUrl;

    h.intent(Intent::GetToken);
    // The popup is open, blank, before anything is sent (a later window.open would be blocked).
    REQUIRE(h.platform.popupsOpened == std::vector<std::string>{"about:blank"});
    REQUIRE(h.platform.fetches.size() == 1);
    const oauth::HttpRequest& push = h.request(0);
    CHECK(push.method == "POST");
    CHECK(push.url == kParEndpoint);
    CHECK(Header(push, "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
    const std::string state = h.session().requestState();
    CHECK(Field(push.body, "response_type") == "code");
    CHECK(Field(push.body, "client_id") == "client-1");
    CHECK(Field(push.body, "redirect_uri") == redirect);
    CHECK(Field(push.body, "state") == state);
    CHECK(Field(push.body, "code_challenge") == oauth::CodeChallengeS256(h.session().codeVerifier()));
    CHECK(h.state.attempt.busy == Busy::Authorizing);
    CHECK(h.state.status == "Pushing the authorization request to the provider (PAR, RFC 9126)…");

    SECTION("the push answers 201: the popup goes to the authorization endpoint with the request_uri") {
        REQUIRE(h.platform.respond(
            0, 201, std::string(R"({"request_uri":")") + kRequestUri + R"(","expires_in":60})"));
        REQUIRE(h.platform.popupsOpened.size() == 2);
        const std::string opened = h.platform.popupsOpened[1];
        CHECK(opened ==
              "https://id.example.com/authorize?client_id=client-1&request_uri=urn%3Aietf%3Aparams%3Aoauth%3A"
              "request_uri%3Aabc");
        CHECK(QueryNames(opened) == std::vector<std::string>{"client_id", "request_uri"});
        CHECK(h.session().authorizationUrl() == opened);
        CHECK(h.state.status == "Waiting for you to sign in and consent in the popup window…");

        h.controller.onCallback(redirect + "?code=the-code&state=" + state);
        // The code is redeemed as after an unpushed request (RFC 9126 section 4: only the request moved).
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK((h.platform.popupCloses == 1 && h.request(1).url == "https://id.example.com/token"));
        CHECK(h.request(1).body == oauth::EncodeForm({{"grant_type", "authorization_code"},
                                                      {"code", "the-code"},
                                                      {"redirect_uri", redirect},
                                                      {"code_verifier", h.session().codeVerifier()}}));
        REQUIRE(h.platform.respond(1, 200, kTokenBody));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        REQUIRE(h.state.log.entries.size() == 4);
        CHECK(h.state.log.entries[0].step == "Pushed authorization request");
        CHECK(h.state.log.entries[1].step == "Authorization request");
        CHECK(h.state.log.entries[2].step == "Callback");
        CHECK(h.state.log.entries[3].step == "Token request");
    }
    SECTION("the push is refused: the blank popup closes and nothing goes to the provider") {
        REQUIRE(h.platform.respond(0, 401, R"({"error":"invalid_client"})"));
        CHECK(h.platform.popupsOpened.size() == 1);
        CHECK(h.platform.popupCloses == 1);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError ==
              "The pushed authorization request endpoint did not accept the client's credentials "
              "(invalid_client); check Client ID, Client Secret and Client Authentication.");
    }
}

TEST_CASE("An unpushed request refused with invalid_request, while the provider offers PAR, says to tick Use "
          "PAR",
          "[controller][par]") {
    Harness h(oauth::test::AuthorizationCodeProfile());
    Discovered(h, false);
    const std::string redirect = h.selected().redirectUrl;
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.popupsOpened.size() == 1);
    CHECK(h.platform.popupsOpened[0].rfind("https://id.example.com/authorize?response_type=code&", 0) == 0);
    CHECK(h.platform.fetches.empty());
    h.controller.onCallback(redirect +
                            "?error=invalid_request&error_description=Pushed+Authorization+Request+"
                            "must+be+used&state=" +
                            h.session().requestState());
    CHECK(h.selected().lastError ==
          "The authorization server found the request malformed (invalid_request). The provider says: "
          "\"Pushed Authorization Request must be used\" The request "
          "was not pushed: if the client is registered with require_pushed_authorization_requests (RFC 9126 "
          "section 6), tick Use PAR; the provider offers it.");
}

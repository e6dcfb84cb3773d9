// app::Controller's failures that say what happened and what to do (issue 9): a failed fetch told
// apart (nothing answered, CORS, timeout), the relay's retry, an authorization error quoted, a
// consent popup that never calls back, Basic credentials a server does not decode, the OIDC nonce.
#include "app/controller.h"

#include "core/client_authentication.h"
#include "core/encoding.h"
#include "core/storage.h"
#include "core/url.h"

#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <string>

using app::Busy;
using app::Intent;
using oauth::test::FakePlatform;
using oauth::test::Harness;
using platform::FetchFailure;

namespace {

using oauth::test::T0;
const char* const kTokenBody = R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600})";
const oauth::HttpHeaders kRelayOn = {{"Content-Type", "application/json"}, {"X-OAuth-Setup-Relay", "1"}};

std::string QueryField(const std::string& url, const std::string& name) {
    for (const auto& [key, value] : oauth::DecodeForm(oauth::ParseUrl(url)->query.value_or("")))
        if (key == name)
            return value;
    return "<missing>";
}

// An id_token with this payload and a signature nobody checks here (no jwks_uri is known).
std::string IdToken(const std::string& payloadJson) {
    return oauth::Base64UrlEncode(R"({"alg":"RS256"})") + "." + oauth::Base64UrlEncode(payloadJson) + ".c2ln";
}

} // namespace

TEST_CASE("A failed token request says whether nothing answered, CORS refused it, or it timed out",
          "[controller][failures]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.fetches.size() == 1);

    SECTION("nothing answered: no relay advice, no relay question") {
        REQUIRE(h.platform.failTransport(0, "network error", FetchFailure::NoAnswer));
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(
            h.selected().lastError ==
            "Nothing answered at id.example.com (connection refused, unknown host, TLS failure or a blocked "
            "port): check the Access Token URL and that the server runs and is reachable from this browser.");
        CHECK(h.platform.fetches.size() == 1);
        CHECK_FALSE(h.state.offerRelayRetry);
    }
    SECTION("timeout") {
        REQUIRE(h.platform.failTransport(0, "timed out after 30 s", FetchFailure::Timeout));
        CHECK(h.selected().lastError ==
              "The token endpoint at id.example.com did not answer within 30 s: check "
              "the Access Token URL, or raise Timeout (s) if the server is slow.");
    }
    const std::string cors =
        "The token endpoint at id.example.com answered but refused this page (CORS): the "
        "provider does not allow browser calls from this page's origin.";
    SECTION("CORS: the page asks its own relay first, and stays busy meanwhile") {
        REQUIRE(h.platform.failTransport(0, "network error", FetchFailure::Cors));
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK(h.platform.fetches[1].request.method == "GET");
        CHECK(h.platform.fetches[1].request.url == "http://127.0.0.1:8000/relay");
        CHECK(h.state.attempt.busy == Busy::Exchanging);
        CHECK(h.state.log.entries.size() == 1); // the page's own question is not an exchange

        SECTION("the relay runs and allows the host: Retry through the relay") {
            REQUIRE(h.platform.respond(1, 200, R"({"relay":true,"allow":["id.example.com"]})", kRelayOn));
            CHECK(h.selected().lastError ==
                  cors + " Press \"Retry through the relay\" to send it through this "
                         "page's own server, which browsers' CORS rules do not apply to.");
            CHECK(h.state.offerRelayRetry);
            CHECK(h.state.attempt.busy == Busy::None);

            h.intent(Intent::RetryThroughRelay);
            CHECK(h.selected().useRelay);
            CHECK(oauth::DecodeDocument(h.platform.storage[app::kStorageKey]).profiles[0].useRelay);
            REQUIRE(h.platform.fetches.size() == 3);
            CHECK(h.platform.fetches[2].request.url == "http://127.0.0.1:8000/relay");
            CHECK(oauth::FindHeader(h.platform.fetches[2].request.headers, "X-OAuth-Setup-Target") ==
                  "https://id.example.com/token");
            CHECK_FALSE(h.state.offerRelayRetry);
            REQUIRE(h.platform.respond(2, 200, kTokenBody, kRelayOn));
            CHECK(h.selected().state == oauth::ProfileState::Connected);
        }
        SECTION("the relay runs but not for this host") {
            REQUIRE(h.platform.respond(1, 200, R"({"relay":true,"allow":["login.microsoftonline.com"]})",
                                       kRelayOn));
            CHECK(h.selected().lastError ==
                  cors +
                      " This page's CORS relay runs but does not forward to id.example.com: restart serve.py "
                      "with --relay-allow id.example.com (or add the host to its allowlist).");
            CHECK_FALSE(h.state.offerRelayRetry);
        }
        SECTION("no relay (404): how to start it") {
            REQUIRE(h.platform.respond(1, 404, "Not Found", {{"Content-Type", "text/plain"}}));
            CHECK(h.selected().lastError ==
                  cors + " To send it through this page's own server instead, start the CORS relay "
                         "(./scripts/run.sh starts it by default; serve.py --relay) and turn on \"Use CORS "
                         "relay\".");
            CHECK_FALSE(h.state.offerRelayRetry);
        }
        SECTION("Cancel while the relay is asked") {
            h.intent(Intent::Cancel);
            CHECK(h.platform.fetches[1].cancelled);
            CHECK(h.selected().state == oauth::ProfileState::None);
        }
    }
}

TEST_CASE("Through the relay, the relay's own answers are never the provider's words",
          "[controller][failures]") {
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.useRelay = true;
    Harness h(p);
    h.intent(Intent::GetToken);
    SECTION("the relay is off") {
        REQUIRE(h.platform.respond(0, 404, "<h1>Not Found</h1>", {{"Content-Type", "text/html"}}));
        CHECK(h.selected().lastError == "This page's server runs no CORS relay (it answered HTTP 404 at "
                                        "/relay), so nothing was sent to the "
                                        "provider: start the relay (./scripts/run.sh starts it by default; "
                                        "serve.py --relay), or turn off "
                                        "\"Use CORS relay\".");
    }
    SECTION("the relay refuses the host") {
        REQUIRE(h.platform.respond(
            0, 403,
            R"({"error":"relay_refused","error_description":"id.example.com is not on the allowlist."})",
            kRelayOn));
        CHECK(h.selected().lastError ==
              "This page's CORS relay refused to forward the request (relay_refused): "
              "id.example.com is not on the allowlist.");
    }
    SECTION("the page's server does not answer at all") {
        REQUIRE(h.platform.failTransport(0, "network error", FetchFailure::NoAnswer));
        CHECK(h.selected().lastError ==
              "This page's own server did not answer at its CORS relay, so nothing "
              "reached the token endpoint: check that serve.py still runs, or turn off "
              "\"Use CORS relay\".");
        CHECK(h.platform.fetches.size() == 1);
    }
}

TEST_CASE("A refusal of form-encoded Basic credentials offers to send them as typed",
          "[controller][failures]") {
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.clientSecret = "a:b+c/d=e%f g";
    Harness h(p);
    h.intent(Intent::GetToken);
    CHECK(oauth::FindHeader(h.platform.fetches[0].request.headers, "Authorization") ==
          oauth::BasicAuthorizationValue("client-1", "a:b+c/d=e%f g"));
    REQUIRE(h.platform.respond(0, 401, R"({"error":"invalid_client"})"));
    CHECK(h.selected().lastError ==
          "The token endpoint did not accept the client's credentials (invalid_client); check Client ID, "
          "Client "
          "Secret and Client Authentication. The Basic header carried the Client Secret form-encoded, as RFC "
          "6749 "
          "section 2.3.1 requires, which changed characters in it; some servers compare the credentials "
          "without "
          "decoding them. Press \"Retry with unencoded credentials\" to send them as typed.");
    CHECK(h.state.offerUnencodedRetry);

    h.intent(Intent::RetryUnencoded);
    CHECK(h.selected().basicUnencoded);
    CHECK(oauth::DecodeDocument(h.platform.storage[app::kStorageKey]).profiles[0].basicUnencoded);
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(oauth::FindHeader(h.platform.fetches[1].request.headers, "Authorization") ==
          "Basic " + oauth::Base64Encode("client-1:a:b+c/d=e%f g"));
    CHECK_FALSE(h.state.offerUnencodedRetry);
    SECTION("a second refusal does not offer it again") {
        REQUIRE(h.platform.respond(1, 401, R"({"error":"invalid_client"})"));
        CHECK(h.selected().lastError == "The token endpoint did not accept the client's credentials "
                                        "(invalid_client); check Client ID, Client Secret and Client "
                                        "Authentication.");
        CHECK_FALSE(h.state.offerUnencodedRetry);
    }
    SECTION("it works") {
        REQUIRE(h.platform.respond(1, 200, kTokenBody));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
}

TEST_CASE("The consent popup: a probe of the Authorization URL, a hint, and the consent timeout",
          "[controller][failures]") {
    Harness h(oauth::test::AuthorizationCodeProfile());
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.popupsOpened.size() == 1);
    REQUIRE(h.platform.probes.size() == 1);
    // The URL as typed: not this attempt's state or challenge.
    CHECK(h.platform.probes[0].url == "https://id.example.com/authorize");
    CHECK(h.platform.probes[0].timeoutMs == 30000);
    CHECK(h.state.attempt.busy == Busy::Authorizing);

    SECTION("nothing answers at the Authorization URL: the popup is closed with a sentence") {
        REQUIRE(h.platform.answerProbe(0, FetchFailure::NoAnswer));
        CHECK(h.platform.popupCloses == 1);
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError ==
              "Nothing answered at id.example.com (connection refused, unknown host, TLS "
              "failure or a blocked port), so the consent popup was closed: check the "
              "Authorization URL.");
        return;
    }
    SECTION("a probe that answers after the attempt ended changes nothing") {
        h.intent(Intent::Cancel);
        REQUIRE(h.platform.answerProbe(0, FetchFailure::NoAnswer));
        CHECK(h.state.status == "Cancelled.");
        CHECK(h.selected().state == oauth::ProfileState::None);
        return;
    }
    REQUIRE(h.platform.answerProbe(0, FetchFailure::None)); // a server answered
    CHECK(h.state.attempt.busy == Busy::Authorizing);

    h.at(T0 + 19);
    CHECK_FALSE(h.state.consentHint);
    h.at(T0 + 20);
    CHECK(h.state.consentHint);
    CHECK(app::ConsentHintText() == "Still waiting for the provider to send you back. Look at the popup: an "
                                    "error page there never returns "
                                    "to this page; the usual causes are a mistyped Authorization URL (a 404 "
                                    "page), a wrong Client ID, or a "
                                    "Redirect URL that is not registered with the provider.");
    CHECK(h.state.attempt.busy == Busy::Authorizing);

    h.at(T0 + 299);
    CHECK(h.state.attempt.busy == Busy::Authorizing);
    h.at(T0 + 300);
    CHECK(h.state.attempt.busy == Busy::None);
    CHECK(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.selected().lastError ==
          "The consent popup did not send you back within 300 s (Consent timeout (s)), so the attempt ended. "
          "Look "
          "at the popup for the provider's error page; the usual causes are a mistyped Authorization URL (a "
          "404 "
          "page), a wrong Client ID, or a Redirect URL that is not registered with the provider.");
    CHECK(h.platform.popupCloses == 0); // left open: the error page can be read
    CHECK_FALSE(h.state.consentHint);
}

TEST_CASE("The consent timeout is stored and adjustable, separately from the request timeout",
          "[controller][failures]") {
    Harness h(oauth::test::AuthorizationCodeProfile());
    CHECK(h.state.consentTimeoutSeconds == 300);
    h.state.consentTimeoutSeconds = 25;
    h.intent(Intent::ConsentTimeoutChanged);
    CHECK(h.platform.storage["oauth-setup:consent-timeout"] == "25");
    CHECK(h.state.timeoutSeconds == 30);
    h.state.consentTimeoutSeconds = 1;
    h.intent(Intent::ConsentTimeoutChanged);
    CHECK(h.state.consentTimeoutSeconds == 5);

    FakePlatform& fp = h.platform;
    fp.storage["oauth-setup:consent-timeout"] = "25";
    app::AppState again;
    app::Controller reloaded(fp, again);
    reloaded.load();
    CHECK(again.consentTimeoutSeconds == 25);
    fp.storage["oauth-setup:consent-timeout"] = "nonsense";
    app::AppState third;
    app::Controller(fp, third).load();
    CHECK(third.consentTimeoutSeconds == 300);
}

TEST_CASE("An authorization error on the Redirect URL is quoted in the status sentence",
          "[controller][failures]") {
    Harness h(oauth::test::AuthorizationCodeProfile());
    h.intent(Intent::GetToken);
    h.controller.onCallback("https://app.example.com/callback?error=invalid_request&error_description="
                            "nonce+required&state=" +
                            h.session().requestState());
    CHECK(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.state.status ==
          "The authorization server found the request malformed (invalid_request). The provider "
          "says: \"nonce required\"");
}

TEST_CASE("With openid, the nonce sent is checked in the id_token", "[controller][failures]") {
    Harness h(oauth::test::AuthorizationCodeProfile()); // scopes "openid profile"
    h.intent(Intent::GetToken);
    const std::string nonce = h.session().nonce();
    REQUIRE(nonce.size() == 22);
    CHECK(QueryField(h.platform.popupsOpened[0], "nonce") == nonce);
    h.controller.onCallback("https://app.example.com/callback?code=c-1&state=" + h.session().requestState());
    REQUIRE(h.platform.fetches.size() == 1);
    auto answer = [&](const std::string& payload) {
        const std::string body =
            R"({"access_token":"at-1","token_type":"Bearer","id_token":")" + IdToken(payload) + R"("})";
        REQUIRE(h.platform.respond(0, 200, body));
    };
    SECTION("the same nonce: Connected") {
        answer(R"({"iss":"https://id.example.com","aud":"client-1","iat":1700000000,"exp":1700003600,)"
               R"("sub":"alice","nonce":")" +
               nonce + R"("})");
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
    SECTION("another nonce: an Error, and no token kept") {
        answer(R"({"sub":"alice","nonce":"replayed"})");
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError ==
              "The id_token's nonce does not match the one this page sent, so it was "
              "rejected: it belongs to another sign-in (OpenID Connect Core 1.0 section "
              "3.1.3.7).");
        CHECK(h.selected().lastToken.is_null());
    }
    SECTION("no nonce claim: an Error") {
        answer(R"({"sub":"alice"})");
        CHECK(h.selected().lastError ==
              "The id_token carries no nonce, although the authorization request sent "
              "one, so it was rejected: it may be replayed from another sign-in (OpenID "
              "Connect Core 1.0 section 3.1.3.7).");
    }
}

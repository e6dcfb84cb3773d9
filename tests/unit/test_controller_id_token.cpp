// The ID token of a token response, checked before the profile is Connected (OpenID Connect Core
// 1.0 section 3.1.3.7): its claims, then its signature with the key from the provider's jwks_uri,
// fetched through the one answer handler and checked by the platform's WebCrypto (FakePlatform
// knows the fixed key pair's signature, id_token_fixture.h, and computes HS256 for real).
#include "controller_harness.h"
#include "id_token_fixture.h"
#include "test_helpers.h"

#include "core/id_token.h"
#include "core/transport_failure.h"

using app::Busy;
using app::Intent;
using oauth::test::FakePlatform;
using oauth::test::Harness;

namespace {

constexpr const char* kJwksUri = "https://id.example.com/jwks";

std::string TokenBody(const std::string& idToken) {
    return R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600,"id_token":")" + idToken +
           R"("})";
}

// The fixed token with one payload claim changed; its signature is left as it was.
std::string Tampered() {
    const std::string token = oauth::test::kFixedRsaIdToken;
    const std::size_t first = token.find('.'), second = token.rfind('.');
    nlohmann::json payload =
        nlohmann::json::parse(*oauth::Base64UrlDecode(token.substr(first + 1, second - first - 1)));
    payload["sub"] = "mallory";
    return token.substr(0, first) + "." + oauth::Base64UrlEncode(payload.dump()) + token.substr(second);
}

std::string Jws(const nlohmann::json& header, const nlohmann::json& payload, const std::string& hmacKey) {
    const std::string input =
        oauth::Base64UrlEncode(header.dump()) + "." + oauth::Base64UrlEncode(payload.dump());
    return input + "." + oauth::Base64UrlEncode(FakePlatform::HmacSha256(hmacKey, input));
}

nlohmann::json FixedClaims() {
    return {{"iss", "https://id.example.com"},
            {"sub", "alice"},
            {"aud", "client-1"},
            {"iat", 1700000000},
            {"exp", 1700003600}};
}

struct IdTokenHarness : Harness {
    IdTokenHarness() : Harness(oauth::test::PasswordProfile()) {
        oauth::Discovery discovery;
        discovery.metadata.issuer = "https://id.example.com";
        discovery.metadata.tokenEndpoint = "https://id.example.com/token";
        discovery.metadata.jwksUri = kJwksUri;
        state.discovery = discovery;
    }
    // Gets a token whose response carries `idToken`.
    void tokenWith(const std::string& idToken) {
        intent(Intent::GetToken);
        REQUIRE(platform.respond(0, 200, TokenBody(idToken)));
    }
    nlohmann::json idTokenSnapshot() { return nlohmann::json::parse(controller.snapshotJson())["idToken"]; }
};

} // namespace

TEST_CASE("An ID token signed by the provider's key is verified before the profile is Connected",
          "[controller][id_token]") {
    IdTokenHarness h;
    h.tokenWith(oauth::test::kFixedRsaIdToken);
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(h.platform.fetches[1].request.method == "GET");
    CHECK(h.platform.fetches[1].request.url == kJwksUri);
    CHECK(h.state.attempt.busy == Busy::VerifyingIdToken);
    CHECK(h.selected().state == oauth::ProfileState::None); // not yet Connected
    CHECK(h.state.log.entries.back().step == "JWKS");

    SECTION("the right key: verified, named by its kid") {
        REQUIRE(h.platform.respond(1, 200, oauth::test::FixedJwks()));
        REQUIRE(h.platform.verifiedKeys.size() == 1);
        CHECK(nlohmann::json::parse(h.platform.verifiedKeys[0]).value("n", "") ==
              oauth::test::kFixedRsaModulus);
        h.platform.runCrypto();
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.idTokenSnapshot() ==
              nlohmann::json{{"verified", true}, {"message", "Signature verified with key fixed-rsa-1."}});
    }
    SECTION("another key under the same kid (a key rotated under the page's feet): rejected") {
        std::string jwks = oauth::test::FixedJwks();
        jwks.replace(jwks.find(oauth::test::kFixedRsaModulus), 4, "AAAA");
        REQUIRE(h.platform.respond(1, 200, jwks));
        h.platform.runCrypto();
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError ==
              "The id_token's signature does not verify with key fixed-rsa-1 from the provider's jwks_uri, "
              "so it "
              "was rejected: the token was changed, or not signed by this provider (OpenID Connect Core 1.0 "
              "section 3.1.3.7).");
        CHECK(h.selected().lastToken.is_null());
    }
    SECTION("the JWKS refused by CORS: Connected, and the reason it is not verified") {
        REQUIRE(h.platform.failTransport(1, "TypeError: Failed to fetch", oauth::FetchFailure::Cors));
        CHECK(h.platform.fetches.size() == 2); // the keys are a public GET: no relay asked
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        oauth::FetchResult cors;
        cors.transportError = "TypeError: Failed to fetch";
        cors.failure = oauth::FetchFailure::Cors;
        oauth::FetchContext context = oauth::ContextFor(kJwksUri, oauth::kJwksEndpoint);
        context.timeoutSeconds = h.state.timeoutSeconds;
        CHECK(h.idTokenSnapshot()["message"] ==
              "Signature not verified: " + oauth::DescribeFetchProblem(cors, context)->message);
        CHECK(h.idTokenSnapshot()["verified"] == false);
    }
    SECTION("a JWKS without the token's kid: Connected, not verified, the kids named") {
        REQUIRE(
            h.platform.respond(1, 200, R"({"keys":[{"kty":"RSA","kid":"new-key","n":"AQ","e":"AQAB"}]})"));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.idTokenSnapshot()["message"] ==
              "Signature not verified: the provider's JWKS has no key with kid \"fixed-rsa-1\" (it lists "
              "\"new-key\"): it may have rotated its keys since the token was signed.");
    }
}

TEST_CASE("A tampered ID token fails its signature check", "[controller][id_token]") {
    IdTokenHarness h;
    h.tokenWith(Tampered());
    REQUIRE(h.platform.respond(1, 200, oauth::test::FixedJwks()));
    h.platform.runCrypto();
    CHECK(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.selected().lastError.rfind("The id_token's signature does not verify with key fixed-rsa-1", 0) ==
          0);
}

TEST_CASE("Claims are checked before any key is fetched", "[controller][id_token]") {
    IdTokenHarness h;
    SECTION("expired an hour ago") {
        h.platform.clock = 1700003600 + 3600;
        h.tokenWith(oauth::test::kFixedRsaIdToken);
        CHECK(h.platform.fetches.size() == 1);
        CHECK(
            h.selected().lastError ==
            "The id_token expired at 2023-11-14 23:13:20 UTC (this computer's clock says 2023-11-15 00:13:20 "
            "UTC, 60 s of clock skew allowed), so it was rejected (OpenID Connect Core 1.0 section "
            "3.1.3.7).");
    }
    SECTION("another client's token") {
        h.selected().clientId = "client-2";
        h.tokenWith(oauth::test::kFixedRsaIdToken);
        CHECK(h.selected().lastError ==
              "The id_token is meant for \"client-1\", not for this client \"client-2\", so it was rejected "
              "(OpenID Connect Core 1.0 section 3.1.3.7).");
    }
    SECTION("another issuer than the profile's") {
        h.selected().issuer = "https://login.example.org";
        h.tokenWith(oauth::test::kFixedRsaIdToken);
        CHECK(h.selected().lastError ==
              "The id_token was issued by \"https://id.example.com\", not by the profile's issuer "
              "\"https://login.example.org\", so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
    }
    SECTION("an access token the at_hash does not match") {
        h.intent(Intent::GetToken);
        REQUIRE(h.platform.respond(0, 200,
                                   R"({"access_token":"at-2","token_type":"Bearer","id_token":")" +
                                       std::string(oauth::test::kFixedRsaIdToken) + R"("})"));
        CHECK(h.selected().lastError.rfind("The id_token's at_hash does not match the access token", 0) == 0);
    }
    SECTION("alg none: refused") {
        h.tokenWith(oauth::Base64UrlEncode(R"({"alg":"none"})") + "." +
                    oauth::Base64UrlEncode(FixedClaims().dump()) + ".");
        CHECK(h.platform.fetches.size() == 1);
        CHECK(h.selected().lastError == "The id_token is not signed (alg \"none\"), so it was rejected: "
                                        "anyone could have written it (OpenID "
                                        "Connect Core 1.0 section 3.1.3.7).");
    }
}

TEST_CASE("HS256 is checked with the client secret, and refused for a public client",
          "[controller][id_token]") {
    IdTokenHarness h;
    const nlohmann::json header = {{"alg", "HS256"}};
    SECTION("the right secret: verified") {
        h.tokenWith(Jws(header, FixedClaims(), "s3cret"));
        CHECK(h.platform.fetches.size() == 1); // no JWKS: the key is the secret
        h.platform.runCrypto();
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.idTokenSnapshot()["message"] == "Signature verified with the client secret (HS256).");
    }
    SECTION("another secret: rejected") {
        h.tokenWith(Jws(header, FixedClaims(), "other"));
        h.platform.runCrypto();
        CHECK(
            h.selected().lastError ==
            "The id_token's signature does not verify with the client secret (HS256), so it was rejected: "
            "the "
            "token was changed, or the Client Secret is not the provider's (OpenID Connect Core 1.0 section "
            "3.1.3.7).");
    }
    SECTION("a public client") {
        h.selected().clientSecret.clear();
        h.tokenWith(Jws(header, FixedClaims(), ""));
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError.rfind(
                  "The id_token is signed with HS256, a MAC keyed with the client secret, "
                  "but this profile is a public client",
                  0) == 0);
    }
}

TEST_CASE("Without the provider's metadata the ID token is kept, marked not verified",
          "[controller][id_token]") {
    IdTokenHarness h;
    h.state.discovery.reset();
    h.tokenWith(oauth::test::kFixedRsaIdToken);
    CHECK(h.platform.fetches.size() == 1);
    CHECK(h.selected().state == oauth::ProfileState::Connected);
    CHECK(h.idTokenSnapshot() ==
          nlohmann::json{{"verified", false},
                         {"message",
                          "Signature not verified: the provider's jwks_uri is not known in this page "
                          "session; press Discover to read the provider's metadata, then get a token "
                          "again."}});
}

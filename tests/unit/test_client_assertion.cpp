// Client authentication with signed assertions (RFC 7523 section 2.2, OpenID Connect Core 1.0
// section 9): the claims core makes, the request body every authenticated endpoint sends, and the
// Controller signing each request just before sending it (FakePlatform signs for real, fake_signer.h).
#include "controller_harness.h"
#include "fake_signer.h"
#include "sent_jws.h"
#include "test_helpers.h"

#include "core/authenticated_request.h"
#include "core/client_assertion.h"
#include "core/jwt.h"
#include "core/profiles_export.h"
#include "core/revocation.h"
#include "core/storage.h"
#include "core/token_request.h"
#include "core/validation.h"

#include <catch2/catch.hpp>

#include <string>

using app::Intent;
using json = nlohmann::json;
using oauth::ClientAuthentication;
using oauth::test::Field;
using oauth::test::Harness;
using oauth::test::Header;

namespace {

const char* const kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

oauth::Profile SecretJwtProfile() {
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.clientAuthentication = ClientAuthentication::SecretJwt;
    p.discoveryUrl = "https://id.example.com";
    return p;
}

oauth::Profile PrivateKeyJwtProfile() {
    oauth::Profile p = SecretJwtProfile();
    p.clientAuthentication = ClientAuthentication::PrivateKeyJwt;
    p.clientSecret.clear();
    return p;
}

} // namespace

TEST_CASE("An assertion names the client as iss and sub and the issuer as aud, for 60 seconds",
          "[assertion]") {
    oauth::Profile p = SecretJwtProfile();
    const oauth::PendingAssertion plan = oauth::PlanClientAssertion(p);
    CHECK(plan.algorithm == "HS256");
    CHECK(plan.clientId == "client-1");
    CHECK(plan.audience == "https://id.example.com");
    CHECK(plan.keyId.empty());
    CHECK(oauth::AssertionHeader(plan) == json{{"alg", "HS256"}, {"typ", "JWT"}});
    CHECK(oauth::AssertionClaims(plan, 1'700'000'000.75, "j-1") == json{{"iss", "client-1"},
                                                                        {"sub", "client-1"},
                                                                        {"aud", "https://id.example.com"},
                                                                        {"jti", "j-1"},
                                                                        {"iat", 1'700'000'000},
                                                                        {"exp", 1'700'000'060}});
    SECTION("the expected issuer wins over the discovery URL's") {
        p.issuer = "https://id.example.com/tenant";
        CHECK(oauth::PlanClientAssertion(p).audience == "https://id.example.com/tenant");
    }
    SECTION("a .well-known discovery URL names its issuer") {
        p.discoveryUrl = "https://id.example.com/oidc/.well-known/openid-configuration";
        CHECK(oauth::PlanClientAssertion(p).audience == "https://id.example.com/oidc");
    }
    SECTION("the token endpoint URL when asked (Microsoft Entra ID)") {
        p.assertionAudience = oauth::AssertionAudience::TokenEndpoint;
        CHECK(oauth::PlanClientAssertion(p).audience == "https://id.example.com/token");
    }
    SECTION("private_key_jwt signs with the profile's algorithm and its Key ID") {
        p = PrivateKeyJwtProfile();
        p.privateKey = "key";
        p.signingAlgorithm = oauth::SigningAlgorithm::ES256;
        p.keyId = "k-7";
        CHECK(oauth::AssertionHeader(oauth::PlanClientAssertion(p)) ==
              json{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "k-7"}});
    }
    SECTION("the jti is 16 random bytes in hex") {
        CHECK(oauth::MakeJwtId(oauth::test::CountingRandom()) == "000102030405060708090a0b0c0d0e0f");
    }
}

TEST_CASE("Every authenticated request carries client_assertion_type and plans the assertion",
          "[assertion]") {
    oauth::Profile p = PrivateKeyJwtProfile();
    p.privateKey = "key";
    const oauth::HttpRequest token = oauth::BuildClientCredentialsTokenRequest(p);
    CHECK(token.body ==
          "grant_type=client_credentials&scope=api.read+api.write&client_id=client-1&"
          "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
    CHECK(Header(token, "Authorization") == "<missing>");
    REQUIRE(token.assertion);
    CHECK(token.assertion->algorithm == "RS256");

    const oauth::HttpRequest revoke = oauth::BuildRevocationRequest(p, "at-1", "access_token");
    REQUIRE(revoke.assertion);
    CHECK(Field(revoke.body, "client_assertion_type") == kAssertionType);
    CHECK(Field(revoke.body, "client_secret") == "<missing>");

    const oauth::HttpRequest sent = oauth::WithClientAssertion(token, "h.p.s");
    CHECK_FALSE(sent.assertion);
    CHECK(sent.body == token.body + "&client_assertion=h.p.s");

    SECTION("a private_key_jwt profile without a key sends nothing and says what is missing") {
        p.privateKey.clear();
        const auto errors = oauth::ValidateProfile(p, {});
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == "privateKey");
        CHECK(errors[0].message ==
              "Paste a private key (PKCS#8 PEM or a private JWK) or press Generate to sign "
              "a private_key_jwt assertion.");
    }
    SECTION("an issuer audience needs an issuer") {
        p.discoveryUrl.clear();
        const auto errors = oauth::ValidateProfile(p, {});
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].message ==
              "The assertion is addressed to the issuer: fill in Issuer / Discovery URL, or "
              "choose the token endpoint URL as its audience.");
    }
}

TEST_CASE("The RFC 7638 thumbprint of RFC 7638's own example key", "[assertion]") {
    // RFC 7638 section 3.1's key, with the alg and kid its example JWK also carries.
    json jwk = oauth::test::Rfc7638ExampleKey();
    jwk["alg"] = "RS256";
    jwk["kid"] = "2011-04-29";
    CHECK(oauth::JwkThumbprint(jwk) == oauth::test::kRfc7638Thumbprint);
    const json registered = oauth::RegistrationJwk(jwk, "PS256", "");
    CHECK(registered == json{{"kty", "RSA"},
                             {"n", jwk["n"]},
                             {"e", "AQAB"},
                             {"use", "sig"},
                             {"alg", "PS256"},
                             {"kid", oauth::test::kRfc7638Thumbprint}});
    CHECK(oauth::JwkThumbprint(json{{"kty", "RSA"}, {"e", "AQAB"}}).empty());
}

#ifdef OAUTH_TEST_OPENSSL

namespace {

// The client_assertion of fetch `index`, with its decoded claims.
oauth::test::SentJws AssertionOf(Harness& h, std::size_t index) {
    return oauth::test::DecodeSentJws(Field(h.request(index).body, "client_assertion"));
}

} // namespace

TEST_CASE("client_secret_jwt: each token request is signed with HS256 just before it is sent",
          "[assertion][controller]") {
    Harness h(SecretJwtProfile());
    oauth::test::GetTokenSignedAtT0(h);
    const oauth::test::SentJws a = AssertionOf(h, 0);
    CHECK(oauth::test::VerifyJws("HS256", "s3cret", a.jws));
    CHECK_FALSE(oauth::test::VerifyJws("HS256", "s3cres", a.jws));
    CHECK(a.header == json{{"alg", "HS256"}, {"typ", "JWT"}});
    CHECK(a.claims.at("iss") == "client-1");
    CHECK(a.claims.at("sub") == "client-1");
    CHECK(a.claims.at("aud") == "https://id.example.com");
    CHECK(a.claims.at("iat") == 1'700'000'000);
    CHECK(a.claims.at("exp") == 1'700'000'060);
    CHECK(a.claims.at("jti").get<std::string>().size() == 32);
    CHECK(Field(h.request(0).body, "client_secret") == "<missing>");
    CHECK(Field(h.request(0).body, "client_assertion_type") == kAssertionType);
    CHECK(Header(h.request(0), "Authorization") == "<missing>");
    // The log masks the assertion like a secret.
    REQUIRE(h.state.log.entries.size() == 1);
    CHECK(h.state.log.entries[0].request.body.find(a.jws) != std::string::npos); // kept, shown masked
    CHECK(h.snapshot().dump().find(a.jws) == std::string::npos);

    SECTION("a second request carries a new jti") {
        REQUIRE(h.platform.respond(0, 200, oauth::test::kTokenBody));
        h.intent(Intent::GetToken);
        h.platform.runCrypto();
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK(AssertionOf(h, 1).claims.at("jti") != a.claims.at("jti"));
    }
    SECTION("invalid_client is explained") {
        REQUIRE(h.platform.respond(
            0, 401, R"({"error":"invalid_client","error_description":"client authentication failed"})"));
        CHECK(h.selected().lastError.find(
                  "The request carried a signed client assertion (HS256, aud \"https://id.example.com\"). "
                  "Check "
                  "that the Client Secret is the one registered, that the client is registered for "
                  "client_secret_jwt with this algorithm, and that the server accepts this audience. An "
                  "assertion is single-use and expires 60 seconds after it is made (RFC 7523 section 3): the "
                  "page signs a fresh one for every request, but a copied one cannot be replayed.") !=
              std::string::npos);
    }
}

TEST_CASE("private_key_jwt: RS256, PS256 and ES256 assertions verify with the key's public half",
          "[assertion][controller]") {
    const std::string algorithm = GENERATE(std::string("RS256"), std::string("PS256"), std::string("ES256"));
    const std::string pem = oauth::test::GeneratePem(algorithm);
    Harness h(PrivateKeyJwtProfile());
    h.selected().privateKey = pem;
    h.selected().signingAlgorithm = *oauth::SigningAlgorithmFromText(algorithm);
    h.intent(Intent::GetToken);
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 1);
    const oauth::test::SentJws a = AssertionOf(h, 0);
    CHECK(oauth::test::VerifyJws(algorithm, pem, a.jws));
    CHECK_FALSE(oauth::test::VerifyJws(algorithm, oauth::test::GeneratePem(algorithm), a.jws));
    CHECK(a.header.at("alg") == algorithm);
    // Without a Key ID, the kid is the thumbprint the page shows for registration.
    CHECK(a.header.at("kid") == oauth::JwkThumbprint(*oauth::test::PublicJwkOf(pem)));
    CHECK(a.claims.at("iss") == "client-1");
    CHECK(a.claims.at("aud") == "https://id.example.com");
}

TEST_CASE("A private key that cannot sign sends nothing and says why", "[assertion][controller]") {
    Harness h(PrivateKeyJwtProfile());
    h.selected().privateKey = "not a key";
    h.selected().keyId = "k1"; // straight to signing
    h.intent(Intent::GetToken);
    h.platform.runCrypto();
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.attempt.busy == app::Busy::None);
    CHECK(h.selected().lastError ==
          "Nothing was sent to the token endpoint: the client assertion could not be "
          "signed. The private key does not fit RS256.");
}

TEST_CASE("The private key is stored only sealed under the lock, and never exported", "[assertion][lock]") {
    const std::string pem = oauth::test::GeneratePem("ES256");
    Harness h(PrivateKeyJwtProfile());
    h.selected().privateKey = pem;
    h.intent(Intent::Edited);
    h.idle();
    CHECK(h.stored().find("PRIVATE KEY") == std::string::npos); // kept for this tab only
    h.state.includeSecretsInExportAll = true;
    h.intent(Intent::ExportAll);
    REQUIRE(h.platform.downloads.size() == 1);
    CHECK(h.platform.downloads[0].text.find("PRIVATE KEY") == std::string::npos);

    h.state.passphraseInput = h.state.passphraseRepeat = "correct horse";
    h.intent(Intent::SetPassphrase);
    h.platform.runCrypto();
    REQUIRE(h.state.lockEnabled);
    CHECK(h.stored().find("PRIVATE KEY") == std::string::npos); // sealed, not in clear
    h.intent(Intent::LockNow);
    h.platform.runCrypto();
    CHECK(h.selected().privateKey.empty());
    h.state.passphraseInput = "correct horse";
    h.intent(Intent::Unlock);
    h.platform.runCrypto();
    CHECK(h.selected().privateKey == pem);
}

TEST_CASE("Generate Key makes a key pair and shows its public JWK and JWKS", "[assertion][controller]") {
    Harness h(PrivateKeyJwtProfile());
    h.selected().signingAlgorithm = oauth::SigningAlgorithm::ES256;
    h.intent(Intent::GenerateSigningKey);
    CHECK(h.state.signingKey.message == "Generating a key pair…");
    h.platform.runCrypto();
    REQUIRE_FALSE(h.selected().privateKey.empty());
    CHECK(h.state.status == "A new key pair was generated; its private key is kept for this tab only (set a "
                            "passphrase lock to store it). Register the public key below at the provider.");
    const json jwk = json::parse(h.state.signingKey.publicJwk);
    CHECK(jwk == oauth::RegistrationJwk(*oauth::test::PublicJwkOf(h.selected().privateKey), "ES256", ""));
    CHECK(json::parse(h.state.signingKey.jwks) == json{{"keys", {jwk}}});
    CHECK(jwk.find("d") == jwk.end());
    h.intent(Intent::Copy, app::kCopyJwks, h.state.signingKey.jwks);
    CHECK(h.state.status == "Copied the JWKS: register it for the client at the provider.");
}

TEST_CASE("Copy as cURL carries a freshly signed assertion and says it is single-use",
          "[assertion][export]") {
    Harness h(SecretJwtProfile());
    h.state.revealInExports = true;
    const std::string curl = oauth::test::CopyCurlSigned(h);
    CHECK(curl.rfind(
              "# client_assertion is a signed JWT (RFC 7523): single-use, and it expires 60 seconds after "
              "it was made. Copy the command again for a fresh one.\ncurl -X POST "
              "'https://id.example.com/token'",
              0) == 0);
    const std::size_t at = curl.find("client_assertion=");
    REQUIRE(at != std::string::npos);
    const std::string jws = curl.substr(at + 17, curl.find('\'', at) - at - 17);
    CHECK(oauth::test::VerifyJws("HS256", "s3cret", jws));
    CHECK(h.state.status ==
          "The token request was copied as a cURL command with a fresh client assertion, valid "
          "for 60 seconds and only once (with secrets).");
}

TEST_CASE("Revocation signs its own assertion through the shared builder", "[assertion][revocation]") {
    oauth::Profile p = SecretJwtProfile();
    p.revocationUrl = "https://id.example.com/revoke";
    p.state = oauth::ProfileState::Connected;
    p.lastToken = {{"access_token", "at-1"}, {"token_type", "Bearer"}};
    Harness h(p);
    h.intent(Intent::Revoke, -1, "access_token");
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(h.request(0).url == "https://id.example.com/revoke");
    CHECK(oauth::test::VerifyJws("HS256", "s3cret", AssertionOf(h, 0).jws));
    CHECK(AssertionOf(h, 0).claims.at("aud") == "https://id.example.com");
}

#endif

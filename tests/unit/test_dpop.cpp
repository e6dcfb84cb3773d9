// DPoP (RFC 9449): the proof's header and claims core makes, which requests plan one, the nonce
// answers, and the Controller proving each token request just before sending it and retrying a
// use_dpop_nonce answer once (FakePlatform signs for real with a P-256 key per profile).
#include "controller_harness.h"
#include "fake_signer.h"
#include "sent_jws.h"
#include "test_helpers.h"

#include "core/authenticated_request.h"
#include "core/authorization_request.h"
#include "core/client_assertion.h"
#include "core/dpop.h"
#include "core/jwt.h"
#include "core/profile.h"
#include "core/revocation.h"
#include "core/setup_check.h"
#include "core/token_request.h"
#include "core/userinfo.h"

#include <catch2/catch.hpp>

#include <string>

using app::Intent;
using json = nlohmann::json;
using oauth::test::Field;
using oauth::test::Harness;
using oauth::test::Header;
using oauth::test::T0;

namespace {

oauth::Profile DpopProfile() {
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.useDpop = true;
    return p;
}

// A P-256 public key (RFC 7515 appendix A.3's).
const json kEcJwk = {{"kty", "EC"},
                     {"crv", "P-256"},
                     {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                     {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
                     {"d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}};

} // namespace

TEST_CASE("A DPoP proof's header is typ dpop+jwt, alg ES256 and the public key alone", "[dpop]") {
    CHECK(oauth::DpopProofHeader(kEcJwk) ==
          json{{"typ", "dpop+jwt"},
               {"alg", "ES256"},
               {"jwk", {{"crv", "P-256"}, {"kty", "EC"}, {"x", kEcJwk["x"]}, {"y", kEcJwk["y"]}}}});
    CHECK(oauth::DpopPublicJwk(json{{"kty", "RSA"}, {"n", "x"}, {"e", "AQAB"}}).empty());
    CHECK(oauth::DpopPublicJwk(json{{"kty", "EC"}, {"crv", "P-384"}, {"x", "a"}, {"y", "b"}}).empty());
    CHECK(oauth::DpopPublicJwk(json{{"kty", "EC"}, {"crv", "P-256"}, {"x", "a"}}).empty());
    CHECK(oauth::DpopPublicJwk(json("not an object")).empty());
}

TEST_CASE("A DPoP proof's claims: jti, htm, htu without query or fragment, iat, ath and nonce", "[dpop]") {
    oauth::HttpRequest request;
    request.method = "POST";
    request.url = "https://id.example.com/token?tenant=a#frag";
    request.dpop = oauth::PendingDpop{};
    SECTION("at the token endpoint: no ath, no nonce until the server gave one") {
        CHECK(oauth::DpopProofClaims(request, T0 + 0.9, "jti-1", "") ==
              json{{"jti", "jti-1"}, {"htm", "POST"}, {"htu", "https://id.example.com/token"}, {"iat", T0}});
        CHECK(oauth::DpopProofClaims(request, T0, "jti-2", "n-1").at("nonce") == "n-1");
    }
    SECTION("at a protected resource: ath is the whole SHA-256 of the access token (RFC 9449 section 7.1)") {
        request.method = "GET";
        request.url = "https://resource.example.org/protectedresource";
        request.dpop->accessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
        const json claims = oauth::DpopProofClaims(request, T0, "jti-3", "");
        CHECK(claims.at("ath") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
        CHECK(claims.at("htm") == "GET");
        CHECK(claims.at("htu") == "https://resource.example.org/protectedresource");
    }
    CHECK(oauth::DpopTargetUri("https://a.example/p#x?y") == "https://a.example/p");
    CHECK(oauth::DpopServerOf("https://id.example.com:8443/token?x=1") == "https://id.example.com:8443");
}

TEST_CASE("The thumbprint of a DPoP key is RFC 7638's, and RFC 7638 section 3.1's example holds", "[dpop]") {
    CHECK(oauth::JwkThumbprint(oauth::test::Rfc7638ExampleKey()) == oauth::test::kRfc7638Thumbprint);
    // The EC members in the order section 3.2 fixes (crv, kty, x, y), whatever the JWK's order.
    CHECK(oauth::JwkThumbprint(oauth::DpopPublicJwk(kEcJwk)) == oauth::JwkThumbprint(kEcJwk));
    CHECK_FALSE(oauth::JwkThumbprint(kEcJwk).empty());
}

TEST_CASE("Only token endpoint requests plan a DPoP proof", "[dpop]") {
    const oauth::Profile p = oauth::test::WithToolEndpoints(DpopProfile());
    CHECK(oauth::BuildClientCredentialsTokenRequest(p).dpop.has_value());
    CHECK(oauth::BuildRefreshTokenRequest(p, "rt").dpop.has_value());
    CHECK(oauth::BuildPasswordTokenRequest(p).dpop.has_value());
    CHECK(oauth::BuildAuthorizationCodeTokenRequest(p, "c", "v").dpop.has_value());
    CHECK_FALSE(oauth::BuildRevocationRequest(p, "rt").dpop.has_value());
    oauth::Profile off = p;
    off.useDpop = false;
    CHECK_FALSE(oauth::BuildClientCredentialsTokenRequest(off).dpop.has_value());
}

TEST_CASE("UserInfo with a DPoP token sends it as DPoP with a proof bound to it (RFC 9449 section 7.1)",
          "[dpop]") {
    const oauth::HttpRequest dpop =
        oauth::BuildUserinfoRequest("https://id.example.com/me?x=1", "at-1", "DPoP");
    CHECK(Header(dpop, "Authorization") == "DPoP at-1");
    REQUIRE(dpop.dpop.has_value());
    const json claims = oauth::DpopProofClaims(dpop, T0, "j", "");
    CHECK(claims.at("htm") == "GET");
    CHECK(claims.at("htu") == "https://id.example.com/me");
    CHECK(claims.at("ath") == oauth::DpopAccessTokenHash("at-1"));
    const oauth::HttpRequest bearer =
        oauth::BuildUserinfoRequest("https://id.example.com/me", "at-1", "Bearer");
    CHECK(Header(bearer, "Authorization") == "Bearer at-1");
    CHECK_FALSE(bearer.dpop.has_value());
}

TEST_CASE("dpop_jkt goes on the authorization request when the key's thumbprint is known", "[dpop]") {
    std::uint8_t next = 0;
    const oauth::RandomSource random = [&next](std::uint8_t* out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = next++;
    };
    const oauth::Profile p = oauth::test::AuthorizationCodeProfile();
    const auto with = oauth::BuildAuthorizationRequest(p, random, "jkt-1");
    CHECK(Field(with.url.substr(with.url.find('?') + 1), "dpop_jkt") == "jkt-1");
    const auto without = oauth::BuildAuthorizationRequest(p, random);
    CHECK(Field(without.url.substr(without.url.find('?') + 1), "dpop_jkt") == "<missing>");
}

TEST_CASE("use_dpop_nonce answers: the token endpoint's 400 and a resource's 401", "[dpop]") {
    oauth::HttpResponse token{400,
                              {{"Content-Type", "application/json"}, {"DPoP-Nonce", " n-1 "}},
                              R"({"error":"use_dpop_nonce","error_description":"nonce is required"})"};
    auto answer = oauth::ReadDpopNonceAnswer(token);
    CHECK(answer.challenged);
    CHECK(answer.nonce == "n-1");
    oauth::HttpResponse resource{
        401,
        {{"WWW-Authenticate",
          R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof")"},
         {"dpop-nonce", "n-2"}},
        ""};
    answer = oauth::ReadDpopNonceAnswer(resource);
    CHECK(answer.challenged);
    CHECK(answer.nonce == "n-2");
    oauth::HttpResponse other{400, {{"DPoP-Nonce", "n-3"}}, R"({"error":"invalid_dpop_proof"})"};
    answer = oauth::ReadDpopNonceAnswer(other);
    CHECK_FALSE(answer.challenged);
    CHECK(answer.nonce == "n-3");
    oauth::HttpResponse hidden{400, {}, R"({"error":"use_dpop_nonce"})"};
    CHECK(oauth::ReadDpopNonceAnswer(hidden).challenged);
    CHECK(oauth::DescribeDpopNonceFailure(hidden, "https://id.example.com/token") ==
          "The server at https://id.example.com asks for a DPoP nonce (use_dpop_nonce), but this page cannot "
          "read the DPoP-Nonce header of its answer: the server must list DPoP-Nonce in "
          "Access-Control-Expose-Headers (RFC 9449 section 8), or the browser hides it from the page.");
}

TEST_CASE("Use DPoP is stored only when on, and read back", "[dpop][profile]") {
    oauth::Profile p = DpopProfile();
    const json written = oauth::ProfileToJson(p);
    CHECK(written.at("useDpop") == true);
    CHECK_FALSE(oauth::ProfileToJson(oauth::test::ClientCredentialsProfile()).contains("useDpop"));
    std::vector<oauth::DocumentProblem> problems;
    CHECK(oauth::ProfileFromJson(written, "p", problems).useDpop);
    CHECK(problems.empty());
    CHECK(oauth::ProfileFromJson(json{{"useDpop", "yes"}}, "p", problems).useDpop == false);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "expected a boolean, found string; the default was used.");
}

TEST_CASE("The setup check weighs DPoP on against the provider's DPoP algorithms", "[dpop][setup_check]") {
    oauth::DiscoveryMetadata m;
    m.issuer = "https://id.example.com";
    oauth::Profile p = DpopProfile();
    auto row = [&] {
        for (const auto& r : oauth::SetupCheck(p, &m, {}))
            if (r.rule == oauth::kRuleParDpopRequired)
                return r;
        FAIL("no par_dpop_required row");
        return oauth::SetupCheckRow{};
    };
    CHECK(row().verdict == oauth::Verdict::Warning);
    CHECK(row().sentence ==
          "DPoP is on, but the provider's metadata has no dpop_signing_alg_values_supported, "
          "so it may not support DPoP and may answer with tokens that are not bound to the key.");
    m.dpopSigningAlgValuesSupported = std::vector<std::string>{"RS256", "PS256"};
    CHECK(row().verdict == oauth::Verdict::Fail);
    CHECK(row().sentence == "DPoP is on, but the provider's dpop_signing_alg_values_supported does not list "
                            "ES256, the algorithm of this page's proofs, so they will be refused.");
    m.dpopSigningAlgValuesSupported = std::vector<std::string>{"ES256", "EdDSA"};
    CHECK(row().verdict == oauth::Verdict::Pass);
    CHECK(row().sentence ==
          "DPoP is on, and the provider accepts ES256 proofs (dpop_signing_alg_values_supported).");
}

#ifdef OAUTH_TEST_OPENSSL

namespace {

// The DPoP proof fetch `index` carried, with its decoded header and claims.
oauth::test::SentJws ProofOf(Harness& h, std::size_t index) {
    return oauth::test::DecodeSentJws(Header(h.request(index), "DPoP"));
}

const char* const kNonceError =
    R"({"error":"use_dpop_nonce","error_description":"nonce is required in the DPoP proof"})";

} // namespace

TEST_CASE("Each token request carries a fresh DPoP proof signed by the profile's own key",
          "[dpop][controller]") {
    Harness h(DpopProfile());
    oauth::test::GetTokenSignedAtT0(h);
    const std::string keyName = oauth::DpopKeyName(h.selected());
    const std::string& pem = h.platform.dpopKeys.at(keyName);
    const oauth::test::SentJws proof = ProofOf(h, 0);
    CHECK(oauth::test::VerifyJws("ES256", pem, proof.jws));
    CHECK_FALSE(oauth::test::VerifyJws("ES256", oauth::test::GeneratePem("ES256"), proof.jws));
    CHECK(proof.header == oauth::DpopProofHeader(*oauth::test::PublicJwkOf(pem)));
    CHECK(proof.claims.at("htm") == "POST");
    CHECK(proof.claims.at("htu") == "https://id.example.com/token");
    CHECK(proof.claims.at("iat") == T0);
    CHECK(proof.claims.at("jti").get<std::string>().size() == 32);
    CHECK_FALSE(proof.claims.contains("ath"));
    CHECK_FALSE(proof.claims.contains("nonce"));
    const std::string thumbprint = oauth::JwkThumbprint(*oauth::test::PublicJwkOf(pem));
    CHECK(h.state.dpopThumbprints.at(keyName) == thumbprint);

    SECTION("a DPoP token connects; a second request has a new jti") {
        REQUIRE(h.platform.respond(0, 200, R"({"access_token":"at-1","token_type":"DPoP","expires_in":60})"));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.state.status == "Connected: DPoP token was issued, valid for 60 s.");
        h.intent(Intent::GetToken);
        h.platform.runCrypto();
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK(ProofOf(h, 1).claims.at("jti") != proof.claims.at("jti"));
        CHECK(ProofOf(h, 1).header == proof.header); // the same key
        CHECK(h.platform.dpopKeys.size() == 1);
        CHECK(oauth::test::VerifyJws("ES256", pem, ProofOf(h, 1).jws));
    }
    SECTION("a Bearer answer connects, and is flagged") {
        REQUIRE(h.platform.respond(0, 200, oauth::test::kTokenBody));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(
            h.state.status ==
            "Connected: Bearer token was issued, valid for 3600 s. The request carried a DPoP proof, but the "
            "server answered token_type \"Bearer\": this token is not bound to the page's key, so whoever "
            "holds it can use it (RFC 9449 section 5). Turn on DPoP for this client at the provider.");
    }
}

TEST_CASE("use_dpop_nonce is retried once with the server's nonce, which is kept", "[dpop][controller]") {
    Harness h(DpopProfile());
    h.intent(Intent::GetToken);
    h.platform.runCrypto();
    REQUIRE(h.platform.respond(0, 400, kNonceError,
                               {{"Content-Type", "application/json"}, {"DPoP-Nonce", "n-1"}}));
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(ProofOf(h, 1).claims.at("nonce") == "n-1");
    CHECK(ProofOf(h, 1).claims.at("jti") != ProofOf(h, 0).claims.at("jti"));
    CHECK(Field(h.request(1).body, "grant_type") == "client_credentials");
    REQUIRE(h.state.log.entries.size() == 2); // both are in the log

    SECTION("the nonce goes on the next request to that server") {
        REQUIRE(h.platform.respond(1, 200, R"({"access_token":"at-1","token_type":"DPoP"})",
                                   {{"Content-Type", "application/json"}, {"DPoP-Nonce", "n-2"}}));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        h.intent(Intent::GetToken);
        h.platform.runCrypto();
        REQUIRE(h.platform.fetches.size() == 3);
        CHECK(ProofOf(h, 2).claims.at("nonce") == "n-2");
    }
    SECTION("not twice") {
        REQUIRE(h.platform.respond(1, 400, kNonceError,
                                   {{"Content-Type", "application/json"}, {"DPoP-Nonce", "n-2"}}));
        h.platform.runCrypto();
        CHECK(h.platform.fetches.size() == 2);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError.find(
                  "The server at https://id.example.com asked for a DPoP nonce again after the page had "
                  "retried "
                  "once with the nonce it gave; the page retries only once (RFC 9449 section 8).") !=
              std::string::npos);
    }
}

TEST_CASE("use_dpop_nonce without a readable DPoP-Nonce is not retried and says why", "[dpop][controller]") {
    Harness h(DpopProfile());
    h.intent(Intent::GetToken);
    h.platform.runCrypto();
    REQUIRE(h.platform.respond(0, 400, kNonceError));
    h.platform.runCrypto();
    CHECK(h.platform.fetches.size() == 1);
    CHECK(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.selected().lastError.find("but this page cannot read the DPoP-Nonce header of its answer") !=
          std::string::npos);
}

TEST_CASE("DPoP with a client assertion: the retry signs a new assertion too",
          "[dpop][assertion][controller]") {
    oauth::Profile p = DpopProfile();
    p.clientAuthentication = oauth::ClientAuthentication::SecretJwt;
    p.discoveryUrl = "https://id.example.com";
    Harness h(p);
    h.intent(Intent::GetToken);
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(oauth::test::VerifyJws("HS256", "s3cret", Field(h.request(0).body, "client_assertion")));
    REQUIRE(h.platform.respond(0, 400, kNonceError, {{"DPoP-Nonce", "n-1"}}));
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(Field(h.request(1).body, "client_assertion") != Field(h.request(0).body, "client_assertion"));
    CHECK(ProofOf(h, 1).claims.at("nonce") == "n-1");
}

TEST_CASE("With DPoP on, the key is made ahead and its thumbprint goes on the authorization request",
          "[dpop][controller]") {
    oauth::Profile p = oauth::test::AuthorizationCodeProfile();
    p.useDpop = true;
    Harness h(p);
    h.at(T0);
    h.platform.runCrypto();
    const std::string keyName = oauth::DpopKeyName(h.selected());
    const std::string thumbprint =
        oauth::JwkThumbprint(*oauth::test::PublicJwkOf(h.platform.dpopKeys.at(keyName)));
    CHECK(h.state.dpopThumbprints.at(keyName) == thumbprint);
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.popupsOpened.size() == 1);
    const std::string& url = h.platform.popupsOpened[0];
    CHECK(Field(url.substr(url.find('?') + 1), "dpop_jkt") == thumbprint);

    SECTION("deleting the profile forgets its key") {
        h.intent(Intent::Delete, 0);
        CHECK(h.platform.forgottenDpopKeys == std::vector<std::string>{keyName});
    }
}

TEST_CASE("Copy as cURL with DPoP carries a fresh proof and says it is single-use", "[dpop][export]") {
    Harness h(DpopProfile());
    const std::string curl = oauth::test::CopyCurlSigned(h);
    CHECK(curl.rfind(
              "# DPoP (RFC 9449): the DPoP header is a proof signed by this page's key for one request: "
              "single-use (its jti), and accepted only for a few minutes after its iat. Copy the command "
              "again for a fresh one.\ncurl -X POST 'https://id.example.com/token'",
              0) == 0);
    CHECK(curl.find("-H 'DPoP: ey") != std::string::npos);
    CHECK(h.state.status == "The token request was copied as a cURL command with a fresh DPoP proof, for one "
                            "request within a few "
                            "minutes (secrets masked).");
}

#endif

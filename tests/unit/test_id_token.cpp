// ID token validation (OpenID Connect Core 1.0 section 3.1.3.7): each claim rule, the algorithm
// policy, the key choice from a JWKS and the JWKS endpoint's answers.
#include "core/encoding.h"
#include "core/id_token.h"

#include "id_token_fixture.h"

#include <catch2/catch.hpp>

using namespace oauth;

namespace {

constexpr double kNow = 1'700'000'000;

// An unsigned-looking JWT with this header and payload (the claims are what is checked here).
DecodedJwt Jwt(const nlohmann::json& payload, const nlohmann::json& header = {{"alg", "RS256"}}) {
    return DecodeJwt(Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump()) + ".c2ln");
}

nlohmann::json GoodClaims() {
    return {{"iss", "https://id.example.com"},
            {"sub", "alice"},
            {"aud", "client-1"},
            {"iat", kNow - 5},
            {"exp", kNow + 3600},
            {"nonce", "n-123"},
            {"at_hash", AccessTokenHash("at-1")}};
}

IdTokenExpectations Expected() {
    return {"https://id.example.com", "client-1", "n-123", "at-1", kNow};
}

std::string Check(nlohmann::json payload, IdTokenExpectations expected = Expected()) {
    return CheckIdTokenClaims(Jwt(payload), expected);
}

nlohmann::json Without(nlohmann::json payload, const char* claim) {
    payload.erase(claim);
    return payload;
}

nlohmann::json With(nlohmann::json payload, const char* claim, nlohmann::json value) {
    payload[claim] = std::move(value);
    return payload;
}

} // namespace

TEST_CASE("An ID token whose claims hold passes", "[id_token]") {
    CHECK(Check(GoodClaims()) == "");
    SECTION("no nonce sent: none needed") {
        IdTokenExpectations e = Expected();
        e.nonce.clear();
        CHECK(Check(Without(GoodClaims(), "nonce"), e) == "");
    }
    SECTION("no issuer known: iss is not compared, but must be there") {
        IdTokenExpectations e = Expected();
        e.issuer.clear();
        CHECK(Check(With(GoodClaims(), "iss", "https://other.example"), e) == "");
        CHECK(Check(Without(GoodClaims(), "iss"), e) ==
              "The id_token names no issuer (iss), so it was rejected (OpenID Connect Core 1.0 section "
              "3.1.3.7).");
    }
    SECTION("an audience list with this client and azp = this client") {
        CHECK(Check(With(With(GoodClaims(), "aud", {"client-1", "api"}), "azp", "client-1")) == "");
    }
    SECTION("no at_hash: nothing to compare (it is optional in the code flow)") {
        CHECK(Check(Without(GoodClaims(), "at_hash")) == "");
    }
}

TEST_CASE("The nonce must be the one the authorization request sent (step 11)", "[id_token]") {
    const std::string differs =
        "The id_token's nonce does not match the one this page sent, so it was rejected: "
        "it belongs to another sign-in (OpenID Connect Core 1.0 section 3.1.3.7).";
    CHECK(Check(With(GoodClaims(), "nonce", "n-124")) == differs);
    CHECK(Check(With(GoodClaims(), "nonce", "n-12")) == differs);
    const std::string missing =
        "The id_token carries no nonce, although the authorization request sent one, so "
        "it was rejected: it may be replayed from another sign-in (OpenID Connect Core "
        "1.0 section 3.1.3.7).";
    CHECK(Check(Without(GoodClaims(), "nonce")) == missing);
    CHECK(Check(With(GoodClaims(), "nonce", 42)) == missing);
    CHECK(
        CheckIdTokenClaims(DecodeJwt("opaque"), Expected()) ==
        "The id_token is not a readable JWT, so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
}

TEST_CASE("iss must be exactly the profile's issuer (step 2)", "[id_token]") {
    CHECK(Check(With(GoodClaims(), "iss", "https://id.example.com/")) ==
          "The id_token was issued by \"https://id.example.com/\", not by the profile's issuer "
          "\"https://id.example.com\", so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
    CHECK(
        Check(With(GoodClaims(), "iss", 7)) ==
        "The id_token names no issuer (iss), so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
}

TEST_CASE("aud must contain the client, azp must be the client (steps 3 to 5)", "[id_token]") {
    CHECK(Check(With(GoodClaims(), "aud", "client-2")) ==
          "The id_token is meant for \"client-2\", not for this client \"client-1\", so it was rejected "
          "(OpenID Connect Core 1.0 section 3.1.3.7).");
    CHECK(Check(With(GoodClaims(), "aud", {"api", "web"})) ==
          "The id_token is meant for \"api\", \"web\", not for this client \"client-1\", so it was rejected "
          "(OpenID Connect Core 1.0 section 3.1.3.7).");
    const std::string noAudience =
        "The id_token names no audience (aud), so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).";
    CHECK(Check(Without(GoodClaims(), "aud")) == noAudience);
    CHECK(Check(With(GoodClaims(), "aud", nlohmann::json::array())) == noAudience);
    CHECK(Check(With(GoodClaims(), "aud", {"client-1", 5})) == noAudience);
    CHECK(Check(With(GoodClaims(), "aud", {"client-1", "api"})) ==
          "The id_token names several audiences (\"client-1\", \"api\") but no authorized party (azp), so it "
          "was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
    CHECK(Check(With(GoodClaims(), "azp", "client-2")) ==
          "The id_token's authorized party (azp) is \"client-2\", not this client \"client-1\", so it was "
          "rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
}

TEST_CASE("exp and iat are compared with 60 s of clock skew allowed (steps 9 and 10)", "[id_token]") {
    CHECK(kIdTokenLeewaySeconds == 60);
    CHECK(Check(With(GoodClaims(), "exp", kNow - 59)) == "");
    CHECK(Check(With(GoodClaims(), "exp", kNow - 60)) ==
          "The id_token expired at 2023-11-14 22:12:20 UTC (this computer's clock says 2023-11-14 22:13:20 "
          "UTC, "
          "60 s of clock skew allowed), so it was rejected (OpenID Connect Core 1.0 section 3.1.3.7).");
    CHECK(Check(Without(GoodClaims(), "exp")) == "The id_token has no expiry time (exp), so it was rejected "
                                                 "(OpenID Connect Core 1.0 section 3.1.3.7).");
    CHECK(Check(With(GoodClaims(), "exp", "tomorrow")) ==
          "The id_token has no expiry time (exp), so it was rejected (OpenID Connect Core 1.0 section "
          "3.1.3.7).");
    CHECK(Check(With(GoodClaims(), "iat", kNow + 60)) == "");
    CHECK(Check(With(GoodClaims(), "iat", kNow + 61)) ==
          "The id_token was issued at 2023-11-14 22:14:21 UTC, in the future (this computer's clock says "
          "2023-11-14 22:13:20 UTC, 60 s of clock skew allowed), so it was rejected (OpenID Connect Core 1.0 "
          "section 3.1.3.7). Check this computer's clock.");
    CHECK(Check(Without(GoodClaims(), "iat")) == "The id_token has no issue time (iat), so it was rejected "
                                                 "(OpenID Connect Core 1.0 section 3.1.3.7).");
}

TEST_CASE("at_hash, when present, must be the left half of SHA-256 of the access token", "[id_token]") {
    // OIDC Core 3.1.3.8; the value for "at-1" was computed with node's crypto.
    CHECK(AccessTokenHash("at-1") == "R8PYaIQdcYEdkSc9TeGyiQ");
    const std::string mismatch =
        "The id_token's at_hash does not match the access token that came with it, so "
        "it was rejected: the two were not issued together (OpenID Connect Core 1.0 "
        "section 3.1.3.8).";
    IdTokenExpectations other = Expected();
    other.accessToken = "at-2";
    CHECK(Check(GoodClaims(), other) == mismatch);
    CHECK(Check(With(GoodClaims(), "at_hash", 1)) == mismatch);
}

TEST_CASE("alg none, and HS256 for a public client, are refused; others are planned", "[id_token]") {
    const nlohmann::json claims = GoodClaims();
    auto plan = [&](nlohmann::json header, bool publicClient = false) {
        return PlanSignatureCheck(Jwt(claims, header), publicClient);
    };
    CHECK(
        plan({{"alg", "none"}}).refusal ==
        "The id_token is not signed (alg \"none\"), so it was rejected: anyone could have written it (OpenID "
        "Connect Core 1.0 section 3.1.3.7).");
    CHECK(
        plan({{"typ", "JWT"}}).refusal ==
        "The id_token's header names no signing algorithm (alg), so it was rejected (OpenID Connect Core 1.0 "
        "section 3.1.3.7).");
    CHECK(
        plan({{"alg", "HS256"}}, true).refusal ==
        "The id_token is signed with HS256, a MAC keyed with the client secret, but this profile is a public "
        "client without one, so it was rejected: anyone who knows the Client ID could have made it (OpenID "
        "Connect Core 1.0 section 10.1).");
    const SignaturePlan hs = plan({{"alg", "HS256"}});
    CHECK(hs.refusal == "");
    CHECK(hs.usesClientSecret);
    for (const char* alg : {"RS256", "PS256", "ES256"}) {
        const SignaturePlan p = plan({{"alg", alg}, {"kid", "k1"}}, true);
        CHECK(p.alg == alg);
        CHECK(p.kid == "k1");
        CHECK(p.refusal == "");
        CHECK(p.unsupported == "");
        CHECK_FALSE(p.usesClientSecret);
    }
    CHECK(plan({{"alg", "EdDSA"}}).unsupported ==
          "this page checks RS256, PS256, ES256 and HS256 signatures, and this id_token uses EdDSA.");
    CHECK(ClientSecretJwk("s3cret") == R"({"alg":"HS256","k":"czNjcmV0","kty":"oct"})");
}

TEST_CASE("The key is chosen by kid, or as the only signing key of its type", "[id_token]") {
    Jwks jwks;
    jwks.keys = nlohmann::json::parse(test::FixedJwks())["keys"];
    SignaturePlan plan;
    plan.alg = "RS256";
    plan.kid = test::kFixedRsaKid;
    std::string problem;
    auto key = SelectJwk(jwks, plan, &problem);
    REQUIRE(key);
    CHECK(*key ==
          nlohmann::json{{"kty", "RSA"}, {"n", test::kFixedRsaModulus}, {"e", "AQAB"}, {"alg", "RS256"}});

    SECTION("without a kid, the only RSA key") {
        plan.kid.clear();
        CHECK(SelectJwk(jwks, plan, &problem) == key);
    }
    SECTION("a kid the JWKS lacks: a key rotation, named") {
        plan.kid = "old-key";
        CHECK_FALSE(SelectJwk(jwks, plan, &problem));
        CHECK(problem ==
              "the provider's JWKS has no key with kid \"old-key\" (it lists \"ec-1\", \"fixed-rsa-1\"): "
              "it may have rotated its keys since the token was signed.");
    }
    SECTION("the kid of a key of another type") {
        plan.kid = "ec-1";
        CHECK_FALSE(SelectJwk(jwks, plan, &problem));
        CHECK(problem == "the provider's key \"ec-1\" is not a RSA signing key for RS256.");
    }
    SECTION("ES256 without a kid: the EC key, its public members only") {
        plan.alg = "ES256";
        plan.kid.clear();
        CHECK(SelectJwk(jwks, plan, &problem) ==
              nlohmann::json{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}});
    }
    SECTION("PS256 is not RS256's key when the key says alg RS256") {
        plan.alg = "PS256";
        plan.kid.clear();
        CHECK_FALSE(SelectJwk(jwks, plan, &problem));
        CHECK(problem == "the provider's JWKS has no RSA signing key for PS256.");
    }
    SECTION("two RSA keys and no kid") {
        jwks.keys.push_back({{"kty", "RSA"}, {"kid", "second"}, {"n", "AQ"}, {"e", "AQAB"}});
        plan.kid.clear();
        CHECK_FALSE(SelectJwk(jwks, plan, &problem));
        CHECK(
            problem ==
            "the provider's JWKS has several RSA signing keys and the id_token names no kid to choose one.");
    }
}

TEST_CASE("The JWKS endpoint's answers go through the one answer handler", "[id_token]") {
    const FetchContext context = ContextFor("https://id.example.com/jwks", kJwksEndpoint);
    HttpResponse ok{200, {{"Content-Type", "application/jwk-set+json"}}, test::FixedJwks()};
    CHECK(ProcessJwksResponse(ArrivedAnswer(ok), context).keys.size() == 2);
    HttpResponse noKeys{200, {{"Content-Type", "application/json"}}, R"({"issuer":"x"})"};
    const Jwks missing = ProcessJwksResponse(ArrivedAnswer(noKeys), context);
    REQUIRE(missing.error);
    CHECK(missing.error->message ==
          "The JWKS endpoint answered without a \"keys\" list (RFC 7517 section 5), so "
          "the id_token's signature could not be checked.");
    HttpResponse notFound{404, {{"Content-Type", "text/html"}}, "<html>Not Found</html>"};
    const Jwks html = ProcessJwksResponse(ArrivedAnswer(notFound), context);
    REQUIRE(html.error);
    CHECK(html.error->endpoint.name == "JWKS endpoint");
    FetchResult cors;
    cors.failure = FetchFailure::Cors;
    const Jwks refused = ProcessJwksResponse(cors, context);
    REQUIRE(refused.error);
    CHECK(refused.error->code == "cors");
    CHECK(BuildJwksRequest("https://id.example.com/jwks").method == "GET");
}

TEST_CASE("The signing input and signature are the JWS's parts", "[id_token]") {
    CHECK(SigningInput("aa.bb.cc") == "aa.bb");
    CHECK(SignaturePart("aa.bb.cc") == "cc");
    CHECK(SignatureVerifiedText("k1", false) == "Signature verified with key k1.");
    CHECK(SignatureVerifiedText("", true) == "Signature verified with the client secret (HS256).");
}

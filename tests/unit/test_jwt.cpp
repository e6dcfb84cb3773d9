#include "core/jwt.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;

namespace {
// {"alg":"RS256","typ":"JWT","kid":"k1"} .
// {"sub":"alice","exp":1795953600,"iat":1795950000,"nbf":1795949990,"aud":"api"}
constexpr const char* kToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
                               "eyJzdWIiOiJhbGljZSIsImV4cCI6MTc5NTk1MzYwMCwiaWF0IjoxNzk1OTUwMDAwLCJuYmYiOjE3O"
                               "TU5NDk5OTAsImF1ZCI6ImFwaSJ9."
                               "c2lnbmF0dXJl";
} // namespace

TEST_CASE("A JWT's header and payload are decoded and marked unverified", "[jwt]") {
    const DecodedJwt jwt = DecodeJwt(kToken);
    REQUIRE(jwt.isJwt);
    CHECK(jwt.header == nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "k1"}});
    CHECK(jwt.payload.at("sub") == "alice");
    CHECK(jwt.payload.at("aud") == "api");
    CHECK(jwt.note == "Signature not verified: shown for reading only.");
    CHECK(test::Lines(jwt.dates) == test::Lines_t{"exp: 2026-11-29 12:00:00 UTC",
                                                  "iat: 2026-11-29 11:00:00 UTC",
                                                  "nbf: 2026-11-29 10:59:50 UTC"});
}

TEST_CASE("Tokens that are not JWTs are opaque", "[jwt]") {
    for (const char* token : {"2YotnFZFEjr1zCsicMWpAA", "", "a.b.c", "e30.W10.", "e30.e30.x.y"}) {
        const DecodedJwt jwt = DecodeJwt(token);
        CHECK_FALSE(jwt.isJwt);
        CHECK(jwt.note == "Opaque token: not a JWT, nothing to decode.");
        CHECK(jwt.dates.empty());
    }
    SECTION("an unsigned JWT with an empty signature still decodes") {
        CHECK(DecodeJwt("e30.e30.").isJwt);
    }
    SECTION("five parts is an encrypted JWT") {
        CHECK(DecodeJwt("e30.a.b.c.d").note == "Encrypted JWT (JWE): its content cannot be shown.");
    }
}

TEST_CASE("Dates without a usable number are left out", "[jwt]") {
    // {"alg":"none"} . {"exp":"soon","iat":1e300,"nbf":0.5}
    const DecodedJwt jwt = DecodeJwt("eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIiwiaWF0IjoxZTMwMCwibmJmIjowLjV9.");
    REQUIRE(jwt.isJwt);
    REQUIRE(jwt.dates.size() == 1);
    CHECK(jwt.dates[0].label == "nbf");
    CHECK(jwt.dates[0].value == "1970-01-01 00:00:00 UTC");
}

TEST_CASE("Unix times are formatted as UTC dates", "[jwt]") {
    CHECK(FormatUtc(0) == "1970-01-01 00:00:00 UTC");
    CHECK(FormatUtc(951868799) == "2000-02-29 23:59:59 UTC");
    CHECK(FormatUtc(-1) == "1969-12-31 23:59:59 UTC");
    CHECK(FormatUtc(253402300799) == "9999-12-31 23:59:59 UTC");
    CHECK(FormatUtc(253402300800) == "253402300800");
}

#include "core/pkce.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace oauth;

TEST_CASE("PKCE S256 reproduces RFC 7636 appendix B", "[pkce]") {
    const std::vector<std::uint8_t> appendixBytes = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                                     125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                                     191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
    const RandomSource appendixRandom = [&](std::uint8_t* out, std::size_t size) {
        REQUIRE(size == appendixBytes.size());
        std::copy(appendixBytes.begin(), appendixBytes.end(), out);
    };
    SECTION("the verifier is the base64url of the 32 octets") {
        CHECK(MakeCodeVerifier(appendixRandom) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    }
    SECTION("the challenge is base64url(sha256(verifier))") {
        CHECK(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}

TEST_CASE("State carries 128 random bits and the verifier 256", "[pkce]") {
    const RandomSource random = test::CountingRandom();
    const std::string state = MakeState(random);
    const std::string verifier = MakeCodeVerifier(random);
    CHECK(state == "AAECAwQFBgcICQoLDA0ODw");
    CHECK(state.size() == 22);
    CHECK(verifier == "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8");
    CHECK(verifier.size() == 43); // RFC 7636 section 4.1: 43 to 128 characters
}

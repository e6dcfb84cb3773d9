#pragma once
// A compact JWS a request carried (a client_assertion, a DPoP proof), decoded for assertions on its
// header and claims (RFC 7515 section 7.1), and the first Get Access Token of a profile whose token
// request is signed just before it is sent.
#include "controller_harness.h"

#include "core/jwt.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace oauth::test {

struct SentJws {
    std::string jws;
    nlohmann::json header;
    nlohmann::json claims;
};

inline SentJws DecodeSentJws(const std::string& jws) {
    SentJws sent;
    sent.jws = jws;
    const DecodedJwt decoded = DecodeJwt(jws);
    REQUIRE(decoded.isJwt);
    sent.header = decoded.header;
    sent.claims = decoded.payload;
    return sent;
}

// Get Access Token half a second after T0 (so iat reads T0): nothing goes out until the page's
// crypto has run (signing is asynchronous, WebCrypto), then exactly one token request.
inline void GetTokenSignedAtT0(Harness& h) {
    h.platform.clock = T0 + 0.5;
    h.intent(app::Intent::GetToken);
    CHECK(h.platform.fetches.empty());
    h.platform.runCrypto();
    REQUIRE(h.platform.fetches.size() == 1);
}

// Copy as cURL of such a profile: nothing is copied until the crypto has run, then one command.
inline std::string CopyCurlSigned(Harness& h) {
    h.intent(app::Intent::CopyCurl);
    CHECK(h.platform.clipboard.empty());
    h.platform.runCrypto();
    REQUIRE(h.platform.clipboard.size() == 1);
    return h.platform.clipboard[0];
}

} // namespace oauth::test

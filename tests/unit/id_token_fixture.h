#pragma once
// A fixed RSA key pair (1024 bits, made once with node's crypto; only the public half is kept) and
// one ID token it signed with RS256: FakePlatform::verifySignature knows this signature, so a test
// that changes one byte of the token, or offers another key, sees the check fail as WebCrypto's
// would. Payload: {"iss":"https://id.example.com","sub":"alice","aud":"client-1",
// "iat":1700000000,"exp":1700003600,"at_hash":"R8PYaIQdcYEdkSc9TeGyiQ"} (at_hash of "at-1").
namespace oauth::test {

inline constexpr const char* kFixedRsaKid = "fixed-rsa-1";
inline constexpr const char* kFixedRsaModulus =
    "uGVueUmTj9TQkseBOxsK1yJw-VUbkXryrPV3WnwVkanREBTMIgyXEr3nE4M5NbGq7CPfbUgASS1iGbJAph-6-mjJgH14EM9CZezM_"
    "4XM3V2wfrdYcuj2HNPuZ0ZAPaqHDE6OqEQwPr9z3gcdOVroj15C4xNGx3GLLSnTvxpEbHU";
inline constexpr const char* kFixedRsaIdToken =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLXJzYS0xIiwidHlwIjoiSldUIn0."
    "eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tIiwic3ViIjoiYWxpY2UiLCJhdWQiOiJjbGllbnQtMSIsImlhdCI6MTcwMDAwMDAw"
    "MCwi"
    "ZXhwIjoxNzAwMDAzNjAwLCJhdF9oYXNoIjoiUjhQWWFJUWRjWUVka1NjOVRlR3lpUSJ9."
    "ZwH3aeFR1DREaoThZqSu9Ro1AhDOkQqzlr0i8zMJNDr2PF1PpaR4xstofVjyzLiy0JUYLEzy_ms197-"
    "Gyojxm7Xe4kj8xtKrUyebOSYf14UVx9oYzphbdToXkO3OTmW_LMW3vi9EftHOoGmIIBP9OpVrZqEWa1t3QvYo-5TOx0o";

// The provider's JWKS with the fixed key (and an EC key that must not be picked for RS256).
inline std::string FixedJwks() {
    return std::string(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"ec-1","x":"AA","y":"AA","use":"sig"},)") +
           R"({"kty":"RSA","kid":")" + kFixedRsaKid + R"(","use":"sig","alg":"RS256","e":"AQAB","n":")" +
           kFixedRsaModulus + R"("}]})";
}

} // namespace oauth::test

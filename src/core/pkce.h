#pragma once
// Proof Key for Code Exchange (RFC 7636) and the random values a request needs.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace oauth {

// Fills the buffer with bytes from a CSPRNG. The platform supplies it (crypto.getRandomValues in
// the browser); tests pass a deterministic one. The core never picks a random source itself.
using RandomSource = std::function<void(std::uint8_t*, std::size_t)>;

// RFC 7636 section 4.1: 32 random octets, base64url-encoded into a 43-character verifier
// (256 bits, the size the RFC recommends).
std::string MakeCodeVerifier(const RandomSource& random);

// RFC 7636 section 4.2: code_challenge = BASE64URL(SHA256(ASCII(code_verifier))).
std::string CodeChallengeS256(std::string_view codeVerifier);

// RFC 6749 section 10.12: an unguessable state value; 16 random octets (128 bits), base64url.
std::string MakeState(const RandomSource& random);

} // namespace oauth

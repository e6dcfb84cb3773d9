#pragma once
// SHA-256 (FIPS 180-4), needed for PKCE S256 (RFC 7636 section 4.2). Implemented here because the
// wasm build has no OpenSSL, and the browser's SubtleCrypto is asynchronous.
#include <array>
#include <cstdint>
#include <string_view>

namespace oauth {

using Sha256Digest = std::array<std::uint8_t, 32>;

// FIPS 180-4 section 6.2: the digest of any byte string.
Sha256Digest Sha256(std::string_view bytes);

} // namespace oauth

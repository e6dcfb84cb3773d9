#include "core/pkce.h"

#include "core/encoding.h"
#include "core/sha256.h"

#include <vector>

namespace oauth {
namespace {

constexpr std::size_t kVerifierBytes = 32;
constexpr std::size_t kStateBytes = 16;

std::string RandomBase64Url(const RandomSource& random, std::size_t count) {
    std::vector<std::uint8_t> bytes(count, 0);
    if (random)
        random(bytes.data(), bytes.size());
    return Base64UrlEncode(AsBytes(bytes.data(), bytes.size()));
}

} // namespace

std::string MakeCodeVerifier(const RandomSource& random) {
    return RandomBase64Url(random, kVerifierBytes);
}

std::string CodeChallengeS256(std::string_view codeVerifier) {
    const Sha256Digest digest = Sha256(codeVerifier);
    return Base64UrlEncode(AsBytes(digest.data(), digest.size()));
}

std::string MakeState(const RandomSource& random) {
    return RandomBase64Url(random, kStateBytes);
}

} // namespace oauth

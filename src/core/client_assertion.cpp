#include "core/client_assertion.h"

#include "core/discovery.h"
#include "core/encoding.h"
#include "core/sha256.h"

#include <cmath>

namespace oauth {

using json = nlohmann::json;

bool UsesClientAssertion(const Profile& profile) {
    return profile.clientAuthentication == ClientAuthentication::SecretJwt ||
           profile.clientAuthentication == ClientAuthentication::PrivateKeyJwt;
}

bool IsPublicClient(const Profile& profile) {
    return profile.clientAuthentication == ClientAuthentication::PrivateKeyJwt ? profile.privateKey.empty()
                                                                               : profile.clientSecret.empty();
}

std::string AssertionAlgorithm(const Profile& profile) {
    return profile.clientAuthentication == ClientAuthentication::SecretJwt
               ? "HS256"
               : std::string(ToText(profile.signingAlgorithm));
}

const std::string& AssertionKey(const Profile& profile) {
    return profile.clientAuthentication == ClientAuthentication::SecretJwt ? profile.clientSecret
                                                                           : profile.privateKey;
}

std::string AssertionIssuer(const Profile& profile) {
    if (!profile.issuer.empty())
        return profile.issuer;
    return ExpectedIssuer(profile.discoveryUrl);
}

std::string AssertionAudienceOf(const Profile& profile) {
    return profile.assertionAudience == AssertionAudience::TokenEndpoint ? profile.accessTokenUrl
                                                                         : AssertionIssuer(profile);
}

PendingAssertion PlanClientAssertion(const Profile& profile) {
    // An HS256 key has no thumbprint to name it: kid only when typed.
    return {AssertionAlgorithm(profile), profile.clientId, AssertionAudienceOf(profile), profile.keyId};
}

json AssertionHeader(const PendingAssertion& plan) {
    json header = {{"alg", plan.algorithm}, {"typ", "JWT"}};
    if (!plan.keyId.empty())
        header["kid"] = plan.keyId;
    return header;
}

json AssertionClaims(const PendingAssertion& plan, double now, std::string_view jti) {
    const auto issuedAt = static_cast<std::int64_t>(std::floor(now));
    return {{"iss", plan.clientId},    {"sub", plan.clientId}, {"aud", plan.audience},
            {"jti", std::string(jti)}, {"iat", issuedAt},      {"exp", issuedAt + kAssertionLifetimeSeconds}};
}

std::string JwsSigningInput(const json& header, const json& claims) {
    return Base64UrlEncode(DumpJson(header)) + "." + Base64UrlEncode(DumpJson(claims));
}

std::string MakeJwtId(const std::function<void(std::uint8_t*, std::size_t)>& random) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint8_t bytes[16];
    random(bytes, sizeof bytes);
    std::string id;
    for (std::uint8_t b : bytes) {
        id += kHex[b >> 4];
        id += kHex[b & 15];
    }
    return id;
}

HttpRequest WithClientAssertion(const HttpRequest& request, std::string_view assertion) {
    HttpRequest sent = request;
    sent.assertion.reset();
    sent.body += (sent.body.empty() ? "client_assertion=" : "&client_assertion=") + FormUrlEncode(assertion);
    return sent;
}

std::string JwkThumbprint(const json& publicJwk) {
    // RFC 7638 section 3.2: only the required members, in lexicographic order, no whitespace.
    auto member = [&publicJwk](const char* name) {
        auto it = publicJwk.find(name);
        return it != publicJwk.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string kty = member("kty");
    std::string canonical;
    if (kty == "RSA" && !member("e").empty() && !member("n").empty())
        canonical = DumpJson(json{{"e", member("e")}, {"kty", kty}, {"n", member("n")}});
    else if (kty == "EC" && !member("crv").empty() && !member("x").empty() && !member("y").empty())
        canonical =
            DumpJson(json{{"crv", member("crv")}, {"kty", kty}, {"x", member("x")}, {"y", member("y")}});
    else
        return {};
    const Sha256Digest digest = Sha256(canonical);
    return Base64UrlEncode(AsBytes(digest.data(), digest.size()));
}

json RegistrationJwk(const json& publicJwk, std::string_view algorithm, std::string_view keyId) {
    json jwk = json::object();
    for (const char* name : {"kty", "crv", "x", "y", "n", "e"})
        if (auto it = publicJwk.find(name); it != publicJwk.end() && it->is_string())
            jwk[name] = *it;
    jwk["use"] = "sig";
    jwk["alg"] = std::string(algorithm);
    jwk["kid"] = keyId.empty() ? JwkThumbprint(publicJwk) : std::string(keyId);
    return jwk;
}

std::string CurlAssertionNote() {
    return "# client_assertion is a signed JWT (RFC 7523): single-use, and it expires " +
           std::to_string(kAssertionLifetimeSeconds) +
           " seconds after it was made. Copy the command again for a fresh one.";
}

std::string DescribeAssertionRefusal(const Profile& profile) {
    const std::string key =
        profile.clientAuthentication == ClientAuthentication::SecretJwt
            ? "the Client Secret is the one registered"
            : "the public key registered for the client is the one shown under Private key";
    return "The request carried a signed client assertion (" + AssertionAlgorithm(profile) + ", aud \"" +
           AssertionAudienceOf(profile) + "\"). Check that " + key + ", that the client is registered for " +
           std::string(ToText(profile.clientAuthentication)) +
           " with this algorithm, and that the server accepts this audience. An assertion is single-use and "
           "expires " +
           std::to_string(kAssertionLifetimeSeconds) +
           " seconds after it is made (RFC 7523 section 3): the page signs a fresh one for every request, "
           "but a copied one cannot be replayed.";
}

} // namespace oauth

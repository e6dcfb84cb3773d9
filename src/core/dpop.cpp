#include "core/dpop.h"

#include "core/encoding.h"
#include "core/json_depth.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/url.h"

#include <cmath>

namespace oauth {

using json = nlohmann::json;

bool SendsDpopProof(const Profile& profile, std::string_view url) {
    return profile.useDpop && !url.empty() && url == profile.accessTokenUrl;
}

std::string DpopKeyName(const Profile& profile) {
    return profile.id.empty() ? "name:" + profile.tokenName : profile.id;
}

std::string DpopTargetUri(std::string_view url) {
    return std::string(url.substr(0, url.find_first_of("?#")));
}

std::string DpopServerOf(std::string_view url) {
    const std::optional<Url> parsed = ParseUrl(url);
    if (!parsed)
        return DpopTargetUri(url);
    return parsed->scheme + "://" + parsed->host + (parsed->port.empty() ? "" : ":" + parsed->port);
}

std::string DpopAccessTokenHash(std::string_view accessToken) {
    const Sha256Digest digest = Sha256(accessToken);
    return Base64UrlEncode(AsBytes(digest.data(), digest.size()));
}

json DpopPublicJwk(const json& jwk) {
    json key = json::object();
    if (!jwk.is_object() || jwk.value("kty", "") != "EC" || jwk.value("crv", "") != "P-256")
        return key;
    for (const char* name : {"crv", "kty", "x", "y"}) {
        auto it = jwk.find(name);
        if (it == jwk.end() || !it->is_string() || it->get<std::string>().empty())
            return json::object();
        key[name] = *it;
    }
    return key; // never "d": a proof's header is public (RFC 9449 section 4.2)
}

json DpopProofHeader(const json& publicJwk) {
    return {{"typ", kDpopProofType}, {"alg", kDpopAlgorithm}, {"jwk", DpopPublicJwk(publicJwk)}};
}

json DpopProofClaims(const HttpRequest& request, double now, std::string_view jti, std::string_view nonce) {
    json claims = {{"jti", std::string(jti)},
                   {"htm", request.method},
                   {"htu", DpopTargetUri(request.url)},
                   {"iat", static_cast<std::int64_t>(std::floor(now))}};
    // ath binds a proof for a protected resource to its access token (section 4.2); token requests
    // carry none.
    if (request.dpop && !request.dpop->accessToken.empty())
        claims["ath"] = DpopAccessTokenHash(request.dpop->accessToken);
    if (!nonce.empty())
        claims["nonce"] = std::string(nonce);
    return claims;
}

HttpRequest WithDpopProof(const HttpRequest& request, std::string_view proof) {
    HttpRequest sent = request;
    sent.dpop.reset();
    for (auto it = sent.headers.begin(); it != sent.headers.end();)
        it = text::LowerAscii(it->first) == "dpop" ? sent.headers.erase(it) : it + 1;
    sent.headers.emplace_back(kDpopHeader, std::string(proof));
    return sent;
}

namespace {

// Section 9: WWW-Authenticate: DPoP error="use_dpop_nonce", ... (the scheme is case-insensitive).
bool ChallengesForNonce(const HttpResponse& response) {
    const std::optional<std::string> challenge = FindHeader(response.headers, "WWW-Authenticate");
    if (!challenge)
        return false;
    const std::string lower = text::LowerAscii(*challenge);
    return lower.rfind("dpop", 0) == 0 && lower.find("error=\"use_dpop_nonce\"") != std::string::npos;
}

} // namespace

DpopNonceAnswer ReadDpopNonceAnswer(const HttpResponse& response) {
    DpopNonceAnswer answer;
    answer.nonce = std::string(text::Trim(FindHeader(response.headers, kDpopNonceHeader).value_or("")));
    if (response.status == 401) {
        answer.challenged = ChallengesForNonce(response);
    } else if (response.status == 400) {
        // Section 8: the token endpoint's error response (RFC 6749 section 5.2).
        const json body = ParseUntrustedJson(response.body);
        answer.challenged = body.is_object() && body.value("error", json()) == kUseDpopNonce;
    }
    return answer;
}

std::string DescribeDpopNonceFailure(const HttpResponse& response, std::string_view url) {
    if (!ReadDpopNonceAnswer(response).nonce.empty())
        return "The server at " + DpopServerOf(url) +
               " asked for a DPoP nonce again after the page had retried once with the nonce it gave; the "
               "page retries only once (RFC 9449 section 8).";
    return "The server at " + DpopServerOf(url) +
           " asks for a DPoP nonce (use_dpop_nonce), but this page cannot read the DPoP-Nonce header of "
           "its answer: the server must list DPoP-Nonce in Access-Control-Expose-Headers (RFC 9449 "
           "section 8), or the browser hides it from the page.";
}

std::string DescribeUnboundTokenType(std::string_view tokenType) {
    if (text::LowerAscii(tokenType) == "dpop")
        return {};
    return "The request carried a DPoP proof, but the server answered token_type \"" +
           std::string(tokenType) +
           "\": this token is not bound to the page's key, so whoever holds it can use it (RFC 9449 section "
           "5). Turn on DPoP for this client at the provider.";
}

std::string CurlDpopNote() {
    return "# DPoP (RFC 9449): the DPoP header is a proof signed by this page's key for one request: "
           "single-use (its jti), and accepted only for a few minutes after its iat. Copy the command "
           "again for a fresh one.";
}

} // namespace oauth

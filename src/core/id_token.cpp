#include "core/id_token.h"

#include "core/encoding.h"
#include "core/sha256.h"

#include <cmath>
#include <vector>

namespace oauth {
namespace {

constexpr std::string_view kSection = " (OpenID Connect Core 1.0 section 3.1.3.7).";

std::string Quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::string Rejected(std::string_view what) {
    return std::string(what) + ", so it was rejected" + std::string(kSection);
}

std::string NonceProblem(const nlohmann::json& payload, const std::string& nonce) {
    if (nonce.empty())
        return {};
    const auto it = payload.find("nonce");
    if (it == payload.end() || !it->is_string())
        return "The id_token carries no nonce, although the authorization request sent one, so it was "
               "rejected: it may be replayed from another sign-in" +
               std::string(kSection);
    if (it->get<std::string>() != nonce)
        return "The id_token's nonce does not match the one this page sent, so it was rejected: it belongs "
               "to another sign-in" +
               std::string(kSection);
    return {};
}

std::string IssuerProblem(const nlohmann::json& payload, const std::string& issuer) {
    const auto it = payload.find("iss");
    if (it == payload.end() || !it->is_string())
        return Rejected("The id_token names no issuer (iss)");
    if (!issuer.empty() && it->get<std::string>() != issuer)
        return Rejected("The id_token was issued by " + Quoted(it->get<std::string>()) +
                        ", not by the profile's issuer " + Quoted(issuer));
    return {};
}

// aud is one string or an array of strings (RFC 7519 section 4.1.3); nullopt when it is neither.
std::optional<std::vector<std::string>> Audiences(const nlohmann::json& payload) {
    const auto it = payload.find("aud");
    if (it == payload.end())
        return std::nullopt;
    if (it->is_string())
        return std::vector<std::string>{it->get<std::string>()};
    if (!it->is_array() || it->empty())
        return std::nullopt;
    std::vector<std::string> list;
    for (const auto& a : *it) {
        if (!a.is_string())
            return std::nullopt;
        list.push_back(a.get<std::string>());
    }
    return list;
}

std::string Joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + Quoted(item);
    return text;
}

std::string AudienceProblem(const nlohmann::json& payload, const std::string& clientId) {
    const auto audiences = Audiences(payload);
    if (!audiences)
        return Rejected("The id_token names no audience (aud)");
    bool forUs = false;
    for (const std::string& a : *audiences)
        forUs = forUs || a == clientId;
    if (!forUs)
        return Rejected("The id_token is meant for " + Joined(*audiences) + ", not for this client " +
                        Quoted(clientId));
    const auto azp = payload.find("azp");
    if (azp == payload.end()) {
        if (audiences->size() > 1)
            return Rejected("The id_token names several audiences (" + Joined(*audiences) +
                            ") but no authorized party (azp)");
        return {};
    }
    if (!azp->is_string() || azp->get<std::string>() != clientId)
        return Rejected("The id_token's authorized party (azp) is " +
                        (azp->is_string() ? Quoted(azp->get<std::string>()) : azp->dump()) +
                        ", not this client " + Quoted(clientId));
    return {};
}

std::optional<double> NumericDate(const nlohmann::json& payload, const char* claim) {
    const auto it = payload.find(claim);
    if (it == payload.end() || !it->is_number() || !std::isfinite(it->get<double>()))
        return std::nullopt;
    return it->get<double>();
}

std::string Utc(double seconds) {
    return FormatUtc(static_cast<std::int64_t>(std::floor(seconds)));
}

std::string ClockNote(double now) {
    return " (this computer's clock says " + Utc(now) + ", " + std::to_string(kIdTokenLeewaySeconds) +
           " s of clock skew allowed)";
}

std::string TimeProblem(const nlohmann::json& payload, double now) {
    const auto exp = NumericDate(payload, "exp");
    if (!exp)
        return Rejected("The id_token has no expiry time (exp)");
    if (now >= *exp + double(kIdTokenLeewaySeconds))
        return Rejected("The id_token expired at " + Utc(*exp) + ClockNote(now));
    const auto iat = NumericDate(payload, "iat");
    if (!iat)
        return Rejected("The id_token has no issue time (iat)");
    if (*iat > now + double(kIdTokenLeewaySeconds))
        return Rejected("The id_token was issued at " + Utc(*iat) + ", in the future" + ClockNote(now)) +
               " Check this computer's clock.";
    return {};
}

std::string AtHashProblem(const nlohmann::json& payload, const std::string& accessToken) {
    const auto it = payload.find("at_hash");
    if (it == payload.end() || accessToken.empty())
        return {};
    if (!it->is_string() || it->get<std::string>() != AccessTokenHash(accessToken))
        return "The id_token's at_hash does not match the access token that came with it, so it was "
               "rejected: the two were not issued together (OpenID Connect Core 1.0 section 3.1.3.8).";
    return {};
}

std::string StringMember(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 7518 section 6: the key type (and curve) each supported algorithm needs.
std::string KeyTypeFor(std::string_view alg) {
    return alg == "ES256" ? "EC" : "RSA";
}

// The members WebCrypto needs to import the public key, nothing private (RFC 7518 section 6).
nlohmann::json PublicMembers(const nlohmann::json& jwk) {
    nlohmann::json out = nlohmann::json::object();
    for (const char* name : {"kty", "n", "e", "crv", "x", "y", "alg"})
        if (jwk.contains(name))
            out[name] = jwk[name];
    return out;
}

bool SigningKeyFor(const nlohmann::json& jwk, const SignaturePlan& plan) {
    if (!jwk.is_object() || StringMember(jwk, "kty") != KeyTypeFor(plan.alg))
        return false;
    const std::string use = StringMember(jwk, "use"), alg = StringMember(jwk, "alg");
    return (use.empty() || use == "sig") && (alg.empty() || alg == plan.alg);
}

} // namespace

std::string CheckIdTokenClaims(const DecodedJwt& jwt, const IdTokenExpectations& expected) {
    if (!jwt.isJwt)
        return "The id_token is not a readable JWT, so it was rejected" + std::string(kSection);
    for (const std::string& problem :
         {NonceProblem(jwt.payload, expected.nonce), IssuerProblem(jwt.payload, expected.issuer),
          AudienceProblem(jwt.payload, expected.clientId), TimeProblem(jwt.payload, expected.now),
          AtHashProblem(jwt.payload, expected.accessToken)})
        if (!problem.empty())
            return problem;
    return {};
}

std::string IdTokenNonceProblem(const DecodedJwt& jwt, std::string_view nonce) {
    return NonceProblem(jwt.payload, std::string(nonce));
}

std::string AccessTokenHash(std::string_view accessToken) {
    const Sha256Digest digest = Sha256(accessToken);
    return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size() / 2));
}

SignaturePlan PlanSignatureCheck(const DecodedJwt& jwt, bool publicClient) {
    SignaturePlan plan;
    plan.alg = StringMember(jwt.header, "alg");
    plan.kid = StringMember(jwt.header, "kid");
    if (plan.alg.empty())
        plan.refusal = Rejected("The id_token's header names no signing algorithm (alg)");
    else if (plan.alg == "none")
        plan.refusal = "The id_token is not signed (alg \"none\"), so it was rejected: anyone could have "
                       "written it" +
                       std::string(kSection);
    else if (plan.alg == "HS256" && publicClient)
        plan.refusal = "The id_token is signed with HS256, a MAC keyed with the client secret, but this "
                       "profile is a public client without one, so it was rejected: anyone who knows the "
                       "Client ID could have made it (OpenID Connect Core 1.0 section 10.1).";
    else if (plan.alg == "HS256")
        plan.usesClientSecret = true;
    else if (plan.alg != "RS256" && plan.alg != "PS256" && plan.alg != "ES256")
        plan.unsupported = "this page checks RS256, PS256, ES256 and HS256 signatures, and this id_token "
                           "uses " +
                           plan.alg + ".";
    return plan;
}

std::string ClientSecretJwk(std::string_view clientSecret) {
    return nlohmann::json{{"kty", "oct"}, {"k", Base64UrlEncode(clientSecret)}, {"alg", "HS256"}}.dump();
}

HttpRequest BuildJwksRequest(std::string_view jwksUri) {
    HttpRequest request;
    request.method = "GET";
    request.url = std::string(jwksUri);
    request.headers.emplace_back("Accept", "application/json, application/jwk-set+json");
    return request;
}

Jwks ProcessJwksResponse(const FetchResult& fetched, const FetchContext& context) {
    Jwks result;
    if (auto problem = DescribeFetchProblem(fetched, context)) {
        result.error = std::move(problem);
        return result;
    }
    nlohmann::json body;
    if (auto error = ReadErrorAnswer(fetched.response, context.endpoint, &body)) {
        result.error = std::move(error);
        return result;
    }
    const auto keys = body.find("keys");
    if (keys == body.end() || !keys->is_array()) {
        result.error = MakeEndpointError(fetched.response, context.endpoint, "missing_keys",
                                         "The JWKS endpoint answered without a \"keys\" list (RFC 7517 "
                                         "section 5), so the id_token's signature could not be checked.");
        return result;
    }
    result.keys = *keys;
    return result;
}

std::optional<nlohmann::json> SelectJwk(const Jwks& jwks, const SignaturePlan& plan, std::string* problem) {
    auto fail = [problem](std::string text) -> std::optional<nlohmann::json> {
        if (problem)
            *problem = std::move(text);
        return std::nullopt;
    };
    std::vector<nlohmann::json> matches;
    std::vector<std::string> kids;
    for (const nlohmann::json& jwk : jwks.keys) {
        if (!jwk.is_object())
            continue;
        kids.push_back(StringMember(jwk, "kid"));
        if (plan.kid.empty() ? SigningKeyFor(jwk, plan) : StringMember(jwk, "kid") == plan.kid)
            matches.push_back(jwk);
    }
    const std::string keyType = KeyTypeFor(plan.alg);
    if (matches.empty() && !plan.kid.empty())
        return fail("the provider's JWKS has no key with kid " + Quoted(plan.kid) + " (it lists " +
                    (kids.empty() ? std::string("no keys") : Joined(kids)) +
                    "): it may have rotated its keys since the token was signed.");
    if (matches.empty())
        return fail("the provider's JWKS has no " + keyType + " signing key for " + plan.alg + ".");
    if (matches.size() > 1)
        return fail("the provider's JWKS has several " + keyType +
                    " signing keys and the id_token names no kid to choose one.");
    if (!SigningKeyFor(matches.front(), plan))
        return fail("the provider's key " + Quoted(plan.kid) + " is not a " + keyType + " signing key for " +
                    plan.alg + ".");
    return PublicMembers(matches.front());
}

std::string SigningInput(std::string_view compactJws) {
    const std::size_t last = compactJws.rfind('.');
    return std::string(compactJws.substr(0, last == std::string_view::npos ? 0 : last));
}

std::string SignaturePart(std::string_view compactJws) {
    const std::size_t last = compactJws.rfind('.');
    return last == std::string_view::npos ? std::string() : std::string(compactJws.substr(last + 1));
}

std::string SignatureVerifiedText(std::string_view kid, bool clientSecret) {
    if (clientSecret)
        return "Signature verified with the client secret (HS256).";
    return kid.empty() ? "Signature verified with the provider's only key (it has no kid)."
                       : "Signature verified with key " + std::string(kid) + ".";
}

std::string SignatureMismatchText(std::string_view kid, bool clientSecret) {
    if (clientSecret)
        return "The id_token's signature does not verify with the client secret (HS256), so it was "
               "rejected: the token was changed, or the Client Secret is not the provider's" +
               std::string(kSection);
    return "The id_token's signature does not verify with key " +
           (kid.empty() ? std::string("(no kid)") : std::string(kid)) +
           " from the provider's jwks_uri, so it was rejected: the token was changed, or not signed by this "
           "provider" +
           std::string(kSection);
}

} // namespace oauth

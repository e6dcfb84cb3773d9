#include "core/setup_check.h"

#include "core/dpop.h"
#include "core/scopes.h"
#include "core/text.h"
#include "core/url.h"

#include <algorithm>

namespace oauth {

std::string_view ToText(Verdict verdict) {
    switch (verdict) {
    case Verdict::Pass:
        return "pass";
    case Verdict::Warning:
        return "warning";
    case Verdict::Fail:
        return "fail";
    case Verdict::NotCheckedYet:
        return "not checked yet";
    case Verdict::DoesNotApply:
        return "does not apply";
    }
    return "not checked yet";
}

namespace {

using Rule = SetupCheckRow;

bool Lists(const std::optional<std::vector<std::string>>& list, std::string_view value) {
    return list && std::find(list->begin(), list->end(), value) != list->end();
}

bool IsCodeGrant(const Profile& profile) {
    return profile.grantType == GrantType::AuthorizationCode;
}

bool IsPublicClient(const Profile& profile) {
    return profile.clientSecret.empty();
}

constexpr std::string_view kNoAuthorizationRequest =
    "This grant has no authorization request and no callback, so this rule has nothing to look at.";

// RFC 9700 section 2.1.1: PKCE with S256, the only method that keeps the verifier out of the
// authorization request; RFC 7636 section 7.2: plain only where S256 cannot be done.
Rule PkceS256(const Profile& profile, const DiscoveryMetadata* metadata) {
    Rule row{std::string(kRulePkceS256), "RFC 9700 section 2.1.1", Verdict::NotCheckedYet, ""};
    const auto set = [&](Verdict verdict, std::string sentence) {
        row.verdict = verdict;
        row.sentence = std::move(sentence);
        return row;
    };
    if (!IsCodeGrant(profile))
        return set(Verdict::DoesNotApply, std::string(kNoAuthorizationRequest));
    if (!metadata)
        return set(
            Verdict::NotCheckedYet,
            "Not checked yet: press Discover to read the provider's code_challenge_methods_supported.");
    const auto& methods = metadata->codeChallengeMethodsSupported;
    if (!methods)
        return set(Verdict::Warning,
                   "The provider's metadata has no code_challenge_methods_supported, so its PKCE support "
                   "cannot be detected; ask the provider to publish it with S256.");
    if (!Lists(methods, "S256"))
        return set(Verdict::Fail,
                   "The provider's code_challenge_methods_supported does not list S256, so PKCE "
                   "cannot protect the authorization code; turn S256 on at the provider.");
    if (Lists(methods, "plain"))
        return set(Verdict::Warning,
                   "The provider offers S256 but also plain, which puts the verifier itself into the "
                   "authorization request; turn plain off at the provider.");
    return set(Verdict::Pass,
               "The provider offers S256 and not plain, and this page always sends an S256 code challenge.");
}

// RFC 9207 section 2.4, RFC 9700 section 4.4.2: the iss response parameter tells the client which
// server answered, the defence against mix-up attacks.
Rule IssParameter(const Profile& profile, const DiscoveryMetadata* metadata, const ObservedRun& observed) {
    Rule row{std::string(kRuleIssParameter), "RFC 9207 section 2.4; RFC 9700 section 4.4.2",
             Verdict::NotCheckedYet, ""};
    if (!IsCodeGrant(profile)) {
        row.verdict = Verdict::DoesNotApply;
        row.sentence = std::string(kNoAuthorizationRequest);
    } else if (!metadata) {
        row.sentence = "Not checked yet: press Discover to read whether the provider announces "
                       "authorization_response_iss_parameter_supported.";
    } else if (metadata->authorizationResponseIssParameterSupported) {
        if (!observed.callbackSeen) {
            row.sentence = "Not checked yet: the provider announces the iss response parameter; press Get "
                           "Access Token to see it in the callback.";
        } else if (observed.callbackHadIss) {
            row.verdict = Verdict::Pass;
            row.sentence = "The provider announces the iss response parameter and the last callback carried "
                           "it, so an answer from another provider is detected.";
        } else {
            row.verdict = Verdict::Fail;
            row.sentence = "The provider announces the iss response parameter but the last callback had "
                           "none, so it was refused: it may come from another provider.";
        }
    } else {
        row.verdict = Verdict::Warning;
        row.sentence =
            observed.callbackSeen && observed.callbackHadIss
                ? "The last callback carried iss, but the provider's metadata does not announce "
                  "authorization_response_iss_parameter_supported, so a callback without iss is accepted "
                  "too; ask the provider to announce it."
                : "The provider does not announce the iss response parameter "
                  "(authorization_response_iss_parameter_supported), so an answer from another provider "
                  "is not detected; ask the provider to turn it on, or give each provider a Redirect URL "
                  "of its own.";
    }
    return row;
}

// A response type that returns an access token from the authorization endpoint ("token",
// "id_token token", "code token"): the implicit grant or a hybrid one (RFC 9700 section 2.1.2).
bool ReturnsTokenInFrontChannel(const std::string& responseType) {
    const std::vector<std::string> parts = SplitScopes(responseType); // space-separated, as scopes
    return std::find(parts.begin(), parts.end(), "token") != parts.end();
}

// Why the metadata offers the implicit grant, or "" when it does not. Without grant_types_supported
// RFC 8414 section 2 means authorization_code and implicit, unless response_types_supported (which
// the authorization endpoint answers by) lists no type that returns a token.
std::string ImplicitOffered(const DiscoveryMetadata& metadata) {
    if (const auto& types = metadata.responseTypesSupported)
        for (const std::string& type : *types)
            if (ReturnsTokenInFrontChannel(type))
                return "response_types_supported lists \"" + type + "\"";
    if (Lists(metadata.grantTypesSupported, "implicit"))
        return "grant_types_supported lists implicit";
    if (!metadata.grantTypesSupported && !metadata.responseTypesSupported)
        return "its metadata has neither grant_types_supported nor response_types_supported, which means "
               "authorization_code and implicit (RFC 8414 section 2)";
    return {};
}

// RFC 9700 section 2.4: the password grant MUST NOT be used; section 2.1.2: the implicit grant (and
// other response types that return access tokens in the authorization response) SHOULD NOT be.
Rule LegacyGrants(const Profile& profile, const DiscoveryMetadata* metadata) {
    Rule row{std::string(kRuleLegacyGrants), "RFC 9700 sections 2.1.2 and 2.4", Verdict::Pass, ""};
    if (profile.grantType == GrantType::Password) {
        row.verdict = Verdict::Fail;
        row.sentence = "This profile uses the password grant, which hands the user's password to the client; "
                       "use Authorization Code with PKCE instead.";
    } else if (!metadata) {
        row.verdict = Verdict::NotCheckedYet;
        row.sentence = "Not checked yet: this profile does not use the password grant; press Discover to see "
                       "whether the provider offers the implicit grant.";
    } else if (std::string why = ImplicitOffered(*metadata); !why.empty()) {
        row.verdict = Verdict::Warning;
        row.sentence = "The provider offers the implicit grant (" + why +
                       "), which returns tokens in the browser's address bar; turn it off at the provider.";
    } else {
        row.sentence = "This profile does not use the password grant, and the provider does not offer the "
                       "implicit grant.";
    }
    return row;
}

// "A", "A and B", "A, B and C".
std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out;
}

// RFC 6749 sections 3.1 and 3.2: the authorization and token endpoints require TLS; RFC 8252
// section 8.3: plain http is fine on loopback, where nothing crosses a network.
Rule HttpEndpoints(const Profile& profile) {
    Rule row{std::string(kRuleHttpEndpoints), "RFC 6749 sections 3.1 and 3.2; RFC 8252 section 8.3",
             Verdict::Pass, ""};
    const std::pair<const char*, const std::string*> urls[] = {
        {"Issuer / Discovery URL", &profile.discoveryUrl},
        {"Authorization URL", &profile.authorizationUrl},
        {"Device Authorization URL", &profile.deviceAuthorizationUrl},
        {"Access Token URL", &profile.accessTokenUrl},
        {"Revocation URL", &profile.revocationUrl},
        {"Introspection URL", &profile.introspectionUrl},
        {"Redirect URL", &profile.redirectUrl},
    };
    std::vector<std::string> plain;
    bool any = false;
    for (const auto& [caption, url] : urls) {
        const std::string_view typed = text::Trim(*url);
        if (typed.empty())
            continue;
        any = true;
        const std::optional<Url> parsed = ParseUrl(typed);
        if (parsed && parsed->scheme == "http" && !IsLoopbackHost(parsed->host))
            plain.push_back(caption);
    }
    if (!plain.empty()) {
        row.verdict = Verdict::Fail;
        row.sentence = "The " + JoinNames(plain) + (plain.size() == 1 ? " uses" : " use") +
                       " plain http on a host that is not loopback, so codes, secrets and tokens cross the "
                       "network unencrypted; use https.";
    } else if (!any) {
        row.verdict = Verdict::NotCheckedYet;
        row.sentence = "Not checked yet: no endpoint URL is filled in.";
    } else {
        row.sentence = "Every URL of this profile uses https, or plain http on loopback only.";
    }
    return row;
}

// RFC 6749 section 2.1: a client running in a browser cannot keep a secret (a public client).
Rule BrowserSecret(const Profile& profile) {
    Rule row{std::string(kRuleBrowserSecret), "RFC 6749 section 2.1", Verdict::Pass, ""};
    if (IsPublicClient(profile)) {
        row.sentence = "No Client Secret: a public client, as an app in a browser should be.";
    } else {
        row.verdict = Verdict::Warning;
        row.sentence = "This profile sends a Client Secret from a browser page, where whoever opens the page "
                       "can read it; fine for a test, but an app in a browser should be a public client with "
                       "PKCE, or leave the secret to its backend.";
    }
    return row;
}

// RFC 9700 section 2.2.2 (details in 4.14.2): a public client's refresh tokens must be
// sender-constrained (DPoP, RFC 9449 section 5) or rotated on every refresh.
Rule RefreshProtection(const Profile& profile, const ObservedRun& observed) {
    Rule row{std::string(kRuleRefreshProtection), "RFC 9700 sections 2.2.2 and 4.14.2",
             Verdict::NotCheckedYet, ""};
    if (!IsPublicClient(profile)) {
        row.verdict = Verdict::DoesNotApply;
        row.sentence = "A confidential client: its refresh tokens only work with its client credentials, so "
                       "this rule is for public clients.";
    } else if (!observed.refreshed) {
        row.sentence = "Not checked yet: get a token with a refresh token, then press Refresh to see whether "
                       "the provider rotates it.";
    } else if (text::LowerAscii(observed.refreshTokenType) == "dpop") {
        row.verdict = Verdict::Pass;
        row.sentence = "The last refresh answered with a DPoP token, so the refresh token is bound to this "
                       "page's key.";
    } else if (observed.refreshTokenRotated) {
        row.verdict = Verdict::Pass;
        row.sentence = "The last refresh returned a new refresh token, so the provider rotates them and a "
                       "stolen one stops working.";
    } else {
        row.verdict = Verdict::Fail;
        row.sentence =
            "The last refresh kept the same refresh token, which is not sender-constrained either, "
            "so a stolen one keeps working; turn on refresh token rotation or DPoP at the provider.";
    }
    return row;
}

// RFC 9449 section 5.1: a profile with DPoP on, against the algorithms the provider accepts.
Rule DpopInUse(Rule row, const DiscoveryMetadata& metadata) {
    const auto& algorithms = metadata.dpopSigningAlgValuesSupported;
    if (!algorithms || algorithms->empty()) {
        row.verdict = Verdict::Warning;
        row.sentence = "DPoP is on, but the provider's metadata has no dpop_signing_alg_values_supported, "
                       "so it may not support DPoP and may answer with tokens that are not bound to the key.";
    } else if (std::find(algorithms->begin(), algorithms->end(), kDpopAlgorithm) == algorithms->end()) {
        row.verdict = Verdict::Fail;
        row.sentence =
            "DPoP is on, but the provider's dpop_signing_alg_values_supported does not list ES256, "
            "the algorithm of this page's proofs, so they will be refused.";
    } else {
        row.sentence =
            "DPoP is on, and the provider accepts ES256 proofs (dpop_signing_alg_values_supported).";
    }
    return row;
}

// RFC 9126 section 5: require_pushed_authorization_requests; RFC 9449 section 5.1:
// dpop_signing_alg_values_supported (metadata can offer DPoP, not require it; a client requires it
// with dpop_bound_access_tokens, section 5.2, which the page cannot read). PAR required is
// always used when the metadata names its endpoint (pushed_authorization.h); DPoP proofs are ES256.
Rule ParDpopRequired(const Profile& profile, const DiscoveryMetadata* metadata) {
    Rule row{std::string(kRuleParDpopRequired), "RFC 9126 section 5; RFC 9449 section 5.1", Verdict::Pass,
             ""};
    if (!metadata) {
        row.verdict = Verdict::NotCheckedYet;
        row.sentence = "Not checked yet: press Discover to read whether the provider requires pushed "
                       "authorization requests or offers DPoP.";
    } else if (IsCodeGrant(profile) && metadata->requirePushedAuthorizationRequests &&
               metadata->pushedAuthorizationRequestEndpoint.empty()) {
        row.verdict = Verdict::Fail;
        row.sentence = "Pushed authorization requests are required by the provider "
                       "(require_pushed_authorization_requests), but its metadata names no "
                       "pushed_authorization_request_endpoint, so its authorization request will be refused.";
    } else if (IsCodeGrant(profile) && metadata->requirePushedAuthorizationRequests) {
        row.sentence = "Pushed authorization requests are required by the provider "
                       "(require_pushed_authorization_requests), and this page pushes every authorization "
                       "request of this profile to its pushed_authorization_request_endpoint.";
    } else if (profile.useDpop) {
        return DpopInUse(std::move(row), *metadata);
    } else if (IsPublicClient(profile) && metadata->dpopSigningAlgValuesSupported &&
               !metadata->dpopSigningAlgValuesSupported->empty()) {
        row.verdict = Verdict::Warning;
        row.sentence =
            "DPoP is offered by the provider (dpop_signing_alg_values_supported), not used by this "
            "profile, so its tokens work for whoever holds them.";
    } else {
        row.sentence = "The provider's metadata requires nothing of this profile that it does not use.";
    }
    return row;
}

std::string_view WithoutTrailingSlash(std::string_view text) {
    while (!text.empty() && text.back() == '/')
        text.remove_suffix(1);
    return text;
}

// RFC 8414 section 3.3, OpenID Connect Discovery 1.0 section 4.3: the issuer the metadata names,
// and the Issuer the callback's iss is compared with (RFC 9207 section 2.4, exactly), must be the
// one the Issuer / Discovery URL names.
Rule IssuerMatch(const Profile& profile, const DiscoveryMetadata* metadata) {
    Rule row{std::string(kRuleIssuerMatch), "RFC 8414 section 3.3; RFC 9207 section 2.4", Verdict::Pass, ""};
    const std::string expected = ExpectedIssuer(profile.discoveryUrl);
    // Entra's multi-tenant template ("{tenantid}") was accepted by discovery and never copied.
    const bool metadataIssuer =
        metadata && !metadata->issuer.empty() && metadata->issuer.find("{tenantid}") == std::string::npos;
    const std::string& named = !profile.issuer.empty() ? profile.issuer
                               : metadataIssuer        ? metadata->issuer
                                                       : "";
    if (expected.empty()) {
        row.verdict = Verdict::NotCheckedYet;
        row.sentence =
            "Not checked yet: type the provider's issuer into Issuer / Discovery URL and press Discover.";
    } else if (named.empty()) {
        row.verdict = Verdict::NotCheckedYet;
        row.sentence = "Not checked yet: press Discover to compare the provider's issuer with the Issuer / "
                       "Discovery URL.";
    } else if (named == expected) {
        row.sentence = "The issuer \"" + named + "\" is the one the Issuer / Discovery URL names.";
    } else if (WithoutTrailingSlash(named) == WithoutTrailingSlash(expected)) {
        row.verdict = Verdict::Warning;
        row.sentence = "The issuer \"" + named + "\" differs from \"" + expected +
                       "\", the Issuer / Discovery URL's, only by a trailing slash; the callback's iss is "
                       "compared exactly, so type it as the provider names it.";
    } else {
        row.verdict = Verdict::Fail;
        row.sentence = "The issuer \"" + named + "\" differs from \"" + expected +
                       "\", the Issuer / Discovery URL's, so callbacks are checked against another provider; "
                       "press Discover again.";
    }
    return row;
}

bool AsksForOpenId(const Profile& profile) {
    const std::vector<std::string> scopes = SplitScopes(profile.scopes);
    return std::find(scopes.begin(), scopes.end(), "openid") != scopes.end();
}

// OpenID Connect Core 1.0 sections 3.1.2.1 and 3.1.3.7: the nonce sent with the authorization
// request must come back in the ID token, which binds the token to this sign-in.
Rule Nonce(const Profile& profile, const ObservedRun& observed) {
    Rule row{std::string(kRuleNonce), "OpenID Connect Core 1.0 sections 3.1.2.1 and 3.1.3.7",
             Verdict::NotCheckedYet, ""};
    if (!IsCodeGrant(profile)) {
        row.verdict = Verdict::DoesNotApply;
        row.sentence = std::string(kNoAuthorizationRequest);
    } else if (!AsksForOpenId(profile)) {
        row.verdict = Verdict::DoesNotApply;
        row.sentence = "Scope(s) has no openid, so no ID token is asked for and no nonce is sent.";
    } else if (!observed.nonceSent) {
        row.sentence =
            "Not checked yet: press Get Access Token; a nonce goes with the request and is checked "
            "in the ID token.";
    } else if (!observed.idTokenReceived) {
        row.verdict = Verdict::Warning;
        row.sentence =
            "A nonce was sent, but the token response had no ID token, so it could not be checked; "
            "the provider takes openid as a plain scope.";
    } else if (observed.nonceMatched) {
        row.verdict = Verdict::Pass;
        row.sentence = "The nonce this page sent came back in the ID token, so the token belongs to this "
                       "sign-in.";
    } else {
        row.verdict = Verdict::Fail;
        row.sentence = "The ID token did not carry the nonce this page sent, so it was refused: it may be "
                       "replayed from another sign-in.";
    }
    return row;
}

} // namespace

std::vector<SetupCheckRow> SetupCheck(const Profile& profile, const DiscoveryMetadata* metadata,
                                      const ObservedRun& observed) {
    return {
        PkceS256(profile, metadata),
        IssParameter(profile, metadata, observed),
        LegacyGrants(profile, metadata),
        HttpEndpoints(profile),
        BrowserSecret(profile),
        RefreshProtection(profile, observed),
        ParDpopRequired(profile, metadata),
        IssuerMatch(profile, metadata),
        Nonce(profile, observed),
    };
}

} // namespace oauth

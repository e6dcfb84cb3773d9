#pragma once
// The setup check: is this setup right, not just working? Each rule of the OAuth 2.0 security best
// current practice (RFC 9700) and its neighbours (RFC 9207, RFC 8414, RFC 9126, RFC 9449, OpenID
// Connect Core) is judged from three facts: the profile as typed, the provider's metadata (after
// Discover) and what the page observed in the profile's last run (the callback, the ID token, a
// refresh). A pure function: the same facts give the same rows.
#include "core/discovery.h"
#include "core/profile.h"

#include <string>
#include <string_view>
#include <vector>

namespace oauth {

enum class Verdict {
    Pass,
    Warning,
    Fail,
    NotCheckedYet, // the facts the rule needs are missing (no metadata yet, no run yet)
    DoesNotApply,  // the profile's grant or client type has nothing this rule looks at
};
// "pass", "warning", "fail", "not checked yet", "does not apply" (snapshot() and the panel).
std::string_view ToText(Verdict verdict);

// What the page saw in the profile's last run; all false until it ran.
struct ObservedRun {
    // Authorization code grant: a callback answered this page's request (RFC 9207 section 2).
    bool callbackSeen = false;
    bool callbackHadIss = false;
    // OpenID Connect: a nonce went with the authorization request, the token response had an ID
    // token, and the ID token carried that nonce (OpenID Connect Core 1.0 section 3.1.3.7).
    bool nonceSent = false;
    bool idTokenReceived = false;
    bool nonceMatched = false;
    // A refresh (RFC 6749 section 6) answered with a token: whether it carried a new refresh
    // token, other than the one sent (rotation), and its token_type (DPoP: sender-constrained).
    bool refreshed = false;
    bool refreshTokenRotated = false;
    std::string refreshTokenType;
};

struct SetupCheckRow {
    std::string rule;    // a stable id: pkce_s256, iss_parameter, ...
    std::string section; // "RFC 9700 section 2.1.1"
    Verdict verdict = Verdict::NotCheckedYet;
    std::string sentence; // why, and what to change
};

// The rule ids, in the order SetupCheck lists them.
inline constexpr std::string_view kRulePkceS256 = "pkce_s256";
inline constexpr std::string_view kRuleIssParameter = "iss_parameter";
inline constexpr std::string_view kRuleLegacyGrants = "password_or_implicit";
inline constexpr std::string_view kRuleHttpEndpoints = "http_endpoints";
inline constexpr std::string_view kRuleBrowserSecret = "client_secret_in_browser";
inline constexpr std::string_view kRuleRefreshProtection = "refresh_token_protection";
inline constexpr std::string_view kRuleParDpopRequired = "par_dpop_required";
inline constexpr std::string_view kRuleIssuerMatch = "issuer_matches_discovery";
inline constexpr std::string_view kRuleNonce = "nonce";

// One row per rule, always all nine, in the order above. `metadata` is the provider's metadata
// for this profile (nullptr: not discovered yet); `observed` the profile's last run.
std::vector<SetupCheckRow> SetupCheck(const Profile& profile, const DiscoveryMetadata* metadata,
                                      const ObservedRun& observed);

} // namespace oauth

#include "core/setup_check.h"

#include <catch2/catch.hpp>

using namespace oauth;

namespace {

// A public client of the Authorization Code grant, asking for openid, all https, discovered.
Profile GoodProfile() {
    Profile p;
    p.tokenName = "Orders";
    p.grantType = GrantType::AuthorizationCode;
    p.clientId = "spa";
    p.scopes = "openid api:read";
    p.discoveryUrl = "https://id.example.com";
    p.issuer = "https://id.example.com";
    p.authorizationUrl = "https://id.example.com/authorize";
    p.accessTokenUrl = "https://id.example.com/token";
    p.redirectUrl = "https://app.example.com/callback.html";
    return p;
}

DiscoveryMetadata GoodMetadata() {
    DiscoveryMetadata m;
    m.issuer = "https://id.example.com";
    m.authorizationEndpoint = "https://id.example.com/authorize";
    m.tokenEndpoint = "https://id.example.com/token";
    m.codeChallengeMethodsSupported = std::vector<std::string>{"S256"};
    m.grantTypesSupported = std::vector<std::string>{"authorization_code", "refresh_token"};
    m.responseTypesSupported = std::vector<std::string>{"code"};
    m.authorizationResponseIssParameterSupported = true;
    return m;
}

ObservedRun GoodRun() {
    ObservedRun o;
    o.callbackSeen = o.callbackHadIss = true;
    o.nonceSent = o.idTokenReceived = o.nonceMatched = true;
    o.refreshed = o.refreshTokenRotated = true;
    o.refreshTokenType = "Bearer";
    return o;
}

SetupCheckRow RowOf(const Profile& p, const DiscoveryMetadata* m, const ObservedRun& o,
                    std::string_view rule) {
    for (const SetupCheckRow& row : SetupCheck(p, m, o))
        if (row.rule == rule)
            return row;
    FAIL("no row " << rule);
    return {};
}

void CheckRow(const SetupCheckRow& row, Verdict verdict, const std::string& sentence) {
    INFO(row.rule << ": " << row.sentence);
    CHECK(ToText(row.verdict) == ToText(verdict));
    CHECK(row.sentence == sentence);
}

} // namespace

TEST_CASE("The setup check lists all nine rules in order, each with its section", "[setup_check]") {
    const DiscoveryMetadata m = GoodMetadata();
    const std::vector<SetupCheckRow> rows = SetupCheck(GoodProfile(), &m, GoodRun());
    REQUIRE(rows.size() == 9);
    const std::vector<std::pair<std::string_view, std::string_view>> expected = {
        {kRulePkceS256, "RFC 9700 section 2.1.1"},
        {kRuleIssParameter, "RFC 9207 section 2.4; RFC 9700 section 4.4.2"},
        {kRuleLegacyGrants, "RFC 9700 sections 2.1.2 and 2.4"},
        {kRuleHttpEndpoints, "RFC 6749 sections 3.1 and 3.2; RFC 8252 section 8.3"},
        {kRuleBrowserSecret, "RFC 6749 section 2.1"},
        {kRuleRefreshProtection, "RFC 9700 sections 2.2.2 and 4.14.2"},
        {kRuleParDpopRequired, "RFC 9126 section 5; RFC 9449 section 5.1"},
        {kRuleIssuerMatch, "RFC 8414 section 3.3; RFC 9207 section 2.4"},
        {kRuleNonce, "OpenID Connect Core 1.0 sections 3.1.2.1 and 3.1.3.7"},
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].rule == expected[i].first);
        CHECK(rows[i].section == expected[i].second);
        CHECK(rows[i].verdict == Verdict::Pass);
    }
    CHECK(ToText(Verdict::NotCheckedYet) == "not checked yet");
    CHECK(ToText(Verdict::DoesNotApply) == "does not apply");
}

TEST_CASE("Setup check: PKCE S256 offered and plain not", "[setup_check]") {
    const Profile p = GoodProfile();
    DiscoveryMetadata m = GoodMetadata();
    CheckRow(RowOf(p, &m, {}, kRulePkceS256), Verdict::Pass,
             "The provider offers S256 and not plain, and this page always sends an S256 code challenge.");
    m.codeChallengeMethodsSupported = std::vector<std::string>{"S256", "plain"};
    CheckRow(RowOf(p, &m, {}, kRulePkceS256), Verdict::Warning,
             "The provider offers S256 but also plain, which puts the verifier itself into the authorization "
             "request; turn plain off at the provider.");
    m.codeChallengeMethodsSupported = std::vector<std::string>{"plain"};
    CheckRow(RowOf(p, &m, {}, kRulePkceS256), Verdict::Fail,
             "The provider's code_challenge_methods_supported does not list S256, so PKCE cannot protect the "
             "authorization code; turn S256 on at the provider.");
    m.codeChallengeMethodsSupported.reset();
    CheckRow(RowOf(p, &m, {}, kRulePkceS256), Verdict::Warning,
             "The provider's metadata has no code_challenge_methods_supported, so its PKCE support cannot be "
             "detected; ask the provider to publish it with S256.");
    CheckRow(RowOf(p, nullptr, {}, kRulePkceS256), Verdict::NotCheckedYet,
             "Not checked yet: press Discover to read the provider's code_challenge_methods_supported.");
    Profile clientCredentials = p;
    clientCredentials.grantType = GrantType::ClientCredentials;
    CheckRow(RowOf(clientCredentials, &m, {}, kRulePkceS256), Verdict::DoesNotApply,
             "This grant has no authorization request and no callback, so this rule has nothing to look at.");
}

TEST_CASE("Setup check: the iss response parameter announced and present", "[setup_check]") {
    const Profile p = GoodProfile();
    DiscoveryMetadata m = GoodMetadata();
    ObservedRun o = GoodRun();
    CheckRow(
        RowOf(p, &m, o, kRuleIssParameter), Verdict::Pass,
        "The provider announces the iss response parameter and the last callback carried it, so an answer "
        "from another provider is detected.");
    o.callbackHadIss = false;
    CheckRow(RowOf(p, &m, o, kRuleIssParameter), Verdict::Fail,
             "The provider announces the iss response parameter but the last callback had none, so it was "
             "refused: it may come from another provider.");
    CheckRow(
        RowOf(p, &m, {}, kRuleIssParameter), Verdict::NotCheckedYet,
        "Not checked yet: the provider announces the iss response parameter; press Get Access Token to see "
        "it in the callback.");
    m.authorizationResponseIssParameterSupported = false;
    CheckRow(RowOf(p, &m, o, kRuleIssParameter), Verdict::Warning,
             "The provider does not announce the iss response parameter "
             "(authorization_response_iss_parameter_supported), so an answer from another provider is not "
             "detected; ask the provider to turn it on, or give each provider a Redirect URL of its own.");
    o.callbackHadIss = true;
    CheckRow(RowOf(p, &m, o, kRuleIssParameter), Verdict::Warning,
             "The last callback carried iss, but the provider's metadata does not announce "
             "authorization_response_iss_parameter_supported, so a callback without iss is accepted too; ask "
             "the provider to announce it.");
    CheckRow(RowOf(p, nullptr, o, kRuleIssParameter), Verdict::NotCheckedYet,
             "Not checked yet: press Discover to read whether the provider announces "
             "authorization_response_iss_parameter_supported.");
}

TEST_CASE("Setup check: the password grant in use, or the implicit grant offered", "[setup_check]") {
    Profile p = GoodProfile();
    DiscoveryMetadata m = GoodMetadata();
    CheckRow(
        RowOf(p, &m, {}, kRuleLegacyGrants), Verdict::Pass,
        "This profile does not use the password grant, and the provider does not offer the implicit grant.");
    SECTION("the password grant fails whatever the provider offers") {
        p.grantType = GrantType::Password;
        CheckRow(RowOf(p, nullptr, {}, kRuleLegacyGrants), Verdict::Fail,
                 "This profile uses the password grant, which hands the user's password to the client; use "
                 "Authorization Code with PKCE instead.");
    }
    SECTION("a response type that returns a token is the implicit grant (or a hybrid one)") {
        m.responseTypesSupported = std::vector<std::string>{"code", "code id_token token"};
        CheckRow(RowOf(p, &m, {}, kRuleLegacyGrants), Verdict::Warning,
                 "The provider offers the implicit grant (response_types_supported lists \"code id_token "
                 "token\"), which returns tokens in the browser's address bar; turn it off at the provider.");
        m.responseTypesSupported = std::vector<std::string>{"code", "id_token"};
        CHECK(RowOf(p, &m, {}, kRuleLegacyGrants).verdict == Verdict::Pass);
    }
    SECTION("grant_types_supported listing implicit") {
        m.grantTypesSupported = std::vector<std::string>{"authorization_code", "implicit"};
        CheckRow(
            RowOf(p, &m, {}, kRuleLegacyGrants), Verdict::Warning,
            "The provider offers the implicit grant (grant_types_supported lists implicit), which returns "
            "tokens in the browser's address bar; turn it off at the provider.");
    }
    SECTION("neither list: RFC 8414's default grant types include implicit") {
        m.grantTypesSupported.reset();
        m.responseTypesSupported.reset();
        CheckRow(
            RowOf(p, &m, {}, kRuleLegacyGrants), Verdict::Warning,
            "The provider offers the implicit grant (its metadata has neither grant_types_supported nor "
            "response_types_supported, which means authorization_code and implicit (RFC 8414 section 2)), "
            "which returns tokens in the browser's address bar; turn it off at the provider.");
        m.responseTypesSupported = std::vector<std::string>{"code"};
        CHECK(RowOf(p, &m, {}, kRuleLegacyGrants).verdict == Verdict::Pass);
    }
    CheckRow(
        RowOf(GoodProfile(), nullptr, {}, kRuleLegacyGrants), Verdict::NotCheckedYet,
        "Not checked yet: this profile does not use the password grant; press Discover to see whether the "
        "provider offers the implicit grant.");
}

TEST_CASE("Setup check: plain http endpoints that are not on loopback", "[setup_check]") {
    Profile p = GoodProfile();
    CheckRow(RowOf(p, nullptr, {}, kRuleHttpEndpoints), Verdict::Pass,
             "Every URL of this profile uses https, or plain http on loopback only.");
    p.accessTokenUrl = "http://127.0.0.1:9400/token";
    p.redirectUrl = "http://localhost:8000/callback.html";
    p.revocationUrl = "http://[::1]:9400/revoke";
    CHECK(RowOf(p, nullptr, {}, kRuleHttpEndpoints).verdict == Verdict::Pass);
    p.accessTokenUrl = "http://id.example.com/token";
    CheckRow(
        RowOf(p, nullptr, {}, kRuleHttpEndpoints), Verdict::Fail,
        "The Access Token URL uses plain http on a host that is not loopback, so codes, secrets and tokens "
        "cross the network unencrypted; use https.");
    p.discoveryUrl = "http://id.example.com";
    p.redirectUrl = "http://10.0.0.5/callback.html";
    CheckRow(
        RowOf(p, nullptr, {}, kRuleHttpEndpoints), Verdict::Fail,
        "The Issuer / Discovery URL, Access Token URL and Redirect URL use plain http on a host that is not "
        "loopback, so codes, secrets and tokens cross the network unencrypted; use https.");
    CheckRow(RowOf(Profile{}, nullptr, {}, kRuleHttpEndpoints), Verdict::NotCheckedYet,
             "Not checked yet: no endpoint URL is filled in.");
}

TEST_CASE("Setup check: a client secret used from a browser page", "[setup_check]") {
    Profile p = GoodProfile();
    CheckRow(RowOf(p, nullptr, {}, kRuleBrowserSecret), Verdict::Pass,
             "No Client Secret: a public client, as an app in a browser should be.");
    p.clientSecret = "s3cret";
    CheckRow(
        RowOf(p, nullptr, {}, kRuleBrowserSecret), Verdict::Warning,
        "This profile sends a Client Secret from a browser page, where whoever opens the page can read it; "
        "fine for a test, but an app in a browser should be a public client with PKCE, or leave the secret "
        "to its backend.");
}

TEST_CASE("Setup check: a public client's refresh tokens rotated or sender-constrained", "[setup_check]") {
    Profile p = GoodProfile();
    ObservedRun o = GoodRun();
    CheckRow(RowOf(p, nullptr, o, kRuleRefreshProtection), Verdict::Pass,
             "The last refresh returned a new refresh token, so the provider rotates them and a stolen one "
             "stops working.");
    o.refreshTokenRotated = false;
    CheckRow(
        RowOf(p, nullptr, o, kRuleRefreshProtection), Verdict::Fail,
        "The last refresh kept the same refresh token, which is not sender-constrained either, so a stolen "
        "one keeps working; turn on refresh token rotation or DPoP at the provider.");
    o.refreshTokenType = "DPoP";
    CheckRow(
        RowOf(p, nullptr, o, kRuleRefreshProtection), Verdict::Pass,
        "The last refresh answered with a DPoP token, so the refresh token is bound to this page's key.");
    CheckRow(
        RowOf(p, nullptr, {}, kRuleRefreshProtection), Verdict::NotCheckedYet,
        "Not checked yet: get a token with a refresh token, then press Refresh to see whether the provider "
        "rotates it.");
    p.clientSecret = "s3cret";
    o.refreshTokenType = "Bearer";
    CheckRow(
        RowOf(p, nullptr, o, kRuleRefreshProtection), Verdict::DoesNotApply,
        "A confidential client: its refresh tokens only work with its client credentials, so this rule is "
        "for public clients.");
}

TEST_CASE("Setup check: PAR or DPoP required by the metadata but not used", "[setup_check]") {
    Profile p = GoodProfile();
    DiscoveryMetadata m = GoodMetadata();
    CheckRow(RowOf(p, &m, {}, kRuleParDpopRequired), Verdict::Pass,
             "The provider's metadata requires nothing of this profile that it does not use.");
    m.requirePushedAuthorizationRequests = true;
    CheckRow(
        RowOf(p, &m, {}, kRuleParDpopRequired), Verdict::Fail,
        "Pushed authorization requests are required by the provider (require_pushed_authorization_requests), "
        "but its metadata names no pushed_authorization_request_endpoint, so its authorization request "
        "will be refused.");
    SECTION("with the endpoint named, the page always pushes (RFC 9126 section 5)") {
        m.pushedAuthorizationRequestEndpoint = "https://id.example.com/par";
        CheckRow(
            RowOf(p, &m, {}, kRuleParDpopRequired), Verdict::Pass,
            "Pushed authorization requests are required by the provider "
            "(require_pushed_authorization_requests), and this page pushes every authorization request of "
            "this profile to its pushed_authorization_request_endpoint.");
    }
    SECTION("PAR is about the authorization request only") {
        p.grantType = GrantType::DeviceCode;
        CHECK(RowOf(p, &m, {}, kRuleParDpopRequired).verdict == Verdict::Pass);
    }
    SECTION("DPoP offered to a public client that does not use it") {
        m.requirePushedAuthorizationRequests = false;
        m.dpopSigningAlgValuesSupported = std::vector<std::string>{"ES256"};
        CheckRow(
            RowOf(p, &m, {}, kRuleParDpopRequired), Verdict::Warning,
            "DPoP is offered by the provider (dpop_signing_alg_values_supported), not used by this profile, "
            "so its tokens work for whoever holds them.");
        p.clientSecret = "s3cret";
        CHECK(RowOf(p, &m, {}, kRuleParDpopRequired).verdict == Verdict::Pass);
    }
    CheckRow(RowOf(GoodProfile(), nullptr, {}, kRuleParDpopRequired), Verdict::NotCheckedYet,
             "Not checked yet: press Discover to read whether the provider requires pushed authorization "
             "requests or offers DPoP.");
}

TEST_CASE("Setup check: an issuer that differs from the discovery URL's", "[setup_check]") {
    Profile p = GoodProfile();
    const DiscoveryMetadata m = GoodMetadata();
    CheckRow(RowOf(p, &m, {}, kRuleIssuerMatch), Verdict::Pass,
             "The issuer \"https://id.example.com\" is the one the Issuer / Discovery URL names.");
    SECTION("a .well-known URL names its issuer") {
        p.discoveryUrl = "https://id.example.com/.well-known/openid-configuration";
        CHECK(RowOf(p, &m, {}, kRuleIssuerMatch).verdict == Verdict::Pass);
    }
    SECTION("the Discovery URL now names another provider than the Issuer kept") {
        p.discoveryUrl = "https://login.other.example";
        CheckRow(
            RowOf(p, &m, {}, kRuleIssuerMatch), Verdict::Fail,
            "The issuer \"https://id.example.com\" differs from \"https://login.other.example\", the Issuer "
            "/ Discovery URL's, so callbacks are checked against another provider; press Discover again.");
    }
    SECTION("only a trailing slash") {
        p.issuer = "https://id.example.com/";
        CheckRow(
            RowOf(p, &m, {}, kRuleIssuerMatch), Verdict::Warning,
            "The issuer \"https://id.example.com/\" differs from \"https://id.example.com\", the Issuer / "
            "Discovery URL's, only by a trailing slash; the callback's iss is compared exactly, so type it "
            "as the provider names it.");
    }
    SECTION("without a kept Issuer the metadata's is compared") {
        p.issuer.clear();
        CHECK(RowOf(p, &m, {}, kRuleIssuerMatch).verdict == Verdict::Pass);
        CheckRow(
            RowOf(p, nullptr, {}, kRuleIssuerMatch), Verdict::NotCheckedYet,
            "Not checked yet: press Discover to compare the provider's issuer with the Issuer / Discovery "
            "URL.");
    }
    p.discoveryUrl.clear();
    CheckRow(RowOf(p, &m, {}, kRuleIssuerMatch), Verdict::NotCheckedYet,
             "Not checked yet: type the provider's issuer into Issuer / Discovery URL and press Discover.");
}

TEST_CASE("Setup check: a nonce sent and checked", "[setup_check]") {
    Profile p = GoodProfile();
    ObservedRun o = GoodRun();
    CheckRow(RowOf(p, nullptr, o, kRuleNonce), Verdict::Pass,
             "The nonce this page sent came back in the ID token, so the token belongs to this sign-in.");
    o.nonceMatched = false;
    CheckRow(
        RowOf(p, nullptr, o, kRuleNonce), Verdict::Fail,
        "The ID token did not carry the nonce this page sent, so it was refused: it may be replayed from "
        "another sign-in.");
    o.idTokenReceived = false;
    CheckRow(RowOf(p, nullptr, o, kRuleNonce), Verdict::Warning,
             "A nonce was sent, but the token response had no ID token, so it could not be checked; the "
             "provider takes openid as a plain scope.");
    CheckRow(
        RowOf(p, nullptr, {}, kRuleNonce), Verdict::NotCheckedYet,
        "Not checked yet: press Get Access Token; a nonce goes with the request and is checked in the ID "
        "token.");
    p.scopes = "api:read";
    CheckRow(RowOf(p, nullptr, o, kRuleNonce), Verdict::DoesNotApply,
             "Scope(s) has no openid, so no ID token is asked for and no nonce is sent.");
}

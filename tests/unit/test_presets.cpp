#include "core/presets.h"

#include "core/relay_hosts.h"

#include "core/validation.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>

using namespace oauth;
using Strings = std::vector<std::string>;
using namespace oauth::test;

namespace {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// What a person types for each placeholder.
std::string Filled(std::string text) {
    text = ReplaceAll(text, "{tenant}", "contoso.onmicrosoft.com");
    text = ReplaceAll(text, "{domain}", "my-app");
    text = ReplaceAll(text, "{region}", "eu-west-1");
    return ReplaceAll(text, "{userPoolId}", "eu-west-1_AbC123");
}

} // namespace

TEST_CASE("The presets are the six providers of the issue, in menu order", "[presets]") {
    Strings ids;
    for (const Preset& preset : Presets())
        ids.push_back(preset.id);
    CHECK(ids == Strings{"entra", "google", "cognito", "dropbox", "linkedin", "local-demo"});
    REQUIRE(FindPreset("google") != nullptr);
    CHECK(FindPreset("google")->name == "Google");
    CHECK(FindPreset("nope") == nullptr);
    CHECK(FindPreset("") == nullptr);
}

TEST_CASE("Every preset has a name, grants, short guidance and usable URLs once filled", "[presets]") {
    for (const Preset& preset : Presets()) {
        INFO(preset.id);
        CHECK_FALSE(preset.name.empty());
        CHECK_FALSE(preset.supportedGrants.empty());
        CHECK(std::find(preset.supportedGrants.begin(), preset.supportedGrants.end(),
                        ToText(preset.grantType)) != preset.supportedGrants.end());
        CHECK((preset.clientAuthentication == oauth::ClientAuthentication::BasicHeader ||
               preset.clientAuthentication == oauth::ClientAuthentication::Body));
        CHECK(preset.guidance.size() > 100);
        CHECK(preset.guidance.size() < 700);
        const std::pair<const char*, const std::string*> urls[] = {
            {"Authorization URL", &preset.authorizationUrl},
            {"Access Token URL", &preset.accessTokenUrl},
            {"Device Authorization URL", &preset.deviceAuthorizationUrl},
            {"Revocation URL", &preset.revocationUrl},
            {"Introspection URL", &preset.introspectionUrl},
            {"Issuer / discovery URL", &preset.discoveryUrl},
        };
        CHECK_FALSE(preset.authorizationUrl.empty());
        CHECK_FALSE(preset.accessTokenUrl.empty());
        for (const auto& [label, url] : urls)
            if (!url->empty())
                CHECK(CheckEndpointUrl(Filled(*url), label) == std::nullopt);
    }
}

TEST_CASE("A profile from a preset validates for each supported grant once placeholders are filled",
          "[presets]") {
    for (const Preset& preset : Presets()) {
        Profile profile = ProfileFromPreset(preset, "My " + preset.name, "https://app.example.com/callback");
        for (std::string* field :
             {&profile.authorizationUrl, &profile.accessTokenUrl, &profile.deviceAuthorizationUrl,
              &profile.revocationUrl, &profile.introspectionUrl, &profile.discoveryUrl})
            *field = Filled(*field);
        if (profile.clientId.empty())
            profile.clientId = "my-client";
        if (profile.clientSecret.empty())
            profile.clientSecret = "my-secret";
        for (const std::string& grant : preset.supportedGrants) {
            if (grant == kGrantRefreshToken)
                continue;
            INFO(preset.id + " " + grant);
            const std::optional<GrantType> grantType = GrantTypeFromText(grant);
            REQUIRE(grantType);
            profile.grantType = *grantType;
            profile.username = grantType == GrantType::Password ? "alice" : "";
            profile.password = grantType == GrantType::Password ? "wonderland" : "";
            CHECK(Lines(ValidateProfile(profile, {})).empty());
            if (grantType == GrantType::DeviceCode)
                CHECK_FALSE(profile.deviceAuthorizationUrl.empty());
        }
    }
}

TEST_CASE("ProfileFromPreset copies the preset's fields and remembers its id", "[presets]") {
    SECTION("Google asks for a refresh token") {
        const Profile p = ProfileFromPreset(*FindPreset("google"), "Google", "https://app.example.com/cb");
        CHECK(p.tokenName == "Google");
        CHECK(p.redirectUrl == "https://app.example.com/cb");
        CHECK(p.preset == "google");
        CHECK(p.grantType == oauth::GrantType::AuthorizationCode);
        CHECK(p.authorizationUrl == "https://accounts.google.com/o/oauth2/v2/auth");
        CHECK(p.accessTokenUrl == "https://oauth2.googleapis.com/token");
        CHECK(p.deviceAuthorizationUrl == "https://oauth2.googleapis.com/device/code");
        CHECK(p.revocationUrl == "https://oauth2.googleapis.com/revoke");
        CHECK(p.introspectionUrl == "");
        CHECK(p.discoveryUrl == "https://accounts.google.com");
        CHECK(p.scopes == "openid email profile");
        CHECK(p.authUrlParams == "access_type=offline\nprompt=consent");
        CHECK(p.clientId == "");
        CHECK(p.useRelay == false);
    }
    SECTION("the local demo server comes with its client") {
        const Profile p =
            ProfileFromPreset(*FindPreset("local-demo"), "Demo", "http://127.0.0.1:8000/callback.html");
        CHECK(p.clientId == "basic-client");
        CHECK(p.clientSecret == "basic-secret");
        CHECK(p.clientAuthentication == oauth::ClientAuthentication::BasicHeader);
        CHECK(p.authorizationUrl == "http://127.0.0.1:9400/auth");
        CHECK(p.accessTokenUrl == "http://127.0.0.1:9400/token");
        CHECK(p.deviceAuthorizationUrl == "http://127.0.0.1:9400/device/auth");
        CHECK(p.revocationUrl == "http://127.0.0.1:9400/token/revocation");
        CHECK(p.introspectionUrl == "http://127.0.0.1:9400/token/introspection");
        CHECK(p.discoveryUrl == "http://127.0.0.1:9400");
        CHECK(p.scopes == "openid offline_access api:read");
        CHECK(ValidateProfile(p, {}).empty());
    }
    SECTION("Dropbox asks for offline access and has no RFC 7009 revocation URL") {
        const Profile p = ProfileFromPreset(*FindPreset("dropbox"), "Dropbox", "https://app.example.com/cb");
        CHECK(p.authUrlParams == "token_access_type=offline");
        CHECK(p.revocationUrl == "");
        CHECK(p.accessTokenUrl == "https://api.dropboxapi.com/oauth2/token");
    }
    SECTION("LinkedIn needs the relay and sends its secret in the body") {
        const Preset& linkedin = *FindPreset("linkedin");
        CHECK_FALSE(linkedin.browserTokenCalls);
        CHECK(linkedin.hosts == Strings{"www.linkedin.com"});
        const Profile p = ProfileFromPreset(linkedin, "LinkedIn", "https://app.example.com/cb");
        CHECK(p.clientAuthentication == oauth::ClientAuthentication::Body);
        CHECK(p.introspectionUrl == "https://www.linkedin.com/oauth/v2/introspectToken");
    }
}

TEST_CASE("Placeholders of a fresh preset are flagged before any request", "[presets]") {
    SECTION("Microsoft Entra ID: only the fields authorization_code sends") {
        Profile p = ProfileFromPreset(*FindPreset("entra"), "Entra", "https://app.example.com/cb");
        p.clientId = "11111111-2222-3333-4444-555555555555";
        CHECK(Lines(ValidateProfile(p, {})) ==
              Strings{"authorizationUrl: Replace {tenant} in the Authorization URL with your value.",
                      "accessTokenUrl: Replace {tenant} in the Access Token URL with your value."});
        p.grantType = oauth::GrantType::DeviceCode;
        CHECK(
            Lines(ValidateProfile(p, {})) ==
            Strings{
                "accessTokenUrl: Replace {tenant} in the Access Token URL with your value.",
                "deviceAuthorizationUrl: Replace {tenant} in the Device Authorization URL with your value."});
        CHECK(Lines(ValidateOptionalEndpoints(p)) ==
              Strings{"discoveryUrl: Replace {tenant} in the Issuer / discovery URL with your value."});
    }
    SECTION("Amazon Cognito") {
        Profile p = ProfileFromPreset(*FindPreset("cognito"), "Cognito", "https://app.example.com/cb");
        p.clientId = "client";
        CHECK(Lines(FindUnfilledPlaceholders(p)) ==
              Strings{"authorizationUrl: Replace {domain} in the Authorization URL with your value.",
                      "authorizationUrl: Replace {region} in the Authorization URL with your value.",
                      "accessTokenUrl: Replace {domain} in the Access Token URL with your value.",
                      "accessTokenUrl: Replace {region} in the Access Token URL with your value.",
                      "revocationUrl: Replace {domain} in the Revocation URL with your value.",
                      "revocationUrl: Replace {region} in the Revocation URL with your value.",
                      "discoveryUrl: Replace {region} in the Issuer / discovery URL with your value.",
                      "discoveryUrl: Replace {userPoolId} in the Issuer / discovery URL with your value."});
    }
    SECTION("presets without placeholders have none") {
        for (const char* id : {"google", "dropbox", "linkedin", "local-demo"})
            CHECK(FindUnfilledPlaceholders(ProfileFromPreset(*FindPreset(id), "T", "https://a/cb")).empty());
    }
}

TEST_CASE("Each preset's guidance names its grants and how to register", "[presets]") {
    const auto contains = [](const std::string& text, const char* part) {
        return text.find(part) != std::string::npos;
    };
    CHECK(contains(FindPreset("entra")->guidance, "\"Single-page application\" platform"));
    CHECK(contains(FindPreset("entra")->guidance, "Under \"Web\""));
    CHECK(contains(FindPreset("entra")->guidance, "AADSTS9002326"));
    CHECK(contains(FindPreset("entra")->guidance, "AADSTS7000215"));
    CHECK(contains(FindPreset("google")->guidance, "redirect_uri_mismatch"));
    CHECK(contains(FindPreset("cognito")->guidance, "invalid_client"));
    CHECK(contains(FindPreset("google")->guidance, "\"Web application\""));
    CHECK(contains(FindPreset("cognito")->guidance, "device"));
    CHECK(contains(FindPreset("dropbox")->guidance, "Bearer"));
    CHECK(contains(FindPreset("linkedin")->guidance, "relay"));
    CHECK(contains(FindPreset("local-demo")->guidance, "alice / wonderland"));
    for (const Preset& preset : Presets()) {
        INFO(preset.id);
        CHECK(contains(preset.guidance, "Supports"));
    }
}

TEST_CASE("The placeholder form asks for each placeholder once, in field order", "[presets][placeholders]") {
    CHECK(PlaceholdersInUrls(ProfileFromPreset(*FindPreset("entra"), "E", "https://a/cb")) ==
          Strings{"tenant"});
    CHECK(PlaceholdersInUrls(ProfileFromPreset(*FindPreset("cognito"), "C", "https://a/cb")) ==
          Strings{"domain", "region", "userPoolId"});
    for (const char* id : {"google", "dropbox", "linkedin", "local-demo"})
        CHECK(PlaceholdersInUrls(ProfileFromPreset(*FindPreset(id), "T", "https://a/cb")).empty());
    Profile p;
    p.issuer = "https://x/{issuerPart}";
    p.redirectUrl = "https://{host}/cb";
    p.clientId = "{notAUrl}"; // the form fills URLs; a Client ID is typed into its own field
    CHECK(PlaceholdersInUrls(p) == Strings{"host", "issuerPart"});
}

TEST_CASE("A placeholder value goes into every URL of the profile, the Discovery URL included",
          "[presets][placeholders]") {
    Profile p = ProfileFromPreset(*FindPreset("entra"), "Entra", "https://app.example.com/cb");
    CHECK(FillPlaceholder(p, "tenant", "contoso.onmicrosoft.com") == 4);
    CHECK(p.authorizationUrl ==
          "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    CHECK(p.accessTokenUrl == "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    CHECK(p.deviceAuthorizationUrl ==
          "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
    CHECK(p.discoveryUrl == "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0");
    CHECK(PlaceholdersInUrls(p).empty());
    CHECK(FillPlaceholder(p, "tenant", "other") == 0);

    Profile c = ProfileFromPreset(*FindPreset("cognito"), "Cognito", "https://app.example.com/cb");
    CHECK(FillPlaceholder(c, "region", "eu-west-1") == 4);
    CHECK(c.accessTokenUrl == "https://{domain}.auth.eu-west-1.amazoncognito.com/oauth2/token");
    CHECK(c.discoveryUrl == "https://cognito-idp.eu-west-1.amazonaws.com/{userPoolId}");
    CHECK(FillPlaceholder(c, "domain", "my-app") == 3);
    CHECK(FillPlaceholder(c, "userPoolId", "eu-west-1_AbC123") == 1);
    CHECK(c.revocationUrl == "https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/revoke");
    CHECK(c.discoveryUrl == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    c.clientId = "client";
    CHECK(ValidateProfile(c, {}).empty());
    CHECK(ValidateOptionalEndpoints(c).empty());
}

TEST_CASE("A placeholder value must fit a host name or a path segment", "[presets][placeholders]") {
    CHECK(CheckPlaceholderValue("tenant", "contoso.onmicrosoft.com") == std::nullopt);
    CHECK(CheckPlaceholderValue("tenant", "11111111-2222-3333-4444-555555555555") == std::nullopt);
    CHECK(CheckPlaceholderValue("userPoolId", "eu-west-1_AbC123") == std::nullopt);
    CHECK(CheckPlaceholderValue("tenant", "") == "Type a value for {tenant} first.");
    CHECK(CheckPlaceholderValue("tenant", "contoso/evil") ==
          "The value for {tenant} may hold only letters, digits, '.', '-' and '_' (it goes into a host name "
          "or a path segment); \"/\" is not allowed.");
    CHECK(CheckPlaceholderValue("domain", "my app") ==
          "The value for {domain} may hold only letters, digits, '.', '-' and '_' (it goes into a host name "
          "or a path segment); \" \" is not allowed.");
}

// A host pattern of the relay's allowlist as serve.py reads it: exact, or "*." for any subdomain.
static bool HostOnList(const std::string& host, const Strings& patterns) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
        if (pattern.rfind("*.", 0) != 0)
            return host == pattern;
        const std::string suffix = pattern.substr(1);
        return host.size() > suffix.size() &&
               host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
    });
}

TEST_CASE("The presets' relay hosts come from static/relay-hosts.json and cover their POST endpoints",
          "[presets]") {
    // The file serve.py reads: the page was built with this very text.
    CHECK(RelayHostsDocument().find("\"presets\"") != std::string_view::npos);
    CHECK(FindPreset("entra")->hosts == Strings{"login.microsoftonline.com", "login.microsoft.com"});
    CHECK(FindPreset("google")->hosts == Strings{"oauth2.googleapis.com", "accounts.google.com"});
    CHECK(FindPreset("cognito")->hosts == Strings{"*.amazoncognito.com"});
    CHECK(FindPreset("local-demo")->hosts.empty());
    CHECK(RelayHostsOf("no-such-preset").empty());
    for (const Preset& preset : Presets()) {
        if (preset.id == "local-demo")
            continue;
        for (const std::string* url : {&preset.accessTokenUrl, &preset.deviceAuthorizationUrl,
                                       &preset.revocationUrl, &preset.introspectionUrl}) {
            if (url->empty())
                continue;
            const std::size_t start = url->find("://") + 3;
            const std::string host = url->substr(start, url->find('/', start) - start);
            INFO(preset.id << ": " << *url);
            CHECK(HostOnList(host, preset.hosts));
        }
    }
}

#include "core/validation.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("Complete profiles of each grant type are valid", "[validation]") {
    CHECK(ValidateProfile(test::AuthorizationCodeProfile(), {"Other"}).empty());
    CHECK(ValidateProfile(test::PasswordProfile(), {}).empty());
    CHECK(ValidateProfile(test::ClientCredentialsProfile(), {}).empty());
}

TEST_CASE("An empty authorization code profile lists every missing field", "[validation]") {
    Profile profile;
    CHECK(Lines(ValidateProfile(profile, {})) == Lines_t{
                                                     "tokenName: Token Name is required.",
                                                     "clientId: Client ID is required.",
                                                     "authorizationUrl: Authorization URL is required.",
                                                     "redirectUrl: Redirect URL is required.",
                                                     "accessTokenUrl: Access Token URL is required.",
                                                 });
}

TEST_CASE("Each grant requires only the fields it uses", "[validation]") {
    SECTION("password needs username and password, not the authorization or redirect URL") {
        Profile profile = test::PasswordProfile();
        profile.authorizationUrl = "";
        profile.redirectUrl = "";
        profile.username = " ";
        profile.password = "";
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"username: Username is required.", "password: Password is required."});
    }
    SECTION("client_credentials needs a client secret, not a username") {
        Profile profile = test::ClientCredentialsProfile();
        profile.authorizationUrl = "not a url";
        profile.clientSecret = "";
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"clientSecret: Client Secret is required for the client_credentials grant."});
    }
    SECTION("authorization_code accepts a public client") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.clientSecret = "";
        CHECK(ValidateProfile(profile, {}).empty());
    }
}

TEST_CASE("Token Name must be unique ignoring case", "[validation]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.tokenName = "my API ";
    CHECK(Lines(ValidateProfile(profile, {"Other", "My Api"})) ==
          Lines_t{"tokenName: Token Name must be unique: another profile is already named \"My Api\"."});
    profile.tokenName = "   ";
    CHECK(Lines(ValidateProfile(profile, {})) == Lines_t{"tokenName: Token Name is required."});
}

TEST_CASE("Endpoint URLs must be absolute https, or http on a loopback host", "[validation][url]") {
    const std::string_view label = "Access Token URL";
    SECTION("accepted") {
        for (const char* url :
             {"https://id.example.com/token", "HTTPS://ID.EXAMPLE.COM", "http://localhost:8080/cb",
              "http://127.0.0.1/cb", "http://[::1]:3000/cb", "https://h/t?tenant=x"})
            CHECK(CheckEndpointUrl(url, label) == std::nullopt);
    }
    SECTION("required") {
        CHECK(CheckEndpointUrl(" ", label) == "Access Token URL is required.");
    }
    SECTION("spaces") {
        CHECK(CheckEndpointUrl("https://id.example.com/to ken", label) ==
              "Access Token URL must not contain spaces.");
    }
    SECTION("relative or hostless") {
        for (const char* url : {"id.example.com/token", "/token", "https:///token", "https://h:x/"})
            CHECK(CheckEndpointUrl(url, label) ==
                  "Access Token URL must be an absolute URL, like https://example.com/path.");
    }
    SECTION("another scheme") {
        CHECK(CheckEndpointUrl("ftp://id.example.com/token", label) ==
              "Access Token URL must start with https://.");
    }
    SECTION("http on a remote host says why") {
        CHECK(CheckEndpointUrl("http://id.example.com/token", label) ==
              "Access Token URL uses http:// for a remote host; only loopback hosts (localhost, 127.0.0.1, "
              "[::1]) "
              "may use http, so use https://.");
    }
    SECTION("a fragment") {
        CHECK(CheckEndpointUrl("https://id.example.com/token#x", label) ==
              "Access Token URL must not contain a fragment (#...).");
    }
}

TEST_CASE("Validation checks URL fields with their own labels", "[validation]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.authorizationUrl = "http://id.example.com/authorize";
    profile.redirectUrl = "app.example.com/callback";
    profile.issuer = "https://id.example.com#x";
    CHECK(Lines(ValidateProfile(profile, {})) ==
          Lines_t{"authorizationUrl: Authorization URL uses http:// for a remote host; only loopback hosts "
                  "(localhost, 127.0.0.1, [::1]) may use http, so use https://.",
                  "redirectUrl: Redirect URL must be an absolute URL, like https://example.com/path."});
    CHECK(Lines(ValidateOptionalEndpoints(profile)) ==
          Lines_t{"issuer: Issuer must not contain a fragment (#...)."});
}

TEST_CASE("Auth. URL Params are checked for authorization_code only", "[validation]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.authUrlParams = "prompt=consent\nstate=abc&audience";
    CHECK(Lines(ValidateProfile(profile, {})) ==
          Lines_t{
              "authUrlParams: Auth. URL Params must not set \"state\": the page sets this protocol parameter "
              "itself.",
              "authUrlParams: Auth. URL Params: \"audience\" is not a key=value pair."});
    profile.grantType = oauth::GrantType::ClientCredentials;
    CHECK(ValidateProfile(profile, {}).empty());
}

TEST_CASE("The device_code grant needs the device authorization and token URLs, not a secret",
          "[validation][device]") {
    Profile profile = test::DeviceCodeProfile();
    CHECK(ValidateProfile(profile, {}).empty());
    SECTION("both URLs are required") {
        profile.deviceAuthorizationUrl = "";
        profile.accessTokenUrl = " ";
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"accessTokenUrl: Access Token URL is required.",
                      "deviceAuthorizationUrl: Device Authorization URL is required."});
    }
    SECTION("the Device Authorization URL is checked like the other endpoints") {
        profile.deviceAuthorizationUrl = "http://id.example.com/device";
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"deviceAuthorizationUrl: Device Authorization URL uses http:// for a remote host; only "
                      "loopback hosts (localhost, 127.0.0.1, [::1]) may use http, so use https://."});
    }
    SECTION("other grants ignore the Device Authorization URL") {
        profile = test::PasswordProfile();
        profile.deviceAuthorizationUrl = "not a url";
        CHECK(ValidateProfile(profile, {}).empty());
    }
}

TEST_CASE("Revocation, introspection and discovery URLs are the tools' business, checked when filled",
          "[validation]") {
    Profile profile = test::ClientCredentialsProfile();
    CHECK(ValidateOptionalEndpoints(profile).empty());
    profile.revocationUrl = "https://id.example.com/revoke#x";
    profile.introspectionUrl = "id.example.com/introspect";
    profile.discoveryUrl = "ftp://id.example.com";
    CHECK(ValidateProfile(profile, {}).empty()); // the grant sends none of them
    CHECK(
        Lines(ValidateOptionalEndpoints(profile)) ==
        Lines_t{"revocationUrl: Revocation URL must not contain a fragment (#...).",
                "introspectionUrl: Introspection URL must be an absolute URL, like https://example.com/path.",
                "discoveryUrl: Issuer / discovery URL must start with https://."});
    profile.revocationUrl = "https://id.example.com/revoke";
    profile.introspectionUrl = "http://127.0.0.1:9400/token/introspection";
    profile.discoveryUrl = "https://id.example.com/.well-known/openid-configuration";
    CHECK(ValidateOptionalEndpoints(profile).empty());
}

TEST_CASE("A tool checks its own URL and names a placeholder first", "[validation][presets]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.discoveryUrl = "https://login.microsoftonline.com/{tenant}/v2.0";
    REQUIRE(CheckToolUrl(profile, "discoveryUrl"));
    CHECK(CheckToolUrl(profile, "discoveryUrl")->message ==
          "Replace {tenant} in the Issuer / discovery URL with your value.");
    CHECK(CheckToolUrl(profile, "revocationUrl")->message == "Revocation URL is required.");
    profile.revocationUrl = "https://id.example.com/revoke";
    CHECK(CheckToolUrl(profile, "revocationUrl") == std::nullopt);
    CHECK(CheckToolUrl(profile, "accessTokenUrl") == std::nullopt); // not a tool field
}

TEST_CASE("Each grant uses its own fields", "[validation]") {
    CHECK(GrantUsesField(oauth::GrantType::AuthorizationCode, "authorizationUrl"));
    CHECK(GrantUsesField(oauth::GrantType::AuthorizationCode, "redirectUrl"));
    CHECK_FALSE(GrantUsesField(oauth::GrantType::AuthorizationCode, "deviceAuthorizationUrl"));
    CHECK_FALSE(GrantUsesField(oauth::GrantType::ClientCredentials, "authorizationUrl"));
    CHECK(GrantUsesField(oauth::GrantType::DeviceCode, "deviceAuthorizationUrl"));
    CHECK(GrantUsesField(oauth::GrantType::Password, "password"));
    CHECK_FALSE(GrantUsesField(oauth::GrantType::Password, "revocationUrl"));
    CHECK(GrantUsesField(oauth::GrantType::ClientCredentials, "accessTokenUrl"));
}

TEST_CASE("Placeholders left from a preset are flagged with the field's label", "[validation][presets]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.authorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize";
    profile.accessTokenUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/token";
    profile.discoveryUrl = "https://cognito-idp.{region}.amazonaws.com/{userPoolId}";
    profile.clientId = "{clientId}";
    profile.revocationUrl = "https://h/{a}/{a}/{ not}/{1x}/{}";
    const Lines_t expected = {
        "clientId: Replace {clientId} in the Client ID with your value.",
        "authorizationUrl: Replace {tenant} in the Authorization URL with your value.",
        "accessTokenUrl: Replace {domain} in the Access Token URL with your value.",
        "accessTokenUrl: Replace {region} in the Access Token URL with your value.",
        "revocationUrl: Replace {a} in the Revocation URL with your value.",
        "discoveryUrl: Replace {region} in the Issuer / discovery URL with your value.",
        "discoveryUrl: Replace {userPoolId} in the Issuer / discovery URL with your value.",
    };
    CHECK(Lines(FindUnfilledPlaceholders(profile)) == expected);
    SECTION("ValidateProfile reports those of the grant's fields instead of the field's other errors") {
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"clientId: Replace {clientId} in the Client ID with your value.",
                      "authorizationUrl: Replace {tenant} in the Authorization URL with your value.",
                      "accessTokenUrl: Replace {domain} in the Access Token URL with your value.",
                      "accessTokenUrl: Replace {region} in the Access Token URL with your value."});
    }
    SECTION("a placeholder in a field the grant does not use never blocks it") {
        profile = test::PasswordProfile();
        profile.deviceAuthorizationUrl = "https://{domain}/device";
        profile.authorizationUrl = "https://{domain}/authorize";
        CHECK(ValidateProfile(profile, {}).empty());
        profile.grantType = oauth::GrantType::DeviceCode;
        CHECK(Lines(ValidateProfile(profile, {})) ==
              Lines_t{"deviceAuthorizationUrl: Replace {domain} in the Device Authorization URL with your "
                      "value."});
    }
    SECTION("a filled profile has none") {
        CHECK(FindUnfilledPlaceholders(test::AuthorizationCodeProfile()).empty());
    }
}

TEST_CASE("URL fields refuse what the browser would read differently", "[validation][url]") {
    const std::string_view label = "Access Token URL";
    SECTION("the reproduced backslash bypass of the loopback-only http rule") {
        CHECK(
            CheckEndpointUrl("http://127.0.0.1:9501\\@127.0.0.2:9/token", label) ==
            "Access Token URL must not contain a backslash (\\): browsers read it as a slash, so the request "
            "would go to another host than the one checked.");
        CHECK(
            CheckEndpointUrl("https://id.example.com/token?x=\\", label) ==
            "Access Token URL must not contain a backslash (\\): browsers read it as a slash, so the request "
            "would go to another host than the one checked.");
    }
    SECTION("an IPv4 address that only looks like loopback") {
        // WHATWG reads 0127 as octal: the browser would send http to 87.0.0.1.
        CHECK(
            CheckEndpointUrl("http://0127.0.0.1/token", label) ==
            "Access Token URL must write an IPv4 address as four decimal numbers without leading zeros, like "
            "127.0.0.1: browsers read forms such as 0127.0.0.1, 127.1 or 0x7f.0.0.1 as other addresses.");
    }
    SECTION("a percent-encoded host") {
        CHECK(
            CheckEndpointUrl("http://127.0.0.%31/token", label) ==
            "Access Token URL must not percent-encode its host: browsers decode it, so the host they call is "
            "not the one written.");
    }
    SECTION("control characters that are not white space") {
        CHECK(CheckEndpointUrl("https://id.example.com/\x01token", label) ==
              "Access Token URL must not contain spaces, tabs, line breaks or other control characters.");
    }
    SECTION("a user name or password") {
        for (const char* url : {"https://user:pw@id.example.com/token", "https://@id.example.com/token",
                                "http://127.0.0.2@127.0.0.1/token"})
            CHECK(CheckEndpointUrl(url, label) ==
                  "Access Token URL must not contain a user name or password (text before '@' in the host).");
        CHECK(CheckEndpointUrl("https://id.example.com/token/@me", label) == std::nullopt);
    }
    SECTION("every URL field of a profile") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.redirectUrl = "http://localhost:9\\@evil.example/cb";
        profile.revocationUrl = "https://id.example.com\\revoke";
        const auto errors = ValidateProfile(profile, {});
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == "redirectUrl");
        // The Revocation URL is Revoke's business (issue 9): checked with the tools' URLs.
        const auto optional = ValidateOptionalEndpoints(profile);
        REQUIRE(optional.size() == 1);
        CHECK(optional[0].field == "revocationUrl");
    }
}

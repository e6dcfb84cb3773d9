#include "core/authenticated_request.h"

#include "core/client_assertion.h"
#include "core/device_authorization.h"
#include "core/introspection.h"
#include "core/pushed_authorization.h"
#include "core/revocation.h"
#include "core/token_request.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace oauth;
using namespace oauth::test;

namespace {

Profile EveryEndpointProfile() {
    Profile p = WithToolEndpoints(ClientCredentialsProfile());
    p.clientSecret = "a:b+c g";
    p.scopes = "api.read";
    p.deviceAuthorizationUrl = "https://id.example.com/device";
    return p;
}

struct EndpointCase {
    const char* name;
    std::string url;
    std::string params; // the endpoint's own form fields, encoded
    std::function<HttpRequest(const Profile&)> build;
};

std::vector<EndpointCase> EveryEndpoint() {
    return {
        {"token (client credentials)", "https://id.example.com/token",
         "grant_type=client_credentials&scope=api.read",
         [](const Profile& p) { return BuildClientCredentialsTokenRequest(p); }},
        {"token (refresh)", "https://id.example.com/token", "grant_type=refresh_token&refresh_token=rt%2B1",
         [](const Profile& p) { return BuildRefreshTokenRequest(p, "rt+1"); }},
        {"token (device code poll)", "https://id.example.com/token",
         "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dc",
         [](const Profile& p) { return BuildDeviceTokenRequest(p, "dc"); }},
        {"device authorization", "https://id.example.com/device", "scope=api.read",
         [](const Profile& p) { return BuildDeviceAuthorizationRequest(p); }},
        {"revocation", "https://id.example.com/revoke", "token=at&token_type_hint=access_token",
         [](const Profile& p) { return BuildRevocationRequest(p, "at", kTokenTypeHintAccessToken); }},
        {"introspection", "https://id.example.com/introspect", "token=at&token_type_hint=access_token",
         [](const Profile& p) { return BuildIntrospectionRequest(p, "at", kTokenTypeHintAccessToken); }},
    };
}

} // namespace

TEST_CASE("One authenticated POST carries the form, Accept and the client's credentials (RFC 6749 2.3.1)",
          "[authenticated-request]") {
    Profile profile = EveryEndpointProfile();
    const FormParams params = {{"token", "t+1"}};
    SECTION("Basic, form-encoded first") {
        const HttpRequest request = BuildAuthenticatedPost(profile, "https://id.example.com/x", params);
        CHECK(request.method == "POST");
        CHECK(request.url == "https://id.example.com/x");
        CHECK(request.headers == WithAuthorization("Basic " + Base64Encode("client-1:a%3Ab%2Bc+g")));
        CHECK(request.body == "token=t%2B1");
    }
    SECTION("Basic as typed (basicUnencoded)") {
        profile.basicUnencoded = true;
        const HttpRequest request = BuildAuthenticatedPost(profile, "https://id.example.com/x", params);
        CHECK(request.headers == WithAuthorization("Basic " + Base64Encode("client-1:a:b+c g")));
        CHECK(request.body == "token=t%2B1");
    }
    SECTION("body: client_id and client_secret after the endpoint's fields") {
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        const HttpRequest request = BuildAuthenticatedPost(profile, "https://id.example.com/x", params);
        CHECK(request.headers == kFormHeaders);
        CHECK(request.body == "token=t%2B1&client_id=client-1&client_secret=a%3Ab%2Bc+g");
    }
    SECTION("public client: client_id alone, whatever the setting") {
        profile.clientSecret = "";
        for (const oauth::ClientAuthentication setting :
             {oauth::ClientAuthentication::BasicHeader, oauth::ClientAuthentication::Body}) {
            profile.clientAuthentication = setting;
            const HttpRequest request = BuildAuthenticatedPost(profile, "https://id.example.com/x", params);
            CHECK(request.headers == kFormHeaders);
            CHECK(request.body == "token=t%2B1&client_id=client-1");
        }
    }
}

TEST_CASE("Every client-authenticated endpoint is sent by the one authenticated POST",
          "[authenticated-request]") {
    for (const EndpointCase& endpoint : EveryEndpoint()) {
        INFO(endpoint.name);
        Profile profile = EveryEndpointProfile();
        SECTION(std::string(endpoint.name) + ": Basic") {
            const HttpRequest request = endpoint.build(profile);
            CHECK(request.method == "POST");
            CHECK(request.url == endpoint.url);
            CHECK(request.headers == WithAuthorization("Basic " + Base64Encode("client-1:a%3Ab%2Bc+g")));
            CHECK(request.body == endpoint.params);
        }
        SECTION(std::string(endpoint.name) + ": Basic as typed") {
            profile.basicUnencoded = true;
            const HttpRequest request = endpoint.build(profile);
            CHECK(request.headers == WithAuthorization("Basic " + Base64Encode("client-1:a:b+c g")));
            CHECK(request.body == endpoint.params);
        }
        SECTION(std::string(endpoint.name) + ": body") {
            profile.clientAuthentication = oauth::ClientAuthentication::Body;
            const HttpRequest request = endpoint.build(profile);
            CHECK(request.headers == kFormHeaders);
            CHECK(request.body == endpoint.params + "&client_id=client-1&client_secret=a%3Ab%2Bc+g");
        }
        SECTION(std::string(endpoint.name) + ": public client") {
            profile.clientSecret = "";
            const HttpRequest request = endpoint.build(profile);
            CHECK(request.headers == kFormHeaders);
            CHECK(request.body == endpoint.params + "&client_id=client-1");
        }
        SECTION(std::string(endpoint.name) + ": the same request as BuildAuthenticatedPost") {
            const HttpRequest request = endpoint.build(profile);
            const HttpRequest direct =
                BuildAuthenticatedPost(profile, endpoint.url, DecodeForm(endpoint.params));
            CHECK(request.headers == direct.headers);
            CHECK(request.body == direct.body);
        }
    }
}

TEST_CASE("An invalid_client from revocation or introspection says how the page authenticated there",
          "[authenticated_request][revocation][introspection]") {
    Profile profile = WithToolEndpoints(ClientCredentialsProfile());
    const HttpResponse refused{
        401, {}, R"({"error":"invalid_client","error_description":"client authentication failed"})"};
    const EndpointError revocation = *ProcessRevocationResponse(refused, profile.revocationUrl).error;
    const EndpointError introspection =
        *ProcessIntrospectionResponse(refused, profile.introspectionUrl).error;

    SECTION(
        "Basic: the revocation endpoint, RFC 7009 section 2.1, and the body method refused the same way") {
        CHECK(
            ClientRefusalMessage(profile, revocation) ==
            "The revocation endpoint did not accept the client's credentials (invalid_client); check Client "
            "ID, Client Secret and Client Authentication. The provider says: \"client authentication "
            "failed\" "
            "This page authenticates to the revocation endpoint as to the token endpoint (RFC 7009 section "
            "2.1): it sent the Client ID and Client Secret in an Authorization: Basic header "
            "(client_secret_basic), so a client registered for client_secret_post is refused the same way.");
    }
    SECTION("body: the introspection endpoint, RFC 7662 section 2.1, and Basic refused the same way") {
        profile.clientAuthentication = ClientAuthentication::Body;
        CHECK(
            ClientRefusalMessage(profile, introspection) ==
            "The introspection endpoint did not accept the client's credentials (invalid_client); check "
            "Client ID, Client Secret and Client Authentication. The provider says: \"client authentication "
            "failed\" This page authenticates to the introspection endpoint as to the token endpoint (RFC "
            "7662 section 2.1): it sent the Client ID and Client Secret in the request body "
            "(client_secret_post), so a client registered for client_secret_basic is refused the same way.");
    }
    SECTION("a public client: only its Client ID went") {
        profile.clientSecret.clear();
        CHECK(DescribeClientRefusal(profile, kIntrospectionEndpoint) ==
              "This page authenticates to the introspection endpoint as to the token endpoint (RFC 7662 "
              "section 2.1): it sent the Client ID alone (no Client Secret), and a provider may refuse a "
              "client "
              "without credentials there.");
    }
    SECTION("a signed assertion: what the server may have refused in it") {
        profile.clientAuthentication = ClientAuthentication::SecretJwt;
        const std::string refusal = DescribeAssertionRefusal(profile); // test_client_assertion words it
        CHECK(refusal.rfind("The request carried a signed client assertion (HS256, aud ", 0) == 0);
        CHECK(DescribeClientRefusal(profile, kRevocationEndpoint) ==
              "This page authenticates to the revocation endpoint as to the token endpoint (RFC 7009 section "
              "2.1). " +
                  refusal);
    }
    SECTION("other errors and other endpoints are left as they are") {
        const EndpointError other =
            *ProcessRevocationResponse({400, {}, R"({"error":"invalid_request"})"}, profile.revocationUrl)
                 .error;
        CHECK(ClientRefusalMessage(profile, other) == other.message);
        CHECK(DescribeClientRefusal(profile, kTokenEndpoint).empty());
        CHECK(DescribeClientRefusal(profile, kPushedAuthorizationEndpoint).empty());
    }
}

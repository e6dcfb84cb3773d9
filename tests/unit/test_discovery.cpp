#include "core/discovery.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;
using json = nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

HttpResponse Json(const json& document) {
    return {200, {{"Content-Type", "application/json"}}, document.dump()};
}

json Document() {
    return {
        {"issuer", "https://id.example.com"},
        {"authorization_endpoint", "https://id.example.com/authorize"},
        {"token_endpoint", "https://id.example.com/token"},
        {"device_authorization_endpoint", "https://id.example.com/device"},
        {"revocation_endpoint", "https://id.example.com/revoke"},
        {"introspection_endpoint", "https://id.example.com/introspect"},
        {"userinfo_endpoint", "https://id.example.com/me"},
        {"grant_types_supported",
         {"authorization_code", "refresh_token", "client_credentials",
          "urn:ietf:params:oauth:grant-type:device_code"}},
        {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post", "none"}},
        {"code_challenge_methods_supported", {"S256"}},
        {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
        {"response_types_supported", {"code"}},
    };
}

} // namespace

TEST_CASE("The discovery document URL is derived from the issuer (OIDC Discovery 1.0 section 4)",
          "[discovery]") {
    CheckOutputs(
        DiscoveryDocumentUrl,
        {{"https://accounts.google.com", "https://accounts.google.com/.well-known/openid-configuration"},
         {" https://id.example.com/tenant/v2.0/ ",
          "https://id.example.com/tenant/v2.0/.well-known/openid-configuration"},
         {"https://id.example.com/.well-known/oauth-authorization-server/t1",
          "https://id.example.com/.well-known/oauth-authorization-server/t1"},
         {"https://id.example.com/.well-known/openid-configuration",
          "https://id.example.com/.well-known/openid-configuration"},
         {"  ", ""}});
    SECTION("the expected issuer comes from what was typed") {
        CheckOutputs(ExpectedIssuer, {{" https://accounts.google.com ", "https://accounts.google.com"},
                                      {"https://id.example.com/t/v2.0/.well-known/openid-configuration",
                                       "https://id.example.com/t/v2.0"},
                                      {"https://id.example.com/.well-known/oauth-authorization-server/t1",
                                       "https://id.example.com/t1"},
                                      {"https://id.example.com/.well-known/openid-configuration?x=1",
                                       "https://id.example.com"}});
    }
}

TEST_CASE("The discovery request is a GET asking for JSON", "[discovery]") {
    const HttpRequest request =
        BuildDiscoveryRequest("https://id.example.com/.well-known/openid-configuration");
    CHECK(request.method == "GET");
    CHECK(request.url == "https://id.example.com/.well-known/openid-configuration");
    CHECK(request.headers == HttpHeaders{{"Accept", "application/json"}});
    CHECK(request.body == "");
}

TEST_CASE("A discovery document gives the endpoints and supported values", "[discovery]") {
    const Discovery discovery = ProcessDiscoveryResponse(Json(Document()), "https://id.example.com");
    REQUIRE(discovery.ok());
    const DiscoveryMetadata& m = discovery.metadata;
    CHECK(m.issuer == "https://id.example.com");
    CHECK(m.authorizationEndpoint == "https://id.example.com/authorize");
    CHECK(m.tokenEndpoint == "https://id.example.com/token");
    CHECK(m.deviceAuthorizationEndpoint == "https://id.example.com/device");
    CHECK(m.revocationEndpoint == "https://id.example.com/revoke");
    CHECK(m.introspectionEndpoint == "https://id.example.com/introspect");
    CHECK(m.userinfoEndpoint == "https://id.example.com/me");
    CHECK(m.scopesSupported == Strings{"openid", "profile", "email", "offline_access"});
    CHECK(m.responseTypesSupported == Strings{"code"});
    CHECK(m.codeChallengeMethodsSupported == Strings{"S256"});
    CHECK(discovery.warnings.empty());
    CHECK(discovery.code == "");

    SECTION("applying it fills the issuer and every endpoint") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.authorizationUrl = "";
        ApplyDiscovery(profile, discovery);
        CHECK(profile.issuer == "https://id.example.com");
        CHECK(profile.authorizationUrl == "https://id.example.com/authorize");
        CHECK(profile.accessTokenUrl == "https://id.example.com/token");
        CHECK(profile.deviceAuthorizationUrl == "https://id.example.com/device");
        CHECK(profile.revocationUrl == "https://id.example.com/revoke");
        CHECK(profile.introspectionUrl == "https://id.example.com/introspect");
    }
    SECTION("endpoints the document lacks are left as they are") {
        json document = Document();
        document.erase("revocation_endpoint");
        document.erase("device_authorization_endpoint");
        Profile profile = test::AuthorizationCodeProfile();
        profile.revocationUrl = "https://id.example.com/typed-revoke";
        ApplyDiscovery(profile, ProcessDiscoveryResponse(Json(document)));
        CHECK(profile.revocationUrl == "https://id.example.com/typed-revoke");
        CHECK(profile.deviceAuthorizationUrl == "");
    }
    SECTION("members of the wrong type are ignored with a warning") {
        json document = Document();
        document["revocation_endpoint"] = 42;
        document["scopes_supported"] = "openid profile";
        document["grant_types_supported"] = {"authorization_code", 7};
        const Discovery odd = ProcessDiscoveryResponse(Json(document));
        REQUIRE(odd.ok());
        CHECK(odd.metadata.revocationEndpoint == "");
        CHECK_FALSE(odd.metadata.scopesSupported);
        CHECK(odd.metadata.grantTypesSupported == Strings{"authorization_code"});
        CHECK(odd.warnings ==
              Strings{"revocation_endpoint is not a string; it was ignored.",
                      "grant_types_supported has entries that are not strings; they were ignored.",
                      "scopes_supported is not an array of strings; it was ignored."});
    }
}

TEST_CASE("The document's issuer must be the expected one (OIDC Discovery 1.0 section 4.3)", "[discovery]") {
    SECTION("a different issuer is refused and nothing is applied") {
        const Discovery discovery = ProcessDiscoveryResponse(Json(Document()), "https://login.example.com");
        CHECK_FALSE(discovery.ok());
        CHECK(discovery.code == "issuer_mismatch");
        CHECK(discovery.error ==
              "The discovery document names issuer \"https://id.example.com\", not the expected "
              "\"https://login.example.com\" (OpenID Connect Discovery 1.0 section 4.3); its "
              "endpoints were not used.");
        Profile profile = test::AuthorizationCodeProfile();
        const Profile before = profile;
        ApplyDiscovery(profile, discovery);
        CHECK(profile.accessTokenUrl == before.accessTokenUrl);
        CHECK(profile.issuer == "");
        CHECK(CheckProfileAgainstDiscovery(profile, discovery).empty());
    }
    SECTION("only a trailing slash apart is accepted with a warning") {
        const Discovery discovery = ProcessDiscoveryResponse(Json(Document()), "https://id.example.com/");
        CHECK(discovery.ok());
        CHECK(discovery.warnings ==
              Strings{"The issuer \"https://id.example.com\" differs from "
                      "\"https://id.example.com/\" only by a trailing slash; the document's "
                      "issuer is used."});
    }
    SECTION("no expected issuer: not checked") {
        CHECK(ProcessDiscoveryResponse(Json(Document()), "").ok());
    }
    SECTION("no issuer in the document") {
        json document = Document();
        document.erase("issuer");
        const Discovery expected = ProcessDiscoveryResponse(Json(document), "https://id.example.com");
        CHECK(expected.code == "missing_issuer");
        CHECK(expected.error == "The discovery document has no issuer, so it cannot be checked against "
                                "\"https://id.example.com\" (OpenID Connect Discovery 1.0 section 4.3).");
        const Discovery unchecked = ProcessDiscoveryResponse(Json(document));
        CHECK(unchecked.ok());
        CHECK(unchecked.warnings ==
              Strings{"The discovery document has no issuer (RFC 8414 section 2 requires it)."});
    }
    SECTION("Entra's multi-tenant template matches the tenant typed, and is not copied to Issuer") {
        json document = Document();
        document["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0";
        const Discovery discovery =
            ProcessDiscoveryResponse(Json(document), "https://login.microsoftonline.com/common/v2.0");
        REQUIRE(discovery.ok());
        CHECK(discovery.issuerIsTemplate);
        CHECK(discovery.warnings ==
              Strings{
                  "The issuer \"https://login.microsoftonline.com/{tenantid}/v2.0\" is a template (Microsoft "
                  "Entra ID's multi-tenant metadata), so Issuer is left as it is."});
        Profile profile = test::AuthorizationCodeProfile();
        ApplyDiscovery(profile, discovery);
        CHECK(profile.issuer == "");
        CHECK(profile.accessTokenUrl == "https://id.example.com/token");
        CHECK(ProcessDiscoveryResponse(Json(document), "https://login.microsoftonline.com/a/b/v2.0").code ==
              "issuer_mismatch");
    }
}

TEST_CASE("Discovery answers that cannot be used say why", "[discovery]") {
    SECTION("no answer") {
        const Discovery d = ProcessDiscoveryResponse({});
        CHECK(d.code == "network_or_cors");
        // Worded by the one answer handler, as for every endpoint; discovery is never relayed.
        CHECK(d.error ==
              "The discovery endpoint did not answer, or refused a call from the browser (CORS); check the "
              "Issuer / discovery URL and that the provider allows this page's origin for a browser "
              "(single-page) client.");
    }
    SECTION("404") {
        const Discovery d = ProcessDiscoveryResponse({404, {}, "Not Found"});
        CHECK(d.code == "http_error");
        CHECK(d.error ==
              "The discovery URL answered HTTP 404 instead of the discovery document; check the Issuer / "
              "discovery URL.");
    }
    SECTION("not JSON") {
        const Discovery d = ProcessDiscoveryResponse({200, {}, "<html></html>"});
        CHECK(d.code == "not_json");
        CHECK(d.error == "The discovery URL answered HTTP 200 with a body that is not JSON; check the Issuer "
                         "/ discovery URL.");
    }
    SECTION("not an object") {
        const Discovery d = ProcessDiscoveryResponse({200, {}, "[1,2]"});
        CHECK(d.code == "not_json_object");
        CHECK(d.error == "The discovery URL answered HTTP 200 with JSON that is not an object.");
    }
    SECTION("empty") {
        CHECK(ProcessDiscoveryResponse({200, {}, " "}).error ==
              "The discovery URL answered HTTP 200 with an empty body.");
    }
    SECTION("no token_endpoint") {
        json document = Document();
        document.erase("token_endpoint");
        const Discovery d = ProcessDiscoveryResponse(Json(document));
        CHECK(d.code == "missing_token_endpoint");
        CHECK(d.error == "The discovery document has no token_endpoint (RFC 8414 section 2).");
    }
}

TEST_CASE("The profile is checked against what the provider lists as supported", "[discovery]") {
    Profile profile = test::AuthorizationCodeProfile();
    json document = Document();
    SECTION("everything listed: no warning") {
        CHECK(CheckProfileAgainstDiscovery(profile, ProcessDiscoveryResponse(Json(document))).empty());
        profile.grantType = oauth::GrantType::DeviceCode;
        CHECK(CheckProfileAgainstDiscovery(profile, ProcessDiscoveryResponse(Json(document))).empty());
    }
    SECTION("only form_post offered: a static page cannot receive it") {
        document["response_modes_supported"] = {"form_post"};
        CHECK(
            CheckProfileAgainstDiscovery(profile, ProcessDiscoveryResponse(Json(document))) ==
            Strings{"The provider offers only the form_post response mode (response_modes_supported), which "
                    "sends the code to the Redirect URL in a POST: a static page such as this one's callback "
                    "cannot receive a POST, so the sign-in cannot finish here."});
        document["response_modes_supported"] = {"form_post", "query"};
        CHECK(CheckProfileAgainstDiscovery(profile, ProcessDiscoveryResponse(Json(document))).empty());
        profile.grantType = oauth::GrantType::DeviceCode; // no redirect: the mode does not matter
        document["response_modes_supported"] = {"form_post"};
        CHECK(CheckProfileAgainstDiscovery(profile, ProcessDiscoveryResponse(Json(document))).empty());
    }
    SECTION("lists that leave out the grant, the method and S256") {
        document["grant_types_supported"] = {"implicit"};
        document["token_endpoint_auth_methods_supported"] = {"private_key_jwt"};
        document["code_challenge_methods_supported"] = {"plain"};
        const Discovery discovery = ProcessDiscoveryResponse(Json(document));
        CHECK(
            CheckProfileAgainstDiscovery(profile, discovery) ==
            Strings{
                "The provider's grant_types_supported does not list \"authorization_code\"; the token "
                "endpoint may refuse this grant.",
                "The provider's token_endpoint_auth_methods_supported does not list \"client_secret_basic\", "
                "the method Client Authentication \"header\" uses.",
                "The provider's code_challenge_methods_supported does not list S256, which this page always "
                "sends (RFC 7636 section 4.2)."});
        profile.grantType = oauth::GrantType::DeviceCode;
        profile.clientSecret = "";
        CHECK(
            CheckProfileAgainstDiscovery(profile, discovery) ==
            Strings{
                "The provider's grant_types_supported does not list "
                "\"urn:ietf:params:oauth:grant-type:device_code\"; the token endpoint may refuse this grant.",
                "The provider's token_endpoint_auth_methods_supported does not list \"none\", the method of "
                "a public client (no Client Secret)."});
    }
    SECTION("absent lists mean RFC 8414's defaults") {
        document.erase("grant_types_supported");
        document.erase("token_endpoint_auth_methods_supported");
        document.erase("code_challenge_methods_supported");
        const Discovery discovery = ProcessDiscoveryResponse(Json(document));
        CHECK(
            CheckProfileAgainstDiscovery(profile, discovery) ==
            Strings{
                "The provider's metadata does not say it supports PKCE (no "
                "code_challenge_methods_supported); "
                "this page sends an S256 code challenge anyway, which servers without PKCE ignore (RFC 7636 "
                "section 5)."});
        profile.grantType = oauth::GrantType::ClientCredentials;
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        CHECK(CheckProfileAgainstDiscovery(profile, discovery) ==
              Strings{
                  "The provider's metadata has no grant_types_supported, which means only authorization_code "
                  "and implicit (RFC 8414 section 2); \"client_credentials\" may be refused.",
                  "The provider's metadata has no token_endpoint_auth_methods_supported, which means only "
                  "client_secret_basic (RFC 8414 section 2); \"client_secret_post\", the method Client "
                  "Authentication \"body\" uses, may be refused."});
    }
}

TEST_CASE("Discovery reads whether the server puts iss in its authorization responses (RFC 9207 3)",
          "[discovery][mix-up]") {
    CHECK_FALSE(
        ProcessDiscoveryResponse(Json(Document())).metadata.authorizationResponseIssParameterSupported);
    json document = Document();
    document["authorization_response_iss_parameter_supported"] = true;
    const Discovery supported = ProcessDiscoveryResponse(Json(document));
    CHECK(supported.metadata.authorizationResponseIssParameterSupported);
    CHECK(supported.warnings.empty());
    document["authorization_response_iss_parameter_supported"] = "true";
    const Discovery odd = ProcessDiscoveryResponse(Json(document));
    CHECK_FALSE(odd.metadata.authorizationResponseIssParameterSupported);
    CHECK(odd.warnings ==
          std::vector<std::string>{"authorization_response_iss_parameter_supported is not true "
                                   "or false; it was read as false."});
}

TEST_CASE("A .well-known only in the query or fragment is not the document's path", "[discovery]") {
    // Found by fuzz_discovery: ExpectedIssuer threw std::out_of_range on these.
    CheckOutputs(ExpectedIssuer,
                 {{"https://id.example.com?next=/.well-known/openid-configuration", "https://id.example.com"},
                  {"https://id.example.com/t#/.well-known/x", "https://id.example.com/t"},
                  {"https://id.example.com/.well-known/openid-configuration?x=1", "https://id.example.com"}});
}

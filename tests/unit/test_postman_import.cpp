#include "core/postman_import.h"

#include "core/export_postman.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

namespace {

constexpr const char* kCallback = "https://tester.example.org/callback";

json Entry(const char* key, json value) {
    return json{{"key", key}, {"value", std::move(value)}, {"type", "string"}};
}

json OAuth2(json entries) {
    return json{{"type", "oauth2"}, {"oauth2", std::move(entries)}};
}

json Request(const char* name, json auth) {
    return json{{"name", name},
                {"request", {{"method", "GET"}, {"url", "https://api.example.com"}, {"auth", auth}}}};
}

json Collection(json items, json extra = json::object()) {
    json collection = {{"info", {{"name", "Coll"}, {"schema", kPostmanSchema}}}, {"item", std::move(items)}};
    collection.update(extra);
    return collection;
}

PostmanImportResult Import(const json& collection, const std::vector<std::string>& taken = {}) {
    return ImportPostmanCollection(collection.dump(), kCallback, taken);
}

} // namespace

TEST_CASE("A profile exported to Postman imports back with the same fields", "[postman-import]") {
    SECTION("authorization code with secret and auth URL params") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.authUrlParams = "prompt=consent\naudience=https://api.example.com";
        const PostmanImportResult result =
            ImportPostmanCollection(ExportPostmanCollection(profile, true), kCallback);
        REQUIRE(result.ok());
        CHECK(result.warnings.empty());
        REQUIRE(result.profiles.size() == 1);
        const Profile& back = result.profiles[0];
        CHECK(back.tokenName == "Demo");
        CHECK(back.grantType == oauth::GrantType::AuthorizationCode);
        CHECK(back.clientId == "client-1");
        CHECK(back.clientSecret == "s3cret");
        CHECK(back.redirectUrl == "https://app.example.com/callback");
        CHECK(back.scopes == "openid profile");
        CHECK(back.clientAuthentication == oauth::ClientAuthentication::BasicHeader);
        CHECK(back.authorizationUrl == "https://id.example.com/authorize");
        CHECK(back.accessTokenUrl == "https://id.example.com/token");
        CHECK(back.authUrlParams == "prompt=consent\naudience=https://api.example.com");
        CHECK(ProfileToJson(back) == ProfileToJson(profile));
    }
    SECTION("password with body authentication") {
        Profile profile = test::PasswordProfile();
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        profile.authorizationUrl = "";
        profile.redirectUrl = kCallback;
        const PostmanImportResult result =
            ImportPostmanCollection(ExportPostmanCollection(profile, true), kCallback);
        REQUIRE(result.profiles.size() == 1);
        CHECK(ProfileToJson(result.profiles[0]) == ProfileToJson(profile));
    }
    SECTION("client credentials without secrets: the secret comes back empty") {
        Profile profile = test::ClientCredentialsProfile();
        const PostmanImportResult result =
            ImportPostmanCollection(ExportPostmanCollection(profile, false), kCallback);
        REQUIRE(result.profiles.size() == 1);
        const Profile& back = result.profiles[0];
        CHECK(back.grantType == oauth::GrantType::ClientCredentials);
        CHECK(back.clientSecret == "");
        CHECK(back.scopes == "api.read api.write");
        CHECK(back.accessTokenUrl == "https://id.example.com/token");
    }
}

TEST_CASE("OAuth 2.0 settings are found on the collection, folders and requests", "[postman-import]") {
    const json auth = OAuth2(
        json::array({Entry("grant_type", "client_credentials"),
                     Entry("accessTokenUrl", "https://id.example.com/token"), Entry("clientId", "top")}));
    json inner =
        Request("Get user", OAuth2(json::array({Entry("grant_type", "password_credentials"),
                                                Entry("accessTokenUrl", "https://id.example.com/token"),
                                                Entry("clientId", "deep"), Entry("username", "bob")})));
    json folder = {
        {"name", "Users"},
        {"auth",
         OAuth2(json::array(
             {Entry("grant_type", "authorization_code"), Entry("authUrl", "https://id.example.com/authorize"),
              Entry("accessTokenUrl", "https://id.example.com/token"), Entry("clientId", "folder")}))},
        {"item", json::array({{{"name", "Admin"}, {"item", json::array({inner})}},
                              Request("No auth", json{{"type", "noauth"}}),
                              {{"name", "Inherits"}, {"request", {{"method", "GET"}, {"url", "x"}}}}})}};
    const PostmanImportResult result = Import(Collection(json::array({folder}), {{"auth", auth}}));
    REQUIRE(result.ok());
    REQUIRE(result.profiles.size() == 3);
    CHECK(result.profiles[0].tokenName == "Coll");
    CHECK(result.profiles[0].clientId == "top");
    CHECK(result.profiles[1].tokenName == "Users");
    CHECK(result.profiles[1].grantType == oauth::GrantType::AuthorizationCode);
    CHECK(result.profiles[1].redirectUrl == kCallback);
    CHECK(result.profiles[2].tokenName == "Get user");
    CHECK(result.profiles[2].grantType == oauth::GrantType::Password);
    CHECK(result.profiles[2].username == "bob");
    CHECK(result.warnings.empty());
}

TEST_CASE("Postman variables are resolved from the collection", "[postman-import]") {
    const json auth =
        OAuth2(json::array({Entry("grant_type", "client_credentials"),
                            Entry("accessTokenUrl", "https://{{host}}/{{tenant}}/oauth2/v2.0/token"),
                            Entry("clientId", "{{clientId}}"), Entry("clientSecret", "{{secret}}"),
                            Entry("scope", "{{scope}}")}));
    const json variables = json::array({{{"key", "host"}, {"value", "login.example.com"}},
                                        {{"key", "clientId"}, {"value", "abc-123"}},
                                        {{"key", "scope"}, {"value", "{{api}}/.default"}},
                                        {{"key", "api"}, {"value", "api://x"}},
                                        {{"key", "secret"}, {"value", "hidden"}, {"disabled", true}}});
    const PostmanImportResult result =
        Import(Collection(json::array({Request("Call", auth)}), {{"variable", variables}}));
    REQUIRE(result.profiles.size() == 1);
    const Profile& profile = result.profiles[0];
    CHECK(profile.accessTokenUrl == "https://login.example.com/{{tenant}}/oauth2/v2.0/token");
    CHECK(profile.clientId == "abc-123");
    CHECK(profile.scopes == "api://x/.default");
    CHECK(profile.clientSecret == "{{secret}}");
    CHECK(result.warnings ==
          std::vector<std::string>{
              "Request \"Call\": {{secret}}, {{tenant}} are not defined in the collection's "
              "variables (perhaps in a Postman environment) and were kept as written."});
}

TEST_CASE("Disabled authorization request parameters are left out", "[postman-import]") {
    const json params = json::array({{{"key", "prompt"}, {"value", "consent"}, {"enabled", true}},
                                     {{"key", "access_type"}, {"value", "offline"}, {"enabled", false}},
                                     {{"key", "login_hint"}, {"value", "a@b.c"}}});
    const json auth = OAuth2(json::array(
        {Entry("grant_type", "authorization_code_with_pkce"),
         Entry("authUrl", "https://id.example.com/authorize"),
         Entry("accessTokenUrl", "https://id.example.com/token"),
         Entry("clientId", "c"),
         {{"key", "authRequestParams"}, {"value", params}},
         {{"key", "tokenRequestParams"}, {"value", json::array({{{"key", "audience"}, {"value", "x"}}})}},
         Entry("useBrowser", true)}));
    const PostmanImportResult result = Import(Collection(json::array({Request("Login", auth)})));
    REQUIRE(result.profiles.size() == 1);
    CHECK(result.profiles[0].authUrlParams == "prompt=consent\nlogin_hint=a@b.c");
    CHECK(result.warnings ==
          std::vector<std::string>{"Request \"Login\": extra token request parameters (audience) "
                                   "are not supported here and were left out."});
}

TEST_CASE("The implicit grant is refused", "[postman-import]") {
    const json implicit = OAuth2(json::array({Entry("grant_type", "implicit"), Entry("clientId", "c")}));
    const PostmanImportResult only = Import(Collection(json::array({Request("Old", implicit)})));
    CHECK(only.profiles.empty());
    CHECK(only.error == "None of the collection's OAuth 2.0 settings could be imported; see the warnings.");
    CHECK(only.warnings ==
          std::vector<std::string>{
              "Request \"Old\" uses the implicit grant, which this page does not support (RFC 9700 "
              "section 2.1.2 advises against it); it was not imported. Use the authorization code "
              "grant instead."});
    SECTION("next to a supported one") {
        const json good =
            OAuth2(json::array({Entry("grant_type", "client_credentials"), Entry("clientId", "c")}));
        const PostmanImportResult mixed =
            Import(Collection(json::array({Request("Old", implicit), Request("New", good)})));
        CHECK(mixed.ok());
        REQUIRE(mixed.profiles.size() == 1);
        CHECK(mixed.profiles[0].tokenName == "New");
        CHECK(mixed.warnings.size() == 1);
    }
}

TEST_CASE("Token Names are unique and repeated settings import once", "[postman-import]") {
    const json a = OAuth2(json::array(
        {Entry("grant_type", "client_credentials"), Entry("clientId", "a"), Entry("tokenName", "Token")}));
    const json b = OAuth2(json::array(
        {Entry("grant_type", "client_credentials"), Entry("clientId", "b"), Entry("tokenName", "token")}));
    const json aAgain =
        OAuth2(json::array({Entry("grant_type", "client_credentials"), Entry("clientId", "a")}));
    const PostmanImportResult result =
        Import(Collection(json::array({Request("One", a), Request("Two", b), Request("Three", aAgain)})),
               {"Token (2)"});
    REQUIRE(result.profiles.size() == 2);
    CHECK(result.profiles[0].tokenName == "Token");
    CHECK(result.profiles[1].tokenName == "token (3)");
    CHECK(result.warnings ==
          std::vector<std::string>{
              "Request \"Three\" has the same OAuth 2.0 settings as \"Token\"; they were imported once."});
}

TEST_CASE("Postman's older object form and its own callback are understood", "[postman-import]") {
    const json auth = {{"type", "oauth2"},
                       {"oauth2",
                        {{"grant_type", "authorization_code"},
                         {"authUrl", "https://id.example.com/authorize"},
                         {"accessTokenUrl", "https://id.example.com/token"},
                         {"clientId", "c"},
                         {"redirect_uri", "https://oauth.pstmn.io/v1/callback"},
                         {"client_authentication", "body"}}}};
    const PostmanImportResult result = Import(Collection(json::array({Request("Legacy", auth)})));
    REQUIRE(result.profiles.size() == 1);
    CHECK(result.profiles[0].redirectUrl == kCallback);
    CHECK(result.profiles[0].clientAuthentication == oauth::ClientAuthentication::Body);
    CHECK(result.warnings ==
          std::vector<std::string>{
              "Request \"Legacy\" used Postman's callback https://oauth.pstmn.io/v1/callback; this "
              "page's callback https://tester.example.org/callback was put in its place. Register "
              "it with the provider as a redirect URL."});
}

TEST_CASE("Files that are not usable collections are refused with one sentence", "[postman-import]") {
    CHECK(ImportPostmanCollection("", kCallback).error == "The file is empty.");
    CHECK(ImportPostmanCollection("{", kCallback).error == "The file is not valid JSON.");
    CHECK(ImportPostmanCollection("[]", kCallback).error ==
          "The file is not a Postman collection (v2.0 or v2.1): it has no \"item\" list.");
    CHECK(ImportPostmanCollection(R"({"id":"x","name":"v1","requests":[]})", kCallback).error ==
          "This is a Postman Collection v1 file; export the collection from Postman as Collection v2.1 and "
          "import "
          "that.");
    CHECK(ImportPostmanCollection(R"({"format":"oauth-setup-profiles","version":1,"profiles":[]})", kCallback)
              .error == "This is an OAuth setup profiles export; use Import profiles instead.");
    CHECK(Import(Collection(json::array({Request("Plain", json{{"type", "bearer"}})}))).error ==
          "The collection has no OAuth 2.0 settings: no auth of type oauth2 on the collection, a folder or a "
          "request.");
    SECTION("odd values never throw") {
        const json odd = {
            {"info", "not an object"},
            {"variable", json::array({1, {{"key", "v"}, {"value", 5}, {"disabled", "yes"}}})},
            {"item",
             json::array({7,
                          {{"name", "X"},
                           {"request",
                            {{"auth",
                              {{"type", "oauth2"},
                               {"oauth2",
                                json::array({Entry("grant_type", "client_credentials"),
                                             {{"key", "clientId"}, {"value", "{{v}}"}},
                                             {{"key", "authRequestParams"},
                                              {"value", json::array({1, {{"enabled", "no"}, {"key", "k"}}})}},
                                             {{"key", 3}}})}}}}}}})}};
        const PostmanImportResult result = ImportPostmanCollection(odd.dump(), kCallback);
        REQUIRE(result.profiles.size() == 1);
        CHECK(result.profiles[0].clientId == "5");
        CHECK(result.profiles[0].authUrlParams == "k=");
    }
}

TEST_CASE("audience, resource, refreshTokenUrl and headerPrefix are read back", "[postman-import]") {
    SECTION("an exported client credentials profile keeps its audience and resource") {
        Profile profile = test::ClientCredentialsProfile();
        profile.audience = "https://api.example.com";
        profile.resource = "urn:example:api";
        profile.scopes = "api.read api.write"; // as the export normalizes them
        profile.redirectUrl = kCallback;
        profile.authorizationUrl = "";
        const PostmanImportResult result =
            ImportPostmanCollection(ExportPostmanCollection(profile, true), kCallback);
        REQUIRE(result.profiles.size() == 1);
        CHECK(result.warnings.empty());
        CHECK(ProfileToJson(result.profiles[0]) == ProfileToJson(profile));
    }
    SECTION("a hand-written collection: audience added once, other refresh URL and prefix reported") {
        const json auth = OAuth2(json::array({
            Entry("grant_type", "client_credentials"),
            Entry("accessTokenUrl", "https://id.example.com/token"),
            Entry("refreshTokenUrl", "https://id.example.com/refresh"),
            Entry("clientId", "svc"),
            Entry("audience", "{{api}}"),
            Entry("resource", json::object({{"https://a.example", "x"}})),
            Entry("headerPrefix", "Token"),
        }));
        const PostmanImportResult result = Import(Collection(
            json::array({Request("Call", auth)}),
            {{"variable", json::array({{{"key", "api"}, {"value", "https://api.example.com"}}})}}));
        REQUIRE(result.profiles.size() == 1);
        CHECK(result.profiles[0].audience == "https://api.example.com");
        CHECK(result.profiles[0].authUrlParams.empty());
        CHECK(result.warnings ==
              std::vector<std::string>{
                  "Request \"Call\": the resource setting is not a single text value; it was left out.",
                  "Request \"Call\" refreshes tokens at https://id.example.com/refresh; this page refreshes "
                  "at the "
                  "Access Token URL https://id.example.com/token (RFC 6749 section 6).",
                  "Request \"Call\" sends the token with the header prefix \"Token\"; this page sends "
                  "\"Bearer\" "
                  "(RFC 6750 section 2.1).",
              });
    }
    SECTION("an audience already in authRequestParams is not added twice") {
        const json params =
            json::array({{{"key", "audience"}, {"value", "https://api.example.com"}, {"enabled", true}}});
        const json auth = OAuth2(json::array({
            Entry("grant_type", "authorization_code_with_pkce"),
            Entry("authUrl", "https://id.example.com/authorize"),
            Entry("accessTokenUrl", "https://id.example.com/token"),
            Entry("clientId", "web"),
            json{{"key", "authRequestParams"}, {"value", params}, {"type", "any"}},
            Entry("audience", "https://api.example.com"),
            Entry("headerPrefix", "Bearer"),
        }));
        const PostmanImportResult result = Import(Collection(json::array({Request("Login", auth)})));
        REQUIRE(result.profiles.size() == 1);
        CHECK(result.profiles[0].authUrlParams == "audience=https://api.example.com");
        CHECK(result.profiles[0].audience.empty());
        CHECK(result.warnings.empty());
    }
}

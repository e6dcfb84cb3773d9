#include "core/export_postman.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

namespace {

json Entry(const char* key, json value, const char* type = "string") {
    return json{{"key", key}, {"value", std::move(value)}, {"type", type}};
}

json Pair(const char* key, const char* value) {
    return json{{"key", key}, {"value", value}};
}

json Collection(const Profile& profile, bool secrets = false, std::string userinfoUrl = "") {
    PostmanExportOptions options;
    options.includeSecrets = secrets;
    options.userinfoUrl = std::move(userinfoUrl);
    return json::parse(ExportPostmanCollection(profile, options));
}

// key -> value of the collection's variables, in order.
std::vector<std::pair<std::string, std::string>> Variables(const json& collection) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const json& v : collection.at("variable"))
        out.emplace_back(v.at("key"), v.at("value"));
    return out;
}

std::vector<std::string> ItemNames(const json& collection) {
    std::vector<std::string> names;
    for (const json& item : collection.at("item"))
        names.push_back(item.at("name"));
    return names;
}

// The script lines of an item's event ("prerequest" or "test"); empty when it has none.
std::vector<std::string> ScriptOf(const json& item, const char* listen) {
    for (const json& event : item.value("event", json::array()))
        if (event.at("listen") == listen)
            return event.at("script").at("exec");
    return {};
}

const json kFormHeaders = json::array(
    {Pair("Content-Type", "application/x-www-form-urlencoded"), Pair("Accept", "application/json")});

json WithBasic(json headers) {
    headers.push_back(Pair("Authorization", "Basic {{basic_credentials}}"));
    return headers;
}

} // namespace

TEST_CASE("The authorization code profile exports as Postman's oauth2 auth with PKCE", "[export][postman]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.scopes = "openid,profile";
    profile.authUrlParams = "prompt=consent\naudience=https://api.example.com\nresource=urn:example:api";
    const json auth = PostmanOAuth2Auth(profile, false);
    const json params = json::array({
        {{"key", "prompt"}, {"value", "consent"}, {"enabled", true}, {"send_as", "request_url"}},
        {{"key", "audience"},
         {"value", "https://api.example.com"},
         {"enabled", true},
         {"send_as", "request_url"}},
        {{"key", "resource"}, {"value", "urn:example:api"}, {"enabled", true}, {"send_as", "request_url"}},
    });
    CHECK(auth == json{{"type", "oauth2"},
                       {"oauth2", json::array({
                                      Entry("grant_type", "authorization_code_with_pkce"),
                                      Entry("tokenName", "Demo"),
                                      Entry("authUrl", "https://id.example.com/authorize"),
                                      Entry("accessTokenUrl", "https://id.example.com/token"),
                                      Entry("refreshTokenUrl", "https://id.example.com/token"),
                                      Entry("clientId", "client-1"),
                                      Entry("scope", "openid profile"),
                                      Entry("redirect_uri", "https://app.example.com/callback"),
                                      Entry("challengeAlgorithm", "S256"),
                                      Entry("authRequestParams", params, "any"),
                                      Entry("audience", "https://api.example.com"),
                                      Entry("resource", "urn:example:api"),
                                      Entry("client_authentication", "header"),
                                      Entry("addTokenTo", "header"),
                                      Entry("headerPrefix", "Bearer"),
                                      Entry("accessToken", "{{access_token}}"),
                                  })}});
    SECTION("the secret only when revealed, right after clientId") {
        const json revealed = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(revealed.at(6) == Entry("clientSecret", "s3cret"));
    }
}

TEST_CASE("Each grant maps to Postman's grant_type and keys", "[export][postman]") {
    CHECK(PostmanGrantType(oauth::GrantType::AuthorizationCode) == "authorization_code_with_pkce");
    CHECK(PostmanGrantType(oauth::GrantType::Password) == "password_credentials");
    CHECK(PostmanGrantType(oauth::GrantType::ClientCredentials) == "client_credentials");

    SECTION("password: username, and password only when revealed; body auth kept") {
        Profile profile = test::PasswordProfile();
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        const json hidden = PostmanOAuth2Auth(profile, false).at("oauth2");
        CHECK(hidden == json::array({Entry("grant_type", "password_credentials"), Entry("tokenName", "Demo"),
                                     Entry("accessTokenUrl", "https://id.example.com/token"),
                                     Entry("refreshTokenUrl", "https://id.example.com/token"),
                                     Entry("clientId", "client-1"), Entry("scope", "openid profile"),
                                     Entry("username", "alice"), Entry("client_authentication", "body"),
                                     Entry("addTokenTo", "header"), Entry("headerPrefix", "Bearer"),
                                     Entry("accessToken", "{{access_token}}")}));
        const json shown = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(shown.at(8) == Entry("password", "pa ss&word"));
    }
    SECTION("client_credentials of a public client: body, and no refreshTokenUrl (RFC 6749 4.4.3)") {
        Profile profile = test::ClientCredentialsProfile();
        profile.clientSecret = "";
        const json entries = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(entries ==
              json::array({Entry("grant_type", "client_credentials"), Entry("tokenName", "Demo"),
                           Entry("accessTokenUrl", "https://id.example.com/token"),
                           Entry("clientId", "client-1"), Entry("scope", "api.read api.write"),
                           Entry("client_authentication", "body"), Entry("addTokenTo", "header"),
                           Entry("headerPrefix", "Bearer"), Entry("accessToken", "{{access_token}}")}));
    }
}

TEST_CASE("The first request is the client credentials token request, with Basic built by a script",
          "[export][postman]") {
    Profile profile = test::ClientCredentialsProfile();
    profile.introspectionUrl = "https://id.example.com/introspect";
    const json collection = Collection(profile);
    CHECK(collection.at("info").at("name") == "Demo");
    CHECK(collection.at("info").at("schema") ==
          "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
    CHECK(collection.at("auth") == PostmanOAuth2Auth(profile, false));
    CHECK(ItemNames(collection) ==
          std::vector<std::string>{"1. Get an access token", "Check the token (introspection)"});

    const json& token = collection.at("item").at(0);
    const json& request = token.at("request");
    CHECK(request.at("auth") == json{{"type", "noauth"}});
    CHECK(request.at("method") == "POST");
    CHECK(request.at("url") == json{{"raw", "{{token_url}}"}, {"host", json::array({"{{token_url}}"})}});
    CHECK(request.at("header") == WithBasic(kFormHeaders));
    CHECK(request.at("body") == json{{"mode", "urlencoded"},
                                     {"urlencoded", json::array({Pair("grant_type", "client_credentials"),
                                                                 Pair("scope", "{{scope}}")})}});
    CHECK(request.at("description") ==
          "The client credentials grant (RFC 6749 section 4.4). Fill client_secret first if it is empty "
          "(secrets "
          "are left out of exports unless \"Include secrets in exports\" was ticked).");

    SECTION("the pre-request script form-encodes id and secret before base64 (RFC 6749 2.3.1)") {
        const std::vector<std::string> script = ScriptOf(token, "prerequest");
        REQUIRE(script.size() == 9);
        CHECK(script[3] == "const formEncode = (text) => encodeURIComponent(text)");
        CHECK(script[4] ==
              "    .replace(/[!'()~]/g, (c) => \"%\" + c.charCodeAt(0).toString(16).toUpperCase())");
        CHECK(script[5] == "    .replace(/%20/g, \"+\");");
        CHECK(script[6] == "const clientId = pm.variables.replaceIn(\"{{client_id}}\");");
        CHECK(script[7] == "const clientSecret = pm.variables.replaceIn(\"{{client_secret}}\");");
        CHECK(script[8] == "pm.variables.set(\"basic_credentials\", btoa(formEncode(clientId) + \":\" + "
                           "formEncode(clientSecret)));");
    }
    SECTION("with basicUnencoded the script sends the credentials as typed") {
        Profile raw = profile;
        raw.basicUnencoded = true;
        const json rawToken = Collection(raw).at("item").at(0);
        const std::vector<std::string> script = ScriptOf(rawToken, "prerequest");
        REQUIRE(script.size() == 5);
        CHECK(script[4] ==
              "pm.variables.set(\"basic_credentials\", btoa(unescape(encodeURIComponent(clientId + "
              "\":\" + clientSecret))));");
    }
    SECTION("the test script asserts 200 and stores access_token and refresh_token") {
        const std::vector<std::string> script = ScriptOf(token, "test");
        REQUIRE(script.size() == 11);
        CHECK(script[2] == "pm.test(\"The token endpoint answers 200 OK\", function () {");
        CHECK(script[3] == "    pm.response.to.have.status(200);");
        CHECK(script[9] ==
              "if (body.access_token) pm.collectionVariables.set(\"access_token\", body.access_token);");
        CHECK(script[10] ==
              "if (body.refresh_token) pm.collectionVariables.set(\"refresh_token\", body.refresh_token);");
    }
    SECTION("the introspection request sends the stored token with the same client authentication") {
        const json& check = collection.at("item").at(1);
        CHECK(check.at("request").at("url").at("raw") == "{{introspection_url}}");
        CHECK(check.at("request").at("header") == WithBasic(kFormHeaders));
        CHECK(check.at("request").at("body").at("urlencoded") ==
              json::array({Pair("token", "{{access_token}}"), Pair("token_type_hint", "access_token")}));
        CHECK(ScriptOf(check, "prerequest") == ScriptOf(token, "prerequest"));
        CHECK(ScriptOf(check, "test").at(6) == "    pm.expect(body.active).to.equal(true);");
    }
    SECTION("variables: the secret stays empty unless secrets are included") {
        const std::vector<std::pair<std::string, std::string>> expected = {
            {"token_url", "https://id.example.com/token"},
            {"client_id", "client-1"},
            {"client_secret", ""},
            {"scope", "api.read api.write"},
            {"introspection_url", "https://id.example.com/introspect"},
            {"basic_credentials", ""},
            {"access_token", ""},
            {"refresh_token", ""},
        };
        CHECK(Variables(collection) == expected);
        CHECK(ExportPostmanCollection(profile, false).find("s3cret") == std::string::npos);
        CHECK(Variables(Collection(profile, true)).at(2) ==
              std::pair<std::string, std::string>{"client_secret", "s3cret"});
    }
}

TEST_CASE("Body authentication, public clients and the password grant put credentials in the form",
          "[export][postman]") {
    SECTION("password grant with body authentication: no script, password empty unless revealed") {
        Profile profile = test::PasswordProfile();
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        const json collection = Collection(profile);
        const json& token = collection.at("item").at(0);
        CHECK(ScriptOf(token, "prerequest").empty());
        CHECK(token.at("request").at("header") == kFormHeaders);
        CHECK(token.at("request").at("body").at("urlencoded") ==
              json::array({Pair("grant_type", "password"), Pair("username", "{{username}}"),
                           Pair("password", "{{password}}"), Pair("scope", "{{scope}}"),
                           Pair("client_id", "{{client_id}}"), Pair("client_secret", "{{client_secret}}")}));
        const std::vector<std::pair<std::string, std::string>> hidden = {
            {"token_url", "https://id.example.com/token"},
            {"client_id", "client-1"},
            {"client_secret", ""},
            {"scope", "openid profile"},
            {"username", "alice"},
            {"password", ""},
            {"api_url", ""},
            {"access_token", ""},
            {"refresh_token", ""},
        };
        CHECK(Variables(collection) == hidden);
        const std::string revealed = ExportPostmanCollection(profile, true);
        CHECK(Variables(json::parse(revealed)).at(5) ==
              std::pair<std::string, std::string>{"password", "pa ss&word"});
        CHECK(ExportPostmanCollection(profile, false).find("pa ss&word") == std::string::npos);
    }
    SECTION("a public client sends only client_id, and has no client_secret variable") {
        Profile profile = test::ClientCredentialsProfile();
        profile.clientSecret = "";
        const json collection = Collection(profile);
        CHECK(collection.at("item").at(0).at("request").at("body").at("urlencoded") ==
              json::array({Pair("grant_type", "client_credentials"), Pair("scope", "{{scope}}"),
                           Pair("client_id", "{{client_id}}")}));
        for (const auto& [key, value] : Variables(collection))
            CHECK(key != "client_secret");
    }
    SECTION("no scope: no scope field and no scope variable") {
        Profile profile = test::ClientCredentialsProfile();
        profile.scopes = " ";
        const json collection = Collection(profile);
        CHECK(collection.at("item").at(0).at("request").at("body").at("urlencoded") ==
              json::array({Pair("grant_type", "client_credentials")}));
        for (const auto& [key, value] : Variables(collection))
            CHECK(key != "scope");
    }
}

TEST_CASE("The second request uses the token: UserInfo, introspection or the API", "[export][postman]") {
    SECTION("a known UserInfo endpoint and openid: GET that inherits the oauth2 Bearer auth") {
        Profile profile = test::PasswordProfile();
        const json collection = Collection(profile, false, "https://id.example.com/userinfo");
        CHECK(ItemNames(collection) ==
              std::vector<std::string>{"1. Get an access token", "2. Call UserInfo with the token"});
        const json& call = collection.at("item").at(1);
        CHECK(call.at("request") ==
              json{{"method", "GET"},
                   {"header", json::array({Pair("Accept", "application/json")})},
                   {"url", {{"raw", "{{userinfo_url}}"}, {"host", json::array({"{{userinfo_url}}"})}}},
                   {"description",
                    "OpenID Connect Core 1.0 section 5.3: sends Authorization: Bearer "
                    "{{access_token}} (the collection's OAuth 2.0 auth) and expects the user's claims."}});
        CHECK(ScriptOf(call, "test").at(6) == "    pm.expect(body.sub).to.be.a(\"string\").and.not.empty;");
        CHECK(Variables(collection).at(6) ==
              std::pair<std::string, std::string>{"userinfo_url", "https://id.example.com/userinfo"});
    }
    SECTION("client credentials never call UserInfo: there is no user") {
        const json collection =
            Collection(test::ClientCredentialsProfile(), false, "https://id.example.com/userinfo");
        CHECK(ItemNames(collection) ==
              std::vector<std::string>{"1. Get an access token", "2. Call your API with the token"});
        CHECK(collection.at("item").at(1).at("request").at("url").at("raw") == "{{api_url}}");
    }
    SECTION("without openid in the scope, UserInfo is not offered") {
        Profile profile = test::PasswordProfile();
        profile.scopes = "api.read";
        CHECK(ItemNames(Collection(profile, false, "https://id.example.com/userinfo")).at(1) ==
              "2. Call your API with the token");
    }
}

TEST_CASE("With DPoP, the item that uses the token sends Authorization: DPoP and a proof, and says why",
          "[export][postman][dpop]") {
    const std::string note =
        " The token is DPoP-bound (RFC 9449 section 7.1): this request sends Authorization: DPoP "
        "{{access_token}} and a DPoP header, never Bearer. The proof in dpop_proof must be made for this one "
        "request (htm GET, htu this URL, ath the token's SHA-256, section 4.2) and signed by the key the "
        "token "
        "is bound to. That key never leaves OAuth setup's browser tab and Postman cannot sign ES256 proofs, "
        "so "
        "paste a fresh proof from a tool that holds the key before each send, or the server refuses the call "
        "(401 invalid_dpop_proof or invalid_token).";
    const json headers =
        json::array({Pair("Accept", "application/json"), Pair("Authorization", "DPoP {{access_token}}"),
                     Pair("DPoP", "{{dpop_proof}}")});
    SECTION("UserInfo") {
        Profile profile = test::PasswordProfile();
        profile.useDpop = true;
        const json collection = Collection(profile, false, "https://id.example.com/userinfo");
        CHECK(ItemNames(collection) ==
              std::vector<std::string>{
                  "1. Get an access token",
                  "2. Call UserInfo with the DPoP-bound token (needs a fresh DPoP proof)"});
        const json& request = collection.at("item").at(1).at("request");
        CHECK(request.at("auth") == json{{"type", "noauth"}});
        CHECK(request.at("header") == headers);
        CHECK(request.at("description") ==
              "OpenID Connect Core 1.0 section 5.3: expects the user's claims." + note);
        CHECK(collection.at("item").at(0).at("request").at("header").back() ==
              Pair("DPoP", "{{dpop_proof}}"));
    }
    SECTION("an API, and the collection's oauth2 auth names DPoP, never Bearer") {
        Profile profile = test::ClientCredentialsProfile();
        profile.useDpop = true;
        const json collection = Collection(profile);
        const json& call = collection.at("item").at(1);
        CHECK(call.at("name") == "2. Call your API with the DPoP-bound token (needs a fresh DPoP proof)");
        CHECK(call.at("request").at("header") == headers);
        CHECK(call.at("request").at("description") ==
              "Set the variable api_url to an address of the API this token is for." + note);
        bool prefixed = false;
        for (const json& entry : collection.at("auth").at("oauth2"))
            if (entry.at("key") == "headerPrefix")
                prefixed = entry.at("value") == "DPoP";
        CHECK(prefixed);
        CHECK(collection.dump().find("Bearer {{access_token}}") == std::string::npos);
        CHECK(collection.dump().find(R"("value":"Bearer")") == std::string::npos);
    }
}

TEST_CASE("Authorization code and device code exports say how to fill their variables", "[export][postman]") {
    SECTION("authorization code: code and code_verifier, and the authorization URL to open") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.authUrlParams = "prompt=consent";
        const json collection = Collection(profile);
        const json& request = collection.at("item").at(0).at("request");
        CHECK(request.at("body").at("urlencoded") ==
              json::array({Pair("grant_type", "authorization_code"), Pair("code", "{{code}}"),
                           Pair("redirect_uri", "{{redirect_uri}}"),
                           Pair("code_verifier", "{{code_verifier}}")}));
        const std::string description = request.at("description");
        CHECK(description.find(
                  "3. Open this URL in a browser, with CODE_CHALLENGE replaced by that value and STATE "
                  "by any random text: https://id.example.com/authorize?response_type=code&client_id="
                  "client-1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=openid+profile"
                  "&state=STATE&code_challenge=CODE_CHALLENGE&code_challenge_method=S256&prompt=consent\n") !=
              std::string::npos);
        CHECK(description.find("put the code value into the variable code and send this request at once") !=
              std::string::npos);
        const auto vars = Variables(collection);
        CHECK(vars.at(4) ==
              std::pair<std::string, std::string>{"auth_url", "https://id.example.com/authorize"});
        CHECK(vars.at(5) ==
              std::pair<std::string, std::string>{"redirect_uri", "https://app.example.com/callback"});
        CHECK(vars.at(6) == std::pair<std::string, std::string>{"code", ""});
        CHECK(vars.at(7) == std::pair<std::string, std::string>{"code_verifier", ""});
    }
    SECTION("device code: the token request takes {{device_code}}, stored by the device request") {
        Profile profile = test::ClientCredentialsProfile();
        profile.grantType = oauth::GrantType::DeviceCode;
        profile.clientSecret = "";
        profile.deviceAuthorizationUrl = "https://id.example.com/device";
        const json collection = Collection(profile);
        CHECK(ItemNames(collection) == std::vector<std::string>{"1. Get an access token",
                                                                "Start the device authorization",
                                                                "2. Call your API with the token"});
        CHECK(collection.at("item").at(0).at("request").at("body").at("urlencoded") ==
              json::array({Pair("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                           Pair("device_code", "{{device_code}}"), Pair("client_id", "{{client_id}}")}));
        const json& start = collection.at("item").at(1);
        CHECK(start.at("request").at("url").at("raw") == "{{device_authorization_url}}");
        CHECK(start.at("request").at("body").at("urlencoded") ==
              json::array({Pair("scope", "{{scope}}"), Pair("client_id", "{{client_id}}")}));
        CHECK(ScriptOf(start, "test").at(8) ==
              "if (body.device_code) pm.collectionVariables.set(\"device_code\", body.device_code);");
        const std::string description = collection.at("item").at(0).at("request").at("description");
        CHECK(description.rfind(
                  "The device authorization grant (RFC 8628 section 3.4). Before sending it, send "
                  "\"Start the device authorization\"",
                  0) == 0);
    }
}

#include "core/export_postman.h"

#include "core/authenticated_request.h"
#include "core/authorization_request.h"
#include "core/client_assertion.h"
#include "core/device_authorization.h"
#include "core/dpop.h"
#include "core/encoding.h"
#include "core/introspection.h"
#include "core/resource_indicators.h"
#include "core/scopes.h"
#include "core/token_request.h"
#include "core/url.h"

#include <vector>

namespace oauth {
namespace {

using json = nlohmann::json;
using Lines = std::vector<std::string>;

json Entry(const char* key, json value, const char* type = "string") {
    return json{{"key", key}, {"value", std::move(value)}, {"type", type}};
}

// Postman's list form for extra authorization request parameters.
json PostmanAuthRequestParams(std::string_view typed) {
    json list = json::array();
    for (const auto& [key, value] : ParseAuthUrlParams(typed).params)
        list.push_back(json{{"key", key}, {"value", value}, {"enabled", true}, {"send_as", "request_url"}});
    return list;
}

// Postman's one "audience" or "resource" setting: the profile's field (its values space-separated),
// else an Auth. URL Params entry of that name, as profiles kept them before those fields existed.
std::string TargetSetting(const Profile& profile, std::string_view name) {
    const std::vector<std::string> values =
        SplitTargets(name == "audience" ? profile.audience : profile.resource);
    std::string joined;
    for (const std::string& value : values)
        joined += (joined.empty() ? "" : " ") + value;
    if (!joined.empty())
        return joined;
    for (const auto& [key, value] : ParseAuthUrlParams(profile.authUrlParams).params)
        if (key == name)
            return value;
    return {};
}

// Postman cannot sign an assertion itself; the person pastes a fresh one (RFC 7523 section 3).
constexpr const char* kAssertionVariableNote =
    "client_assertion is a signed JWT (RFC 7523): it is single-use and expires 60 seconds after it is "
    "made, so paste a fresh one before each request (OAuth setup's Copy as cURL, with secrets revealed, "
    "makes one); a reused or expired assertion is refused with invalid_client.";
static_assert(kAssertionLifetimeSeconds == 60, "kAssertionVariableNote names the lifetime");
// Postman cannot hold the page's DPoP key (it is non-extractable); the person pastes a fresh proof.
constexpr const char* kDpopVariableNote =
    "dpop_proof is a DPoP proof (RFC 9449): a JWT signed by the page's own key for one request, "
    "single-use and accepted only for a few minutes after it is made, so paste a fresh one before each "
    "request (OAuth setup's Copy as cURL makes one); the key itself never leaves the browser. The token "
    "that comes back is a DPoP token: send it with Authorization: DPoP and a new proof, not as Bearer.";

// Postman's "client_authentication": a public client sends its id in the body (RFC 6749 2.3.1).
std::string PostmanClientAuthentication(const Profile& profile) {
    if (profile.clientSecret.empty() || profile.clientAuthentication != ClientAuthentication::BasicHeader)
        return "body";
    return "header";
}

// Grants whose answer may carry a refresh token, renewed at the token endpoint (RFC 6749
// section 6); client credentials should not get one (section 4.4.3).
bool MayRefresh(const Profile& profile) {
    return profile.grantType != GrantType::ClientCredentials;
}

// The profile with every value the person may change replaced by its collection variable, so
// the page's own request builders give the exported requests' shape.
Profile VariableProfile(const Profile& profile) {
    Profile v = profile;
    v.clientId = "{{client_id}}";
    v.clientSecret = profile.clientSecret.empty() ? "" : "{{client_secret}}";
    v.scopes = NormalizeScopes(profile.scopes).empty() ? "" : "{{scope}}";
    v.username = "{{username}}";
    v.password = "{{password}}";
    v.redirectUrl = "{{redirect_uri}}";
    v.accessTokenUrl = "{{token_url}}";
    v.deviceAuthorizationUrl = "{{device_authorization_url}}";
    v.introspectionUrl = "{{introspection_url}}";
    return v;
}

json Script(const char* listen, Lines lines) {
    return json{{"listen", listen}, {"script", {{"type", "text/javascript"}, {"exec", std::move(lines)}}}};
}

// RFC 6749 section 2.3.1 builds the Basic credentials from the form-urlencoded id and secret.
// Postman's own Basic Auth helper skips that step, so a pre-request script computes the value
// into {{basic_credentials}} from the variables as they are when the request is sent.
json BasicCredentialsScript(bool unencoded) {
    if (unencoded)
        // The profile chose "Retry with unencoded credentials": its server compares the Basic
        // credentials as sent, so they go as typed (UTF-8), like the page sends them.
        return Script(
            "prerequest",
            {
                "// Sent as typed, without RFC 6749 section 2.3.1's form-encoding: this profile's "
                "server",
                "// compares the Basic credentials without decoding them (basicUnencoded).",
                "const clientId = pm.variables.replaceIn(\"{{client_id}}\");",
                "const clientSecret = pm.variables.replaceIn(\"{{client_secret}}\");",
                "pm.variables.set(\"basic_credentials\", btoa(unescape(encodeURIComponent(clientId + "
                "\":\" + clientSecret))));",
            });
    return Script(
        "prerequest",
        {
            "// RFC 6749 section 2.3.1: the client id and secret are form-urlencoded, joined with \":\"",
            "// and base64-encoded. Postman's Basic Auth helper leaves out the form-encoding, which",
            "// changes secrets holding \":\", \"+\", \"%\", \"/\", \"=\" or spaces; this script does it.",
            "const formEncode = (text) => encodeURIComponent(text)",
            "    .replace(/[!'()~]/g, (c) => \"%\" + c.charCodeAt(0).toString(16).toUpperCase())",
            "    .replace(/%20/g, \"+\");",
            "const clientId = pm.variables.replaceIn(\"{{client_id}}\");",
            "const clientSecret = pm.variables.replaceIn(\"{{client_secret}}\");",
            "pm.variables.set(\"basic_credentials\", btoa(formEncode(clientId) + \":\" + "
            "formEncode(clientSecret)));",
        });
}

Lines ParseJsonBody() {
    return {"let body = {};", "try { body = pm.response.json(); } catch (e) { body = {}; }"};
}

Lines Concat(std::initializer_list<Lines> parts) {
    Lines all;
    for (const Lines& part : parts)
        all.insert(all.end(), part.begin(), part.end());
    return all;
}

// One Postman test: pm.test("title", function () { body });
Lines PmTest(const std::string& title, const Lines& body) {
    return Concat({{"pm.test(\"" + title + "\", function () {"}, body, {"});"}});
}

Lines ExpectStatus(const std::string& what) {
    return PmTest(what + " answers 200 OK", {"    pm.response.to.have.status(200);"});
}

// The tests of a JSON answer from `what`: parse it into `body`, expect 200 OK, then `checks`.
Lines AnswerTests(const std::string& what, const Lines& checks) {
    return Concat({ParseJsonBody(), ExpectStatus(what), checks});
}

// RFC 6749 section 5.1: access_token is required, refresh_token optional.
json StoreTokenScript() {
    return Script(
        "test",
        AnswerTests(
            "The token endpoint",
            Concat({PmTest("The answer holds an access_token",
                           {"    pm.expect(body.access_token, \"error: \" + (body.error || \"none\") + "
                            "\" \" + (body.error_description || \"\"))",
                            "        .to.be.a(\"string\").and.not.empty;"}),
                    {"if (body.access_token) pm.collectionVariables.set(\"access_token\", "
                     "body.access_token);",
                     "if (body.refresh_token) pm.collectionVariables.set(\"refresh_token\", "
                     "body.refresh_token);"}})));
}

// An HttpRequest built by the page's own builders, as a Postman request. The Basic header's
// value (computed from the variable names) becomes {{basic_credentials}}, set by the script.
json PostmanRequest(const HttpRequest& http, const std::string& description) {
    json header = json::array();
    for (const auto& [name, value] : http.headers) {
        const bool basic = name == "Authorization" && value.rfind("Basic ", 0) == 0;
        header.push_back(json{{"key", name}, {"value", basic ? "Basic {{basic_credentials}}" : value}});
    }
    if (http.dpop) // made just before sending, like the assertion
        header.push_back(json{{"key", kDpopHeader}, {"value", "{{dpop_proof}}"}});
    json form = json::array();
    // A signed assertion cannot be made ahead: the variable holds one made just before sending.
    const std::string body =
        http.assertion ? WithClientAssertion(http, "{{client_assertion}}").body : http.body;
    for (const auto& [name, value] : DecodeForm(body))
        form.push_back(json{{"key", name}, {"value", value}});
    return json{
        {"auth", {{"type", "noauth"}}},
        {"method", http.method},
        {"header", std::move(header)},
        {"body", {{"mode", "urlencoded"}, {"urlencoded", std::move(form)}}},
        {"url", {{"raw", http.url}, {"host", json::array({http.url})}}},
        {"description", description},
    };
}

bool SendsBasic(const HttpRequest& http) {
    const auto value = FindHeader(http.headers, "Authorization");
    return value && value->rfind("Basic ", 0) == 0;
}

// A form POST item with its scripts: the Basic credentials before, `tests` after.
json FormItem(const std::string& name, const Profile& vars, const HttpRequest& http,
              const std::string& description, json tests) {
    json events = json::array();
    if (SendsBasic(http))
        events.push_back(BasicCredentialsScript(vars.basicUnencoded));
    events.push_back(std::move(tests));
    return json{{"name", name}, {"event", std::move(events)}, {"request", PostmanRequest(http, description)}};
}

// A GET that inherits the collection's oauth2 auth: Authorization: Bearer {{access_token}}.
json BearerItem(const std::string& name, const std::string& urlVariable, const std::string& description,
                Lines tests) {
    json request = {
        {"method", "GET"},
        {"header", json::array({json{{"key", "Accept"}, {"value", "application/json"}}})},
        {"url", {{"raw", urlVariable}, {"host", json::array({urlVariable})}}},
        {"description", description},
    };
    return json{
        {"name", name}, {"event", json::array({Script("test", std::move(tests))})}, {"request", request}};
}

std::string AuthorizationCodeSteps(const Profile& profile) {
    FormParams query = {
        {"response_type", "code"}, {"client_id", profile.clientId}, {"redirect_uri", profile.redirectUrl}};
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        query.emplace_back("scope", scope);
    query.emplace_back("state", "STATE");
    query.emplace_back("code_challenge", "CODE_CHALLENGE");
    query.emplace_back("code_challenge_method", "S256");
    AppendResourceAndAudience(profile, query);
    for (const auto& param : ParseAuthUrlParams(profile.authUrlParams).params)
        query.push_back(param);
    return "The authorization code grant with PKCE (RFC 6749 section 4.1, RFC 7636). Before sending it, fill "
           "code_verifier and code:\n"
           "1. Put a new random code_verifier of 43 to 128 characters (A-Z, a-z, 0-9, \"-\", \".\", \"_\", "
           "\"~\") "
           "into the variable code_verifier, for example the output of: openssl rand -base64 60 | tr '+/' "
           "'-_' | "
           "tr -d '=\\n'\n"
           "2. Compute its code_challenge: printf '%s' \"CODE_VERIFIER\" | openssl dgst -sha256 -binary | "
           "openssl base64 -A | tr '+/' '-_' | tr -d '='\n"
           "3. Open this URL in a browser, with CODE_CHALLENGE replaced by that value and STATE by any "
           "random "
           "text: " +
           AppendQuery(profile.authorizationUrl, EncodeForm(query)) +
           "\n4. Sign in. The browser is sent to redirect_uri with ?code=...&state=STATE: put the code value "
           "into "
           "the variable code and send this request at once (a code is single-use and expires within "
           "minutes).\n"
           "OAuth setup's own callback page hands the code to the page and closes itself: to read the code, "
           "register and use a redirect URI that shows it, such as Postman's "
           "https://oauth.pstmn.io/v1/callback. "
           "Postman can also do all of this itself: the collection's Authorization tab, Get New Access "
           "Token.";
}

std::string TokenRequestDescription(const Profile& profile) {
    const std::string secret =
        (UsesClientAssertion(profile)   ? std::string(" ") + kAssertionVariableNote
         : profile.clientSecret.empty() ? ""
                                        : " Fill client_secret first if it is empty (secrets are left out of "
                                          "exports unless \"Include secrets in exports\" was ticked).") +
        (profile.useDpop ? std::string(" ") + kDpopVariableNote : "");
    if (profile.grantType == GrantType::ClientCredentials)
        return "The client credentials grant (RFC 6749 section 4.4)." + secret;
    if (profile.grantType == GrantType::Password)
        return "The resource owner password credentials grant (RFC 6749 section 4.3). Fill password first if "
               "it is empty." +
               secret;
    if (profile.grantType == GrantType::DeviceCode)
        return "The device authorization grant (RFC 8628 section 3.4). Before sending it, send \"Start the "
               "device authorization\": it stores device_code and logs user_code and verification_uri. Open "
               "verification_uri, enter user_code and sign in, then send this request (before expires_in "
               "seconds pass; \"authorization_pending\" means the sign-in is not finished yet)." +
               secret;
    return AuthorizationCodeSteps(profile) + secret;
}

json TokenRequestItem(const Profile& profile, const Profile& vars) {
    HttpRequest http;
    if (profile.grantType == GrantType::ClientCredentials)
        http = BuildClientCredentialsTokenRequest(vars);
    else if (profile.grantType == GrantType::Password)
        http = BuildPasswordTokenRequest(vars);
    else if (profile.grantType == GrantType::DeviceCode)
        http = BuildDeviceTokenRequest(vars, "{{device_code}}");
    else
        http = BuildAuthorizationCodeTokenRequest(vars, "{{code}}", "{{code_verifier}}");
    return FormItem("1. Get an access token", vars, http, TokenRequestDescription(profile),
                    StoreTokenScript());
}

json DeviceAuthorizationItem(const Profile& vars) {
    const Lines tests =
        AnswerTests("The device authorization endpoint",
                    Concat({PmTest("The answer holds a device_code",
                                   {"    pm.expect(body.device_code).to.be.a(\"string\").and.not.empty;"}),
                            {"if (body.device_code) pm.collectionVariables.set(\"device_code\", "
                             "body.device_code);",
                             "console.log(\"Open \" + (body.verification_uri_complete || "
                             "body.verification_uri) + \" and enter \" + body.user_code);"}}));
    return FormItem(
        "Start the device authorization", vars, BuildDeviceAuthorizationRequest(vars),
        "RFC 8628 section 3.1: asks for a device_code and a user_code, and stores device_code for "
        "\"1. Get an access token\".",
        Script("test", tests));
}

json IntrospectionItem(const Profile& vars) {
    const Lines tests =
        AnswerTests("The introspection endpoint",
                    PmTest("The token is active", {"    pm.expect(body.active).to.equal(true);"}));
    return FormItem("Check the token (introspection)", vars,
                    BuildIntrospectionRequest(vars, "{{access_token}}", "access_token"),
                    "RFC 7662 section 2: asks the provider whether {{access_token}} is active. The client "
                    "authenticates as in the token request (section 2.1).",
                    Script("test", tests));
}

// UserInfo answers only tokens issued to a user with the openid scope (OIDC Core 1.0 5.3).
bool CanCallUserinfo(const Profile& profile, const PostmanExportOptions& options) {
    if (options.userinfoUrl.empty() || profile.grantType == GrantType::ClientCredentials)
        return false;
    for (const std::string& scope : SplitScopes(profile.scopes))
        if (scope == "openid")
            return true;
    return false;
}

// RFC 9449 section 7.1: a DPoP-bound token goes as Authorization: DPoP with a proof of its own for
// each request, which neither the collection's oauth2 auth (always a prefix, never a proof) nor a
// script can make: the page's key is non-extractable, and Postman's and newman's script sandbox has
// no ECDSA signing (crypto-js has none; neither Web Crypto nor node's crypto is there).
constexpr const char* kDpopCallNote =
    " The token is DPoP-bound (RFC 9449 section 7.1): this request sends Authorization: DPoP "
    "{{access_token}} and a DPoP header, never Bearer. The proof in dpop_proof must be made for this one "
    "request (htm GET, htu this URL, ath the token's SHA-256, section 4.2) and signed by the key the token "
    "is bound to. That key never leaves OAuth setup's browser tab and Postman cannot sign ES256 proofs, so "
    "paste a fresh proof from a tool that holds the key before each send, or the server refuses the call "
    "(401 invalid_dpop_proof or invalid_token).";

// The item that calls `urlVariable` with the token: the collection's Bearer auth, or for a DPoP
// profile its own DPoP headers (and a name that says a proof is needed).
struct UseTokenText {
    const char* name;        // "2. Call UserInfo"
    const char* urlVariable; // "{{userinfo_url}}"
    const char* bearer;      // the description when the collection's Bearer auth is inherited
    const char* dpop;        // the description's start for a DPoP token, before kDpopCallNote
};

json UseTokenItem(const Profile& profile, const UseTokenText& text, Lines tests) {
    if (!profile.useDpop)
        return BearerItem(std::string(text.name) + " with the token", text.urlVariable, text.bearer,
                          std::move(tests));
    json item = BearerItem(std::string(text.name) + " with the DPoP-bound token (needs a fresh DPoP proof)",
                           text.urlVariable, std::string(text.dpop) + kDpopCallNote, std::move(tests));
    json& request = item["request"];
    request["auth"] = json{{"type", "noauth"}};
    request["header"].push_back(json{{"key", "Authorization"}, {"value", "DPoP {{access_token}}"}});
    request["header"].push_back(json{{"key", kDpopHeader}, {"value", "{{dpop_proof}}"}});
    return item;
}

json UseTokenItems(const Profile& profile, const Profile& vars, const PostmanExportOptions& options) {
    json items = json::array();
    if (CanCallUserinfo(profile, options))
        items.push_back(UseTokenItem(
            profile,
            {"2. Call UserInfo", "{{userinfo_url}}",
             "OpenID Connect Core 1.0 section 5.3: sends Authorization: Bearer {{access_token}} (the "
             "collection's OAuth 2.0 auth) and expects the user's claims.",
             "OpenID Connect Core 1.0 section 5.3: expects the user's claims."},
            AnswerTests("UserInfo", PmTest("The answer names the user (sub)",
                                           {"    pm.expect(body.sub).to.be.a(\"string\").and.not.empty;"}))));
    if (!profile.introspectionUrl.empty())
        items.push_back(IntrospectionItem(vars));
    if (items.empty())
        items.push_back(
            UseTokenItem(profile,
                         {"2. Call your API", "{{api_url}}",
                          "Sends Authorization: Bearer {{access_token}} (the collection's OAuth 2.0 "
                          "auth, RFC 6750 section 2.1). Set the variable api_url to an address of "
                          "the API this token is for.",
                          "Set the variable api_url to an address of the API this token is for."},
                         PmTest("The API accepts the token",
                                {"    pm.expect(pm.response.code).to.be.within(200, 299);"})));
    return items;
}

json Variable(const char* key, const std::string& value, const char* description) {
    return json{{"key", key}, {"value", value}, {"type", "string"}, {"description", description}};
}

json CollectionVariables(const Profile& profile, const PostmanExportOptions& options) {
    const bool reveal = options.includeSecrets;
    const GrantType grant = profile.grantType;
    json list = json::array();
    list.push_back(Variable("token_url", profile.accessTokenUrl, "Access Token URL (token endpoint)."));
    list.push_back(Variable("client_id", profile.clientId, "Client ID."));
    if (!profile.clientSecret.empty())
        list.push_back(
            Variable("client_secret", reveal ? profile.clientSecret : "", "Client secret: fill it in."));
    if (UsesClientAssertion(profile))
        list.push_back(Variable("client_assertion", "", kAssertionVariableNote));
    if (profile.useDpop)
        list.push_back(Variable("dpop_proof", "", kDpopVariableNote));
    if (!NormalizeScopes(profile.scopes).empty())
        list.push_back(Variable("scope", NormalizeScopes(profile.scopes), "Scopes, separated by spaces."));
    if (grant == GrantType::Password) {
        list.push_back(Variable("username", profile.username, "The resource owner's user name."));
        list.push_back(
            Variable("password", reveal ? profile.password : "", "The user's password: fill it in."));
    }
    if (grant == GrantType::AuthorizationCode) {
        list.push_back(Variable("auth_url", profile.authorizationUrl, "Authorization URL."));
        list.push_back(
            Variable("redirect_uri", profile.redirectUrl, "Redirect URL registered with the provider."));
        list.push_back(Variable("code", "", "The authorization code from the redirect (see request 1)."));
        list.push_back(Variable("code_verifier", "", "The PKCE code_verifier you made (see request 1)."));
    }
    if (grant == GrantType::DeviceCode) {
        list.push_back(Variable("device_authorization_url", profile.deviceAuthorizationUrl,
                                "Device Authorization URL."));
        list.push_back(Variable("device_code", "", "Set by \"Start the device authorization\"."));
    }
    if (CanCallUserinfo(profile, options))
        list.push_back(Variable("userinfo_url", options.userinfoUrl, "UserInfo endpoint."));
    if (!profile.introspectionUrl.empty())
        list.push_back(Variable("introspection_url", profile.introspectionUrl, "Introspection URL."));
    if (!CanCallUserinfo(profile, options) && profile.introspectionUrl.empty())
        list.push_back(Variable("api_url", "", "An address of the API the token is for: fill it in."));
    if (SendsBasic(BuildAuthenticatedPost(VariableProfile(profile), {}, {})))
        list.push_back(Variable("basic_credentials", "",
                                "Computed before each request from client_id and "
                                "client_secret (RFC 6749 section 2.3.1); leave it."));
    list.push_back(Variable("access_token", "", "Set by request 1."));
    list.push_back(Variable("refresh_token", "", "Set by request 1 when the provider sends one."));
    return list;
}

std::string CollectionDescription(const Profile& profile) {
    return "Exported by OAuth setup. Request 1 gets a token from the Access Token URL exactly as OAuth setup "
           "does, and its test stores access_token (and refresh_token) in the collection variables; the "
           "requests after it use the token. Fill the empty variables first: secrets are left out unless "
           "\"Include secrets in exports\" was ticked." +
           std::string(PostmanClientAuthentication(profile) == "header"
                           ? " The client authenticates with HTTP Basic built as RFC 6749 section 2.3.1 says "
                             "(id and secret form-urlencoded), by request 1's pre-request script."
                           : "") +
           " The collection's OAuth 2.0 settings also work with Postman's Get New Access Token.";
}

} // namespace

std::string PostmanGrantType(GrantType grantType) {
    if (grantType == GrantType::AuthorizationCode)
        return "authorization_code_with_pkce";
    if (grantType == GrantType::Password)
        return "password_credentials";
    return std::string(ToText(grantType));
}

json PostmanOAuth2Auth(const Profile& profile, bool revealSecrets) {
    const bool authorizationCode = profile.grantType == GrantType::AuthorizationCode;
    json entries = json::array();
    entries.push_back(Entry("grant_type", PostmanGrantType(profile.grantType)));
    entries.push_back(Entry("tokenName", profile.tokenName));
    if (authorizationCode)
        entries.push_back(Entry("authUrl", profile.authorizationUrl));
    entries.push_back(Entry("accessTokenUrl", profile.accessTokenUrl));
    if (MayRefresh(profile))
        entries.push_back(Entry("refreshTokenUrl", profile.accessTokenUrl));
    entries.push_back(Entry("clientId", profile.clientId));
    if (revealSecrets && !profile.clientSecret.empty())
        entries.push_back(Entry("clientSecret", profile.clientSecret));
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        entries.push_back(Entry("scope", scope));
    if (authorizationCode) {
        entries.push_back(Entry("redirect_uri", profile.redirectUrl));
        entries.push_back(Entry("challengeAlgorithm", "S256"));
        const json params = PostmanAuthRequestParams(profile.authUrlParams);
        if (!params.empty())
            entries.push_back(Entry("authRequestParams", params, "any"));
    }
    for (const char* key : {"audience", "resource"})
        if (const std::string value = TargetSetting(profile, key); !value.empty())
            entries.push_back(Entry(key, value));
    if (profile.grantType == GrantType::Password) {
        entries.push_back(Entry("username", profile.username));
        if (revealSecrets)
            entries.push_back(Entry("password", profile.password));
    }
    entries.push_back(Entry("client_authentication", PostmanClientAuthentication(profile)));
    entries.push_back(Entry("addTokenTo", "header"));
    // A DPoP token is never sent as Bearer (RFC 9449 section 7.1); the items that use it add the proof.
    entries.push_back(Entry("headerPrefix", profile.useDpop ? "DPoP" : "Bearer"));
    entries.push_back(Entry("accessToken", "{{access_token}}"));
    return json{{"type", "oauth2"}, {"oauth2", std::move(entries)}};
}

std::string ExportPostmanCollection(const Profile& profile, const PostmanExportOptions& options) {
    const std::string name = profile.tokenName.empty() ? std::string("OAuth 2.0") : profile.tokenName;
    const Profile vars = VariableProfile(profile);
    json items = json::array({TokenRequestItem(profile, vars)});
    if (profile.grantType == GrantType::DeviceCode)
        items.push_back(DeviceAuthorizationItem(vars));
    for (json& item : UseTokenItems(profile, vars, options))
        items.push_back(std::move(item));
    json collection = {
        {"info",
         {{"name", name}, {"description", CollectionDescription(profile)}, {"schema", kPostmanSchema}}},
        {"auth", PostmanOAuth2Auth(profile, options.includeSecrets)},
        {"item", std::move(items)},
        {"variable", CollectionVariables(profile, options)},
    };
    return DumpJson(collection, 2);
}

std::string ExportPostmanCollection(const Profile& profile, bool revealSecrets) {
    PostmanExportOptions options;
    options.includeSecrets = revealSecrets;
    return ExportPostmanCollection(profile, options);
}

} // namespace oauth

#include "core/provider_errors.h"

#include "core/presets.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

namespace {
// Entra's documented error_description shape: "AADSTSnnn: text\r\nTrace ID: ...".
const char* const kEntraSecretId = "AADSTS7000215: Invalid client secret provided. Ensure the secret being "
                                   "sent in the request is the client "
                                   "secret value, not the client secret ID, for a secret added to app "
                                   "'11111111-2222-3333-4444-555555555555'."
                                   "\r\nTrace ID: 0f1e2d3c-0000-4000-8000-000000000000\r\nCorrelation ID: "
                                   "1a2b3c4d-0000-4000-8000-000000000000"
                                   "\r\nTimestamp: 2026-12-01 10:00:00Z";

// A provider's error answer and the fix the page shows for it ("" for none).
struct FixCase {
    const char* provider;
    const char* code;
    const char* description;
    const char* fix;
};

void CheckFixes(std::initializer_list<FixCase> cases) {
    for (const FixCase& c : cases) {
        CAPTURE(c.provider, c.code, c.description);
        CHECK(ProviderFix(c.provider, c.code, c.description) == c.fix);
    }
}
} // namespace

TEST_CASE("Entra's AADSTS codes carry their fix", "[provider_errors]") {
    CheckFixes({
        {"entra", "invalid_client", kEntraSecretId,
         "Fix (AADSTS7000215): put the client secret's Value (shown once, when it is created) in Client "
         "Secret, not its Secret ID; create a new secret under Certificates & secrets if the Value is lost."},
        {"entra", "invalid_request",
         "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' "
         "client-type. Request origin: 'http://127.0.0.1:8000'.",
         "Fix (AADSTS9002326): register the Redirect URL under the \"Single-page application\" platform "
         "(Authentication > Add a platform), not \"Web\": only then may a browser redeem the code."},
        {"entra", "invalid_request",
         "AADSTS50011: The redirect URI 'http://127.0.0.1:8000/callback.html' specified in the request does "
         "not match the redirect URIs configured for the application.",
         "Fix (AADSTS50011): add the Redirect URL shown on this page, exactly (scheme, host, port, path and "
         "case), under Authentication in the app registration."},
        {"entra", "invalid_client",
         "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or "
         "'client_secret'.",
         "Fix (AADSTS7000218): this client is confidential: fill Client Secret, or turn on Authentication > "
         "Allow public client flows for the device code and password grants."},
        // An unknown AADSTS number, or none at all, gets no fix.
        {"entra", "invalid_grant", "AADSTS1234567: Something new.", ""},
        {"entra", "invalid_client", "Invalid client.", ""},
    });
}

TEST_CASE("A profile made by hand finds its provider by the URL that answered", "[provider_errors]") {
    CheckOutputs(ProviderForUrl, {{"https://login.microsoftonline.com/contoso/oauth2/v2.0/token", "entra"},
                                  {"https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/token", "cognito"},
                                  {"https://amazoncognito.com/oauth2/token", ""},
                                  {"https://accounts.google.com/o/oauth2/v2/auth", "google"},
                                  {"https://oauth2.googleapis.com/token", "google"},
                                  {"https://api.dropboxapi.com/oauth2/token", "dropbox"},
                                  {"https://www.linkedin.com/oauth/v2/accessToken", "linkedin"},
                                  {"http://127.0.0.1:9400/token", ""}});
    CHECK(ProviderFix("https://login.microsoftonline.com/contoso/oauth2/v2.0/token", "invalid_client",
                      kEntraSecretId)
              .rfind("Fix (AADSTS7000215): ", 0) == 0);
    CHECK(ProviderFix("http://127.0.0.1:9400/token", "invalid_client", kEntraSecretId) == "");
}

TEST_CASE("Bare error codes carry their provider's fix", "[provider_errors]") {
    CheckFixes({
        {"google", "redirect_uri_mismatch", "Bad Request",
         "Fix (redirect_uri_mismatch): add the Redirect URL shown on this page, exactly, to the OAuth "
         "client's Authorized redirect URIs in the Google Cloud console."},
        {"google", "invalid_client", "Unauthorized",
         "Fix (invalid_client): check Client ID and Client Secret: a \"Web application\" client needs its "
         "secret on every token request, even with PKCE."},
        {"cognito", "invalid_client", "",
         "Fix (invalid_client): check Client ID and Client Secret: an app client with a secret takes it in "
         "the Basic header (Client Authentication: Basic Auth header); one without a secret takes none."},
        {"cognito", "unauthorized_client", "",
         "Fix (unauthorized_client): allow this grant type for the app client (App client > Login pages > "
         "OAuth 2.0 grant types); client credentials needs an app client of its own with a secret."},
        // One code, two mistakes: the description decides.
        {"dropbox", "invalid_grant", "redirect_uri mismatch",
         "Fix (invalid_grant): add the Redirect URL shown on this page, exactly, under OAuth 2 > Redirect "
         "URIs in the App Console."},
        {"dropbox", "invalid_grant", "code doesn't exist or has expired",
         "Fix (invalid_grant): the code is expired or already used, or the Redirect URL differs: press Get "
         "Access Token again."},
        // The local demo server and unknown codes get none.
        {"local-demo", "invalid_client", "", ""},
        {"google", "slow_down", "", ""},
        {"", "invalid_client", "", ""},
    });
}

TEST_CASE("Each provider preset lists its error codes for the guidance", "[provider_errors][presets]") {
    std::vector<std::string> entra;
    for (const ProviderErrorFix& fix : ProviderErrorFixes("entra"))
        entra.push_back(fix.code);
    CHECK(entra == std::vector<std::string>{"AADSTS9002326", "AADSTS9002327", "AADSTS7000215",
                                            "AADSTS7000218", "AADSTS700025", "AADSTS50011", "AADSTS700016",
                                            "AADSTS65001", "AADSTS7000222", "AADSTS90002"});
    std::vector<std::string> dropbox;
    for (const ProviderErrorFix& fix : ProviderErrorFixes("dropbox"))
        dropbox.push_back(fix.code);
    CHECK(dropbox == std::vector<std::string>{"invalid_client", "invalid_grant", "invalid_scope"});
    for (const Preset& preset : Presets())
        if (preset.id != "local-demo")
            CHECK_FALSE(ProviderErrorFixes(preset.id).empty());
    CHECK(ProviderErrorFixes("local-demo").empty());
}

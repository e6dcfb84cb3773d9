// RP-initiated logout: the end_session_endpoint URL the popup opens (OpenID Connect RP-Initiated
// Logout 1.0 section 2), and the ID token it carries masked in the exchange log.
#include "core/logout.h"
#include "core/masking.h"

#include <catch2/catch.hpp>

TEST_CASE("Sign out at provider opens end_session_endpoint with id_token_hint and the callback page",
          "[logout]") {
    const std::string url = oauth::BuildLogoutUrl("https://id.example.com/session/end?ui=1", "aaa.bbb.ccc",
                                                  "https://app.example.com/callback.html", "client-1", "st");
    CHECK(url == "https://id.example.com/session/end?ui=1&id_token_hint=aaa.bbb.ccc&post_logout_redirect_uri="
                 "https%3A%2F%2Fapp.example.com%2Fcallback.html&client_id=client-1&state=st");
    oauth::HttpRequest request;
    request.method = "GET";
    request.url = url;
    CHECK(oauth::MaskRequestForDisplay(request, false).url.find("aaa.bbb.ccc") == std::string::npos);
}

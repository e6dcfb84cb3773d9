// URLs are checked twice before anything is sent: by core's ParseUrl, and as the browser's WHATWG
// URL parser reads them (platform::Platform::parseUrl, issue 11). These tests stand a parser that
// disagrees with ParseUrl in for the browser's, and check that nothing goes where the check did not look.
#include "core/device_authorization.h"
#include "core/url.h"
#include "core/validation.h"

#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>

using app::Intent;
using oauth::test::Harness;

namespace {

// A reader that parses as ParseUrl does, then reads one part differently (`change`), the way a
// parser that read a character differently would.
oauth::UrlReader ReadsAs(std::function<void(oauth::Url&)> change) {
    return [change](std::string_view text) {
        auto url = oauth::ParseUrl(text);
        if (url)
            change(*url);
        return url;
    };
}

// A reader that sees the same URL going to `host` (and `port`).
oauth::UrlReader ReadsHostAs(std::string host, std::string port = {}) {
    return ReadsAs([host, port](oauth::Url& url) {
        url.host = host;
        url.port = port;
    });
}

} // namespace

TEST_CASE("OriginOf fills the scheme's default port and reads leading zeros as browsers do", "[url]") {
    CHECK(oauth::OriginOf(*oauth::ParseUrl("https://ID.example.com/token")) == "https://id.example.com:443");
    CHECK(oauth::OriginOf(*oauth::ParseUrl("https://id.example.com:443/")) == "https://id.example.com:443");
    CHECK(oauth::OriginOf(*oauth::ParseUrl("http://127.0.0.1:09501/t")) == "http://127.0.0.1:9501");
    CHECK(oauth::OriginOf(*oauth::ParseUrl("http://[::1]/")) == "http://[::1]:80");
}

TEST_CASE("An endpoint URL is checked as the browser reads it too", "[validation][url]") {
    const std::string_view label = "Access Token URL";
    SECTION("a reading that agrees passes") {
        const oauth::UrlReader same = [](std::string_view text) { return oauth::ParseUrl(text); };
        CHECK(oauth::CheckEndpointUrl("https://id.example.com/token", label, &same) == std::nullopt);
    }
    SECTION("a reading that goes elsewhere is refused, naming both") {
        const oauth::UrlReader other = ReadsHostAs("127.0.0.1", "9501");
        CHECK(oauth::CheckEndpointUrl("http://127.0.0.2:9/token", label, &other) ==
              "Access Token URL is read by the browser as going to http://127.0.0.1:9501, not to "
              "http://127.0.0.2:9 where it was checked; write the URL plainly.");
    }
    SECTION("another scheme is another origin") {
        const oauth::UrlReader plain = ReadsAs([](oauth::Url& url) {
            url.scheme = "http"; // as if the browser had read another scheme, same host and port
            url.port = "443";
        });
        CHECK(oauth::CheckEndpointUrl("https://id.example.com/token", label, &plain) ==
              "Access Token URL is read by the browser as going to http://id.example.com:443, not to "
              "https://id.example.com:443 where it was checked; write the URL plainly.");
    }
    SECTION("the rules hold for the browser's reading: a fragment") {
        const oauth::UrlReader withFragment = ReadsAs([](oauth::Url& url) { url.fragment = "x"; });
        CHECK(oauth::CheckEndpointUrl("https://id.example.com/token", label, &withFragment) ==
              "Access Token URL must not contain a fragment (#...).");
    }
    SECTION("the rules hold for the browser's reading: credentials") {
        const oauth::UrlReader withUser = ReadsAs([](oauth::Url& url) {
            url.hasUserinfo = true;
            url.userinfo = "me";
        });
        CHECK(oauth::CheckEndpointUrl("https://id.example.com/token", label, &withUser) ==
              "Access Token URL must not contain a user name or password (text before '@' in the host).");
    }
    SECTION("a URL the browser refuses is refused") {
        const oauth::UrlReader refuses = [](std::string_view) { return std::optional<oauth::Url>(); };
        CHECK(oauth::CheckEndpointUrl("https://id.example.com/token", label, &refuses) ==
              "Access Token URL is not a URL the browser can read.");
    }
    SECTION("our own refusal comes first and the browser is not asked") {
        int asked = 0;
        const oauth::UrlReader counting = [&asked](std::string_view text) {
            ++asked;
            return oauth::ParseUrl(text);
        };
        CHECK(oauth::CheckEndpointUrl("http://id.example.com/token", label, &counting).has_value());
        CHECK(asked == 0);
    }
}

TEST_CASE("A verification URI opens only when the browser reads it to the same origin", "[device][url]") {
    const oauth::UrlReader other = ReadsHostAs("evil.example");
    CHECK(oauth::RefuseToOpenVerificationUri("https://id.example.com/device", &other).has_value());
    const oauth::UrlReader same = [](std::string_view text) { return oauth::ParseUrl(text); };
    CHECK(oauth::RefuseToOpenVerificationUri("https://id.example.com/device", &same) == std::nullopt);
}

TEST_CASE("The controller sends nothing the browser would read to another host", "[controller][url]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.accessTokenUrl = "http://127.0.0.2:9/token";
    h.load({p});
    h.platform.urlReader = ReadsHostAs("127.0.0.1", "9501");

    SECTION("Get Access Token") {
        h.intent(Intent::GetToken);
        CHECK(h.platform.fetches.empty());
        CHECK(h.state.status ==
              "Not sent: Access Token URL is read by the browser as going to http://127.0.0.1:9501, not to "
              "http://127.0.0.2:9 where it was checked; write the URL plainly.");
        CHECK(h.platform.parsedUrls == std::vector<std::string>{"http://127.0.0.2:9/token"});
    }
    SECTION("the verification page of a device grant") {
        h.intent(Intent::OpenUrl, -1, "http://127.0.0.2:9/device");
        CHECK(h.platform.tabsOpened.empty());
    }
    SECTION("the browser's reading agrees: sent") {
        h.platform.urlReader = nullptr;
        h.intent(Intent::GetToken);
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(h.request(0).url == "http://127.0.0.2:9/token");
    }
}

TEST_CASE("Refresh sends the refresh token only to an Access Token URL that passes the rules",
          "[controller][url]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.state = oauth::ProfileState::Connected;
    p.lastToken = nlohmann::json{{"access_token", "old"},
                                 {"token_type", "Bearer"},
                                 {"expires_in", 3600},
                                 {"refresh_token", "rt-1"},
                                 {"obtained_at", 1699999000}};
    h.load({p});
    // Edited after the token came, e.g. pasted from somewhere: a remote host over http.
    h.selected().accessTokenUrl = "http://other.example/token";
    h.intent(Intent::Refresh);
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.status == "Not sent: Access Token URL uses http:// for a remote host; only loopback hosts "
                            "(localhost, 127.0.0.1, [::1]) may use http, so use https://.");
}

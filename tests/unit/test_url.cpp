#include "core/url.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("URLs split into scheme, authority, path, query and fragment", "[url]") {
    SECTION("a full https URL") {
        const auto url = ParseUrl("HTTPS://user:pw@ID.Example.com:8443/a/b?x=1&y=2#frag");
        REQUIRE(url.has_value());
        CHECK(url->scheme == "https");
        CHECK(url->hasAuthority);
        CHECK(url->userinfo == "user:pw");
        CHECK(url->host == "id.example.com");
        CHECK(url->port == "8443");
        CHECK(url->path == "/a/b");
        CHECK(url->query == std::optional<std::string>("x=1&y=2"));
        CHECK(url->fragment == std::optional<std::string>("frag"));
    }
    SECTION("an IPv6 literal keeps its brackets") {
        const auto url = ParseUrl("http://[::1]:8080/cb");
        REQUIRE(url.has_value());
        CHECK(url->host == "[::1]");
        CHECK(url->port == "8080");
        CHECK(url->path == "/cb");
    }
    SECTION("an empty query is present but empty, a missing one is absent") {
        CHECK(ParseUrl("https://h/?")->query == std::optional<std::string>(""));
        CHECK_FALSE(ParseUrl("https://h/")->query.has_value());
        CHECK_FALSE(ParseUrl("https://h")->fragment.has_value());
    }
    SECTION("a question mark inside the fragment belongs to the fragment") {
        const auto url = ParseUrl("https://h/p#a?b");
        CHECK_FALSE(url->query.has_value());
        CHECK(url->fragment == std::optional<std::string>("a?b"));
    }
    SECTION("no scheme, a bad port or an unclosed bracket is unreadable") {
        CHECK_FALSE(ParseUrl("id.example.com/token").has_value());
        CHECK_FALSE(ParseUrl("/token").has_value());
        CHECK_FALSE(ParseUrl("").has_value());
        CHECK_FALSE(ParseUrl("https://h:80a/").has_value());
        CHECK_FALSE(ParseUrl("https://[::1/").has_value());
        CHECK_FALSE(ParseUrl("https://[::1]x/").has_value());
    }
    SECTION("a URL without // has no authority") {
        const auto url = ParseUrl("mailto:a@b.c");
        REQUIRE(url.has_value());
        CHECK_FALSE(url->hasAuthority);
        CHECK(url->path == "a@b.c");
    }
}

TEST_CASE("Loopback hosts are localhost, 127.0.0.0/8 and ::1", "[url]") {
    CheckAnswers(IsLoopbackHost, {{"localhost", true},
                                  {"LOCALHOST", true},
                                  {"127.0.0.1", true},
                                  {"127.10.20.30", true},
                                  {"[::1]", true},
                                  {"::1", true},
                                  {"128.0.0.1", false},
                                  {"127.0.0", false},
                                  {"127.0.0.256", false},
                                  {"127.0.0.1.evil.com", false},
                                  {"localhost.evil.com", false},
                                  {"example.com", false},
                                  {"", false}});
}

TEST_CASE("Appending to a query keeps what was there and the fragment last", "[url]") {
    CHECK(AppendQuery("https://h/auth", "a=1") == "https://h/auth?a=1");
    CHECK(AppendQuery("https://h/auth?tenant=x", "a=1") == "https://h/auth?tenant=x&a=1");
    CHECK(AppendQuery("https://h/auth?", "a=1") == "https://h/auth?a=1");
    CHECK(AppendQuery("https://h/auth?t=x&", "a=1") == "https://h/auth?t=x&a=1");
    CHECK(AppendQuery("https://h/auth#f", "a=1") == "https://h/auth?a=1#f");
    CHECK(AppendQuery("https://h/auth?t=x", "") == "https://h/auth?t=x");
}

TEST_CASE("URLs the browser would read differently are refused", "[url]") {
    std::string problem;
    SECTION("a backslash before the query, the reproduced loopback bypass") {
        // WHATWG reads '\' as '/': the browser sent this to 127.0.0.1:9501, not to 127.0.0.2.
        CHECK_FALSE(ParseUrl("http://127.0.0.1:9501\\@127.0.0.2:9/token", &problem).has_value());
        CHECK(problem ==
              "must not contain a backslash (\\): browsers read it as a slash, so the request would "
              "go to another host than the one checked");
        CHECK_FALSE(ParseUrl("https:\\\\evil.example/x").has_value());
        CHECK_FALSE(ParseUrl("https://h/a\\b").has_value());
    }
    SECTION("tabs, line breaks, spaces and other control characters anywhere") {
        for (const char* text : {"https://exa\tmple.com/", "https://example.com/\n", " https://h/",
                                 "https://h/?a=b c", "https://h/\x01", "https://h/\x7f"}) {
            CHECK_FALSE(ParseUrl(text, &problem).has_value());
            CHECK(problem == "must not contain spaces, tabs, line breaks or other control characters");
        }
    }
    SECTION("a percent-encoded host") {
        CHECK_FALSE(ParseUrl("http://127.0.0.%31/token", &problem).has_value());
        CHECK(problem == "must not percent-encode its host: browsers decode it, so the host they call is not "
                         "the one written");
        CHECK_FALSE(ParseUrl("https://%65vil.example/").has_value());
    }
    SECTION("a host that is not ASCII") {
        CHECK_FALSE(
            ParseUrl("http://\xef\xbc\x91\x32\x37.0.0.1/", &problem).has_value()); // fullwidth digit one
        CHECK(problem == "must spell its host in ASCII (an international domain name in its xn-- form), as "
                         "browsers convert other characters");
    }
    SECTION("IPv4 addresses that browsers read as another address") {
        for (const char* text :
             {"http://0127.0.0.1/", "http://127.1/", "http://0x7f.0.0.1/", "http://2130706433/",
              "http://127.0.0.01/", "http://127.0.0.1./", "http://1.2.3.4.5/", "http://example.0x1/"}) {
            INFO(text);
            CHECK_FALSE(ParseUrl(text, &problem).has_value());
            CHECK(problem ==
                  "must write an IPv4 address as four decimal numbers without leading zeros, like "
                  "127.0.0.1: browsers read forms such as 0127.0.0.1, 127.1 or 0x7f.0.0.1 as other "
                  "addresses");
        }
        CHECK(ParseUrl("http://127.0.0.1:8080/")->host == "127.0.0.1");
        CHECK(ParseUrl("http://10.0.0.255/")->host == "10.0.0.255");
        CHECK(ParseUrl("https://v2.example.com/")->host == "v2.example.com");
        CHECK(ParseUrl("https://1x.example/")->host == "1x.example");
    }
    SECTION("characters browsers refuse in a host, and IPv6 literals with more than an address") {
        CHECK_FALSE(ParseUrl("https://a<b/", &problem).has_value());
        CHECK(problem == "has a character browsers do not accept in a host name");
        CHECK_FALSE(ParseUrl("https://a^b/").has_value());
        CHECK_FALSE(ParseUrl("http://[::1%25eth0]/", &problem).has_value());
        CHECK(problem == "must write an IPv6 address with hexadecimal digits and colons only, like [::1]");
        CHECK(ParseUrl("http://[::FFFF:127.0.0.1]/")->host == "[::ffff:127.0.0.1]");
    }
    SECTION("a port above 65535") {
        CHECK_FALSE(ParseUrl("https://h:65536/", &problem).has_value());
        CHECK(problem == "must have a port from 0 to 65535");
        CHECK(ParseUrl("https://h:65535/")->port == "65535");
    }
    SECTION("userinfo is split at the last '@', as browsers do") {
        const auto url = ParseUrl("https://a@b@c.example/");
        REQUIRE(url);
        CHECK(url->hasUserinfo);
        CHECK(url->userinfo == "a@b");
        CHECK(url->host == "c.example");
        CHECK(ParseUrl("https://@c.example/")->hasUserinfo);
        CHECK_FALSE(ParseUrl("https://c.example/@x")->hasUserinfo);
    }
    SECTION("other schemes keep their own hosts, and queries may hold a backslash") {
        CHECK(ParseUrl("myapp://cb%20x/")->host == "cb%20x");
        CHECK(ParseUrl("https://h/cb?x=a\\b")->query == std::optional<std::string>("x=a\\b"));
        CHECK(ParseUrl("https://h/", &problem).has_value());
        CHECK(problem == "");
    }
}

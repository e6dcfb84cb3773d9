#include "core/url.h"

#include <catch2/catch.hpp>

using namespace oauth;

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
    CHECK(IsLoopbackHost("localhost"));
    CHECK(IsLoopbackHost("LOCALHOST"));
    CHECK(IsLoopbackHost("127.0.0.1"));
    CHECK(IsLoopbackHost("127.10.20.30"));
    CHECK(IsLoopbackHost("[::1]"));
    CHECK(IsLoopbackHost("::1"));
    CHECK_FALSE(IsLoopbackHost("128.0.0.1"));
    CHECK_FALSE(IsLoopbackHost("127.0.0"));
    CHECK_FALSE(IsLoopbackHost("127.0.0.256"));
    CHECK_FALSE(IsLoopbackHost("127.0.0.1.evil.com"));
    CHECK_FALSE(IsLoopbackHost("localhost.evil.com"));
    CHECK_FALSE(IsLoopbackHost("example.com"));
    CHECK_FALSE(IsLoopbackHost(""));
}

TEST_CASE("Appending to a query keeps what was there and the fragment last", "[url]") {
    CHECK(AppendQuery("https://h/auth", "a=1") == "https://h/auth?a=1");
    CHECK(AppendQuery("https://h/auth?tenant=x", "a=1") == "https://h/auth?tenant=x&a=1");
    CHECK(AppendQuery("https://h/auth?", "a=1") == "https://h/auth?a=1");
    CHECK(AppendQuery("https://h/auth?t=x&", "a=1") == "https://h/auth?t=x&a=1");
    CHECK(AppendQuery("https://h/auth#f", "a=1") == "https://h/auth?a=1#f");
    CHECK(AppendQuery("https://h/auth?t=x", "") == "https://h/auth?t=x");
}

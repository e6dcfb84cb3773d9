#include "core/encoding.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("Percent-encoding keeps only RFC 3986 unreserved characters", "[encoding]") {
    CheckOutputs(PercentEncode, {{"AZaz09-._~", "AZaz09-._~"},
                                 {"a b+c/d=e%f:g", "a%20b%2Bc%2Fd%3De%25f%3Ag"},
                                 {"*", "%2A"},
                                 {"\xC3\xA9", "%C3%A9"},
                                 {"", ""}});
}

TEST_CASE("Form-urlencoding follows the WHATWG serializer", "[encoding]") {
    SECTION("space becomes plus and * - . _ stay") {
        CHECK(FormUrlEncode("a b*c-d.e_f~g") == "a+b*c-d.e_f%7Eg");
    }
    SECTION("reserved characters are escaped with upper-case hex") {
        CHECK(FormUrlEncode("a:b+c/d=e%f g") == "a%3Ab%2Bc%2Fd%3De%25f+g");
        CHECK(FormUrlEncode("&?#\n") == "%26%3F%23%0A");
    }
    SECTION("non-ASCII bytes are escaped one by one") {
        CHECK(FormUrlEncode("\xC3\xBC") == "%C3%BC");
    }
}

TEST_CASE("Form-urldecoding reverses encoding and tolerates stray percent signs", "[encoding]") {
    CheckOutputs(FormUrlDecode, {{"a%3Ab%2Bc%2Fd%3De%25f+g", "a:b+c/d=e%f g"},
                                 {"%c3%bc", "\xC3\xBC"},
                                 {"100%", "100%"},
                                 {"%zz%4", "%zz%4"},
                                 {"%41%4", "A%4"}});
}

TEST_CASE("Forms encode and decode as ordered pairs", "[encoding]") {
    SECTION("encoding joins pairs with & and escapes names and values") {
        CHECK(EncodeForm({{"grant_type", "client_credentials"}, {"scope", "a b"}, {"x y", "1&2"}}) ==
              "grant_type=client_credentials&scope=a+b&x+y=1%262");
        CHECK(EncodeForm({}) == "");
    }
    SECTION("decoding skips empty pieces and keeps names without '='") {
        const FormParams params = DecodeForm("a=1&&b=&c&d=x%3Dy=z&e=+");
        REQUIRE(params.size() == 5);
        CHECK(params[0] == std::pair<std::string, std::string>{"a", "1"});
        CHECK(params[1] == std::pair<std::string, std::string>{"b", ""});
        CHECK(params[2] == std::pair<std::string, std::string>{"c", ""});
        CHECK(params[3] == std::pair<std::string, std::string>{"d", "x=y=z"});
        CHECK(params[4] == std::pair<std::string, std::string>{"e", " "});
    }
    SECTION("decoding keeps repeated names in order") {
        const FormParams params = DecodeForm("k=1&k=2");
        REQUIRE(params.size() == 2);
        CHECK(params[1].second == "2");
    }
}

TEST_CASE("Base64 matches the RFC 4648 section 10 test vectors", "[encoding][base64]") {
    CheckOutputs(Base64Encode, {{"", ""},
                                {"f", "Zg=="},
                                {"fo", "Zm8="},
                                {"foo", "Zm9v"},
                                {"foob", "Zm9vYg=="},
                                {"fooba", "Zm9vYmE="},
                                {"foobar", "Zm9vYmFy"}});
}

TEST_CASE("Base64url uses - and _ without padding and decodes either way", "[encoding][base64]") {
    const std::string bytes("\xFB\xFF\xBF", 3);
    CHECK(Base64Encode(bytes) == "+/+/");
    CHECK(Base64UrlEncode(bytes) == "-_-_");
    CHECK(Base64UrlEncode("f") == "Zg");
    CHECK(Base64UrlDecode("-_-_") == bytes);
    CHECK(Base64UrlDecode("Zg") == std::string("f"));
    CHECK(Base64UrlDecode("Zg==") == std::string("f"));
    CHECK(Base64UrlDecode("Zm9vYmFy") == std::string("foobar"));
    CHECK(Base64UrlDecode("") == std::string(""));
    SECTION("characters outside the alphabet or an impossible length are refused") {
        CHECK_FALSE(Base64UrlDecode("Zm9v+mFy").has_value());
        CHECK_FALSE(Base64UrlDecode("Zm9v YmFy").has_value());
        CHECK_FALSE(Base64UrlDecode("Zm9vY").has_value());
    }
}

#include "core/scopes.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("Scopes typed with spaces, commas or new lines become space-separated", "[scopes]") {
    CHECK(NormalizeScopes("openid profile") == "openid profile");
    CHECK(NormalizeScopes("openid,profile, email") == "openid profile email");
    CHECK(NormalizeScopes("openid\nprofile\r\nemail\t offline_access") ==
          "openid profile email offline_access");
    CHECK(NormalizeScopes("  ,\n ") == "");
    CHECK(NormalizeScopes("") == "");
    SECTION("duplicates are dropped, first occurrence kept") {
        CHECK(NormalizeScopes("b a b, a") == "b a");
    }
    SECTION("URL-shaped scopes are kept whole") {
        CHECK(NormalizeScopes("https://graph.microsoft.com/.default api://x/y") ==
              "https://graph.microsoft.com/.default api://x/y");
        CHECK(SplitScopes("api://x/y,openid") == std::vector<std::string>{"api://x/y", "openid"});
    }
}

#include "core/userinfo.h"

#include "core/json_depth.h"
#include "core/text.h"

namespace oauth {
namespace {

Userinfo Failed(EndpointError error) {
    Userinfo result;
    result.message = error.message;
    result.error = std::move(error);
    return result;
}

std::string Claims(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " claim" : " claims");
}

} // namespace

HttpRequest BuildUserinfoRequest(std::string_view userinfoUrl, std::string_view accessToken,
                                 std::string_view tokenType) {
    HttpRequest request;
    request.method = "GET";
    request.url = std::string(userinfoUrl);
    const bool dpop = text::LowerAscii(tokenType) == "dpop";
    request.headers.emplace_back("Authorization", (dpop ? "DPoP " : "Bearer ") + std::string(accessToken));
    if (dpop)
        request.dpop = PendingDpop{std::string(accessToken)};
    request.headers.emplace_back("Accept", "application/json");
    return request;
}

Userinfo ProcessUserinfoResponse(const FetchResult& fetched, const FetchContext& context,
                                 std::string_view idTokenSub) {
    if (auto problem = DescribeFetchProblem(fetched, context))
        return Failed(std::move(*problem));
    const HttpResponse& response = fetched.response;
    const std::string contentType = FindHeader(response.headers, "Content-Type").value_or("");
    if (response.status >= 200 && response.status < 300 && contentType.find("application/jwt") == 0)
        return Failed(MakeEndpointError(response, context.endpoint, "signed_userinfo",
                                        "The UserInfo endpoint answered with a signed or encrypted JWT "
                                        "(application/jwt, OpenID Connect Core 1.0 section 5.3.2); this page "
                                        "shows only JSON claims."));
    nlohmann::json body;
    if (auto error = ReadErrorAnswer(response, context.endpoint, &body))
        return Failed(std::move(*error));
    const auto sub = body.find("sub");
    if (sub == body.end() || !sub->is_string())
        return Failed(MakeEndpointError(response, context.endpoint, "missing_sub",
                                        "The UserInfo endpoint answered without a \"sub\" claim (OpenID "
                                        "Connect Core 1.0 section 5.3.2 requires it)."));
    if (!idTokenSub.empty() && sub->get<std::string>() != idTokenSub)
        return Failed(MakeEndpointError(response, context.endpoint, "sub_mismatch",
                                        "The UserInfo endpoint answered for \"" + sub->get<std::string>() +
                                            "\", not for the ID token's user \"" + std::string(idTokenSub) +
                                            "\", so its claims were not used (OpenID Connect Core 1.0 "
                                            "section 5.3.2)."));
    Userinfo result;
    result.claims = body;
    result.message = "The UserInfo endpoint returned " + Claims(body.size()) + " about \"" +
                     sub->get<std::string>() + "\".";
    return result;
}

} // namespace oauth

#include "core/revocation.h"
#include "core/text.h"

#include "core/authenticated_request.h"
#include "core/endpoint_error.h"

#include <charconv>

namespace oauth {
namespace {

// RFC 9110 section 10.2.3: Retry-After is delay-seconds or an HTTP date; only seconds are read.
std::optional<std::int64_t> DelaySeconds(std::string_view text) {
    text = text::TrimBlanks(text);
    std::int64_t seconds = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (status != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return seconds;
}

RevocationResult Unavailable(const HttpResponse& response) {
    RevocationResult result;
    EndpointError error = MakeEndpointError(response, kRevocationEndpoint, "temporarily_unavailable", {});
    std::string when = "later";
    if (const auto retryAfter = FindHeader(response.headers, "Retry-After")) {
        error.details.push_back({"Retry-After", *retryAfter});
        result.retryAfterSeconds = DelaySeconds(*retryAfter);
        if (result.retryAfterSeconds)
            when = "in " + std::to_string(*result.retryAfterSeconds) +
                   (*result.retryAfterSeconds == 1 ? " second" : " seconds");
        else if (!text::TrimBlanks(*retryAfter).empty())
            when = "after " + std::string(text::TrimBlanks(*retryAfter));
    }
    error.message = "The revocation endpoint is temporarily unavailable (HTTP 503); the token was not "
                    "revoked, try again " +
                    when + ".";
    result.message = error.message;
    result.error = std::move(error);
    return result;
}

} // namespace

HttpRequest BuildRevocationRequest(const Profile& profile, std::string_view token,
                                   std::string_view tokenTypeHint) {
    return BuildTokenPost(profile, profile.revocationUrl, token, tokenTypeHint);
}

RevocationResult ProcessRevocationResponse(const HttpResponse& response, std::string_view revocationUrl) {
    return ProcessRevocationResponse(ArrivedAnswer(response), ContextFor(revocationUrl, kRevocationEndpoint));
}

RevocationResult ProcessRevocationResponse(const FetchResult& fetched, const FetchContext& context) {
    RevocationResult result;
    if (auto problem = DescribeFetchProblem(fetched, context)) {
        result.message = problem->message;
        result.error = std::move(problem);
        return result;
    }
    const HttpResponse& response = fetched.response;
    if (response.status >= 200 && response.status < 300) {
        result.revoked = true;
        result.message = "The revocation endpoint answered HTTP " + std::to_string(response.status) +
                         ": the token is revoked, or was already invalid (RFC 7009 section 2.2).";
        if (response.status != 200)
            result.warnings.push_back("RFC 7009 section 2.2 expects HTTP 200 for a revocation.");
        return result;
    }
    if (response.status == 503)
        return Unavailable(response);
    EndpointError error = DescribeEndpointError(response, context.url, kRevocationEndpoint);
    if (error.code == "unsupported_token_type")
        error.message =
            "The revocation endpoint does not revoke this type of token (unsupported_token_type).";
    result.message = error.message;
    result.error = std::move(error);
    return result;
}

} // namespace oauth

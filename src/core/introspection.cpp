#include "core/introspection.h"
#include "core/json_depth.h"

#include "core/authenticated_request.h"
#include "core/endpoint_error.h"
#include "core/jwt.h"

namespace oauth {
namespace {

using json = nlohmann::json;

Introspection Failed(EndpointError error) {
    Introspection result;
    result.rawBody = error.rawBody;
    result.message = error.message;
    result.error = std::move(error);
    return result;
}

// RFC 7662 section 2.2: exp, iat and nbf are seconds since 1970-01-01 UTC.
void ReadDates(const json& body, Introspection& result) {
    for (const char* key : {"exp", "iat", "nbf"}) {
        const auto it = body.find(key);
        if (it == body.end() || it->is_null())
            continue;
        if (const auto seconds = ReadSeconds(*it))
            result.dates.push_back({key, FormatUtc(*seconds)});
        else
            result.warnings.push_back(std::string(key) + " is not a number of seconds (" + DumpJson(*it) +
                                      "); it is shown with the other fields.");
    }
}

} // namespace

HttpRequest BuildIntrospectionRequest(const Profile& profile, std::string_view token,
                                      std::string_view tokenTypeHint) {
    return BuildTokenPost(profile, profile.introspectionUrl, token, tokenTypeHint);
}

Introspection ProcessIntrospectionResponse(const HttpResponse& response, std::string_view introspectionUrl) {
    return ProcessIntrospectionResponse(ArrivedAnswer(response),
                                        ContextFor(introspectionUrl, kIntrospectionEndpoint));
}

Introspection ProcessIntrospectionResponse(const FetchResult& fetched, const FetchContext& context) {
    if (auto problem = DescribeFetchProblem(fetched, context))
        return Failed(std::move(*problem));
    const HttpResponse& response = fetched.response;
    const bool success = response.status >= 200 && response.status < 300;
    const json body = ParseUntrustedJson(response.body); // too deep: described as an error below
    const bool hasError = body.is_object() && body.contains("error") && !body.at("error").is_null();
    if (!success || !body.is_object() || hasError)
        return Failed(DescribeEndpointError(response, context.url, kIntrospectionEndpoint));

    const auto active = body.find("active");
    if (active == body.end() || !active->is_boolean()) {
        EndpointError error = MakeEndpointError(
            response, kIntrospectionEndpoint, "missing_active",
            "The introspection endpoint answered HTTP " + std::to_string(response.status) +
                " but the JSON has no boolean \"active\" (RFC 7662 section 2.2 requires it).");
        if (active != body.end())
            error.details.push_back({"active", DumpJson(*active)});
        return Failed(std::move(error));
    }

    Introspection result;
    result.active = active->get<bool>();
    result.fields = body;
    result.rawBody = response.body;
    ReadDates(body, result);
    result.message = result.active ? "The token is active (RFC 7662 section 2.2)."
                                   : "The token is not active: it is expired, revoked, unknown, or not "
                                     "visible to this client (RFC 7662 section 2.2).";
    return result;
}

} // namespace oauth

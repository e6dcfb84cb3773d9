#include "core/pushed_authorization.h"

#include "core/authenticated_request.h"
#include "core/client_authentication.h"
#include "core/url.h"

namespace oauth {
namespace {

PushedAuthorization Failed(EndpointError error) {
    PushedAuthorization result;
    result.error = std::move(error);
    return result;
}

} // namespace

ParDecision DecidePar(const Profile& profile, const DiscoveryMetadata* metadata) {
    ParDecision decision;
    if (profile.grantType != GrantType::AuthorizationCode)
        return decision;
    const std::string endpoint = metadata ? metadata->pushedAuthorizationRequestEndpoint : std::string();
    decision.required = metadata && metadata->requirePushedAuthorizationRequests;
    if (decision.required && !endpoint.empty())
        decision.note = "The provider requires pushed authorization requests "
                        "(require_pushed_authorization_requests), so PAR is always used for this profile.";
    else if (decision.required)
        decision.note = "The provider requires pushed authorization requests "
                        "(require_pushed_authorization_requests), but its metadata names no "
                        "pushed_authorization_request_endpoint.";
    else if (profile.usePar && !metadata)
        decision.refusal =
            "Use PAR needs the provider's pushed_authorization_request_endpoint: press Discover "
            "to read the provider's metadata.";
    else if (profile.usePar && endpoint.empty())
        decision.refusal = "Use PAR is ticked, but the provider's metadata names no "
                           "pushed_authorization_request_endpoint (RFC 9126 section 5).";
    if (!decision.refusal.empty())
        decision.note = decision.refusal;
    decision.offered = !endpoint.empty();
    decision.use = decision.offered && (decision.required || profile.usePar);
    if (decision.use)
        decision.endpoint = endpoint;
    return decision;
}

std::string DescribeUnpushedRefusal(const ParDecision& par, std::string_view callbackError) {
    if (par.use || !par.offered || callbackError != "invalid_request")
        return {};
    return "The request was not pushed: if the client is registered with "
           "require_pushed_authorization_requests (RFC 9126 section 6), tick Use PAR; the provider "
           "offers it.";
}

HttpRequest BuildPushedAuthorizationRequest(const Profile& profile, std::string_view endpoint,
                                            const FormParams& authorizationParams) {
    FormParams params;
    for (const auto& [name, value] : authorizationParams)
        if (name != "client_id" || UsesBasicAuthentication(profile))
            params.emplace_back(name, value);
    return BuildAuthenticatedPost(profile, endpoint, std::move(params));
}

PushedAuthorization ProcessPushedAuthorizationResponse(const FetchResult& fetched,
                                                       const FetchContext& context) {
    if (auto problem = DescribeFetchProblem(fetched, context))
        return Failed(std::move(*problem));
    const HttpResponse& response = fetched.response;
    nlohmann::json body;
    if (auto error = ReadErrorAnswer(response, context.endpoint, &body))
        return Failed(std::move(*error));
    if (response.status != 201)
        return Failed(MakeEndpointError(response, context.endpoint, "not_201",
                                        "The pushed authorization request endpoint answered HTTP " +
                                            std::to_string(response.status) +
                                            ", not 201 Created (RFC 9126 section 2.2), so its answer was not "
                                            "used."));
    const auto uri = body.find("request_uri");
    if (uri == body.end() || !uri->is_string() || uri->get<std::string>().empty())
        return Failed(MakeEndpointError(response, context.endpoint, "missing_request_uri",
                                        "The pushed authorization request endpoint answered without a "
                                        "request_uri (RFC 9126 section 2.2)."));
    PushedAuthorization result;
    result.requestUri = uri->get<std::string>();
    if (const auto expires = body.find("expires_in"); expires != body.end())
        result.expiresIn = ReadSeconds(*expires).value_or(0);
    return result;
}

std::string PushedAuthorizationUrl(std::string_view authorizationUrl, std::string_view clientId,
                                   std::string_view requestUri) {
    return AppendQuery(authorizationUrl, EncodeForm({{"client_id", std::string(clientId)},
                                                     {"request_uri", std::string(requestUri)}}));
}

} // namespace oauth

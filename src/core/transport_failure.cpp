#include "core/transport_failure.h"

#include "core/url.h"

namespace oauth {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsHostOrSubdomain(std::string_view host, std::string_view domain) {
    return host == domain || EndsWith(host, "." + std::string(domain));
}

} // namespace

bool IsMicrosoftEntraUrl(std::string_view url) {
    const auto parsed = ParseUrl(url);
    if (!parsed)
        return false;
    const std::string& host = parsed->host;
    return host == "login.microsoftonline.com" || host == "login.microsoftonline.us" ||
           host == "login.partner.microsoftonline.cn" || host == "login.microsoft.com" ||
           host == "login.windows.net" || IsHostOrSubdomain(host, "ciamlogin.com");
}

TokenError DescribeTransportFailure(std::string_view tokenUrl, std::string_view browserMessage) {
    TokenError error;
    error.code = "network_or_cors";
    if (IsMicrosoftEntraUrl(tokenUrl))
        error.message =
            "Microsoft Entra ID did not answer or refused a call from the browser (CORS); register "
            "the Redirect URL under the \"Single-page application\" platform of the app "
            "registration, not under \"Web\".";
    else
        error.message =
            "The token endpoint did not answer, or refused a call from the browser (CORS); check the "
            "Access Token URL and that the provider allows this page's origin for a browser "
            "(single-page) client.";
    error.details.push_back({"Access Token URL", std::string(tokenUrl)});
    error.details.push_back({"HTTP status", "0 (no answer reached the page)"});
    if (!browserMessage.empty())
        error.details.push_back({"Browser message", std::string(browserMessage)});
    return error;
}

} // namespace oauth

#pragma once
// When no HTTP answer reaches the page: the browser reports status 0 both for a network error
// and for a CORS refusal, and does not say which (Fetch standard, "network error").
#include "core/token_response.h"

#include <string_view>

namespace oauth {

// True for Microsoft Entra ID token hosts (login.microsoftonline.com and its national clouds,
// login.microsoft.com, *.ciamlogin.com), whose browser calls need the "Single-page application"
// platform.
bool IsMicrosoftEntraUrl(std::string_view url);

// code "network_or_cors", one sentence saying the provider did not answer or refused a browser
// call (CORS) and what to do about it, and the URL and browser message as details.
TokenError DescribeTransportFailure(std::string_view tokenUrl, std::string_view browserMessage = {});

} // namespace oauth

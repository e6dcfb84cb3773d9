#pragma once
// Plain HTTP values exchanged with the platform layer, which does the actual fetch.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oauth {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method;
    std::string url;
    HttpHeaders headers;
    std::string body;
};

struct HttpResponse {
    int status = 0; // 0: no HTTP answer reached the page (network error or CORS refusal)
    HttpHeaders headers;
    std::string body;
};

// First header with this name, compared case-insensitively (RFC 9110 section 5.1).
std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name);

} // namespace oauth

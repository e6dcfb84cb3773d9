#include "core/endpoint_error.h"

#include "core/transport_failure.h"

#include <charconv>
#include <cmath>
#include <string>

namespace oauth {
namespace {

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

void Rename(std::string& text, EndpointNames names) {
    ReplaceAll(text, "The token endpoint", "The " + std::string(names.endpoint));
    ReplaceAll(text, "Access Token URL", names.urlLabel);
}

} // namespace

TokenError DescribeEndpointError(const HttpResponse& response, std::string_view url, EndpointNames names) {
    TokenError error;
    if (response.status == 0) {
        error = DescribeTransportFailure(url);
    } else if (TokenResponse processed = ProcessTokenResponse(response, url); processed.error) {
        error = std::move(*processed.error);
    } else {
        // Only reached when a caller passes a token response; say so rather than invent an error.
        error.code = "unexpected_response";
        error.message = "The token endpoint answered HTTP " + std::to_string(response.status) +
                        " with a token response, which this step does not expect.";
        error.httpStatus = response.status;
        error.rawBody = response.body;
        error.details.push_back({"HTTP status", std::to_string(response.status)});
    }
    Rename(error.message, names);
    for (Detail& detail : error.details)
        Rename(detail.label, names);
    return error;
}

std::optional<std::int64_t> ReadSeconds(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        const std::uint64_t seconds = value.get<std::uint64_t>();
        if (seconds <= std::uint64_t(INT64_MAX))
            return std::int64_t(seconds);
    } else if (value.is_number_integer()) {
        const std::int64_t seconds = value.get<std::int64_t>();
        if (seconds >= 0)
            return seconds;
    } else if (value.is_number_float()) {
        const double seconds = value.get<double>();
        if (std::isfinite(seconds) && seconds >= 0 && seconds < 9.0e18)
            return std::int64_t(seconds);
    } else if (value.is_string()) {
        std::string_view text = value.get_ref<const std::string&>();
        while (!text.empty() && text.front() == ' ')
            text.remove_prefix(1);
        while (!text.empty() && text.back() == ' ')
            text.remove_suffix(1);
        if (text.empty() || text.front() < '0' || text.front() > '9')
            return std::nullopt; // from_chars would accept a leading '-'
        std::int64_t seconds = 0;
        const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (status == std::errc() && end == text.data() + text.size())
            return seconds;
    }
    return std::nullopt;
}

} // namespace oauth

#include "core/resource_indicators.h"

#include "core/scopes.h"

#include <cctype>

namespace oauth {
namespace {

bool IsSeparator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
bool HasScheme(std::string_view value) {
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(value[0])))
        return false;
    for (char c : value.substr(0, colon))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return false;
    return colon + 1 < value.size();
}

} // namespace

std::vector<std::string> SplitTargets(std::string_view typed) {
    return SplitDistinct(typed, IsSeparator);
}

void AppendResourceAndAudience(const Profile& profile, FormParams& params) {
    for (std::string& resource : SplitTargets(profile.resource))
        params.emplace_back("resource", std::move(resource));
    for (std::string& audience : SplitTargets(profile.audience))
        params.emplace_back("audience", std::move(audience));
}

void AppendScopeAndTargets(const Profile& profile, FormParams& params) {
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        params.emplace_back("scope", scope);
    AppendResourceAndAudience(profile, params);
}

std::optional<std::string> CheckResourceIndicators(std::string_view typed) {
    for (const std::string& value : SplitTargets(typed)) {
        if (!HasScheme(value))
            return "Resource: \"" + value +
                   "\" is not an absolute URI; RFC 8707 section 2 asks for one, such as "
                   "https://api.example.com/ or urn:example:api.";
        if (value.find('#') != std::string::npos)
            return "Resource: \"" + value +
                   "\" has a fragment (#...), which RFC 8707 section 2 does not allow.";
    }
    return std::nullopt;
}

} // namespace oauth

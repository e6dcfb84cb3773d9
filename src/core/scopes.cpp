#include "core/scopes.h"

#include <algorithm>

namespace oauth {
namespace {

bool IsScopeSeparator(char c) {
    return c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

std::vector<std::string> SplitScopes(std::string_view typed) {
    std::vector<std::string> scopes;
    std::size_t i = 0;
    while (i < typed.size()) {
        while (i < typed.size() && IsScopeSeparator(typed[i]))
            ++i;
        const std::size_t start = i;
        while (i < typed.size() && !IsScopeSeparator(typed[i]))
            ++i;
        if (i == start)
            continue;
        std::string scope(typed.substr(start, i - start));
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
            scopes.push_back(std::move(scope));
    }
    return scopes;
}

std::string NormalizeScopes(std::string_view typed) {
    std::string joined;
    for (const std::string& scope : SplitScopes(typed)) {
        if (!joined.empty())
            joined += ' ';
        joined += scope;
    }
    return joined;
}

} // namespace oauth

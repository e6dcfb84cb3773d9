#include "core/scopes.h"

#include <algorithm>

namespace oauth {
namespace {

bool IsScopeSeparator(char c) {
    return c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

std::vector<std::string> SplitDistinct(std::string_view typed, bool (*isSeparator)(char)) {
    std::vector<std::string> values;
    std::size_t i = 0;
    while (i < typed.size()) {
        while (i < typed.size() && isSeparator(typed[i]))
            ++i;
        const std::size_t start = i;
        while (i < typed.size() && !isSeparator(typed[i]))
            ++i;
        if (i == start)
            continue;
        std::string value(typed.substr(start, i - start));
        if (std::find(values.begin(), values.end(), value) == values.end())
            values.push_back(std::move(value));
    }
    return values;
}

std::vector<std::string> SplitScopes(std::string_view typed) {
    return SplitDistinct(typed, IsScopeSeparator);
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

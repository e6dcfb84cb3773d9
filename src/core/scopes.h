#pragma once
// Scope lists as people type them vs. as the protocol carries them (RFC 6749 section 3.3).
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// The runs of `typed` between separators, without empty runs and exact duplicates, in the order of
// their first occurrence: how both scopes and resource indicators are typed.
std::vector<std::string> SplitDistinct(std::string_view typed, bool (*isSeparator)(char));

// Splits on spaces, tabs, commas and new lines; drops empty entries and exact duplicates,
// keeping the first occurrence's order.
std::vector<std::string> SplitScopes(std::string_view typed);

// RFC 6749 section 3.3: scope is a list of space-delimited strings. "openid, profile\nemail"
// becomes "openid profile email".
std::string NormalizeScopes(std::string_view typed);

} // namespace oauth

#pragma once
// Naming the API a token is for: resource indicators (RFC 8707) and the "audience" parameter that
// providers such as Auth0 take instead. Both go on the authorization request (RFC 8707 section
// 2.1), the device authorization request and every token request (section 2.2); never on
// revocation or introspection, which are about a token already issued.
#include "core/encoding.h"
#include "core/profile.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// The values typed in Resource or Audience: separated by spaces, tabs or new lines (a URI holds
// none of them, RFC 3986 appendix C), duplicates dropped, the order kept.
std::vector<std::string> SplitTargets(std::string_view typed);

// Appends one "resource" parameter per resource indicator (RFC 8707 section 2: the parameter may
// be repeated), then one "audience" per audience.
void AppendResourceAndAudience(const Profile& profile, FormParams& params);
// What the token is asked for, as the direct grants and the device authorization request send it:
// "scope" when scopes are set (RFC 6749 section 3.3, normalised), then AppendResourceAndAudience.
void AppendScopeAndTargets(const Profile& profile, FormParams& params);

// RFC 8707 section 2: each resource must be an absolute URI (RFC 3986 section 4.3), without a
// fragment. The sentence about the first value that is not, or nullopt.
std::optional<std::string> CheckResourceIndicators(std::string_view typed);

} // namespace oauth

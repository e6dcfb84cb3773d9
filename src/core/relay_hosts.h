#pragma once
// The CORS relay's default allowlist, one list for the page and serve.py: static/relay-hosts.json,
// embedded into the page at build time (CMake) and read by serve.py at start-up.

#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// The hosts of one preset's POST endpoints (token, device, revocation, introspection) as the
// relay's allowlist has them: exact host names, or "*.example.com" for any subdomain. Empty for
// an id the file does not name.
std::vector<std::string> RelayHostsOf(std::string_view presetId);

// The text of static/relay-hosts.json as it was at build time.
std::string_view RelayHostsDocument();

} // namespace oauth

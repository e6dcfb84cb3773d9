#pragma once
// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the browser is sent to the
// provider's end_session_endpoint, which ends the person's session there and comes back to the
// post_logout_redirect_uri (this page's callback page) with the state.
#include <string>
#include <string_view>

namespace oauth {

// Section 2: id_token_hint (the ID token the provider issued, naming the session), the
// post_logout_redirect_uri it returns to (registered for the client), client_id and state.
std::string BuildLogoutUrl(std::string_view endSessionEndpoint, std::string_view idToken,
                           std::string_view postLogoutRedirectUri, std::string_view clientId,
                           std::string_view state);

} // namespace oauth

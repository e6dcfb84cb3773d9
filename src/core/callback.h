#pragma once
// Step 2 of the authorization code grant: the redirect back to the page (RFC 6749 section 4.1.2
// and 4.1.2.1), with the CSRF state check (section 10.12) and the RFC 9207 issuer check.
#include <string>
#include <string_view>

namespace oauth {

enum class CallbackOutcome {
    Code,          // a code to exchange: go on with the token request
    ProviderError, // the authorization server answered with "error" (section 4.1.2.1)
    Rejected,      // the page refuses this callback; see `rejection`
};

struct Callback {
    CallbackOutcome outcome = CallbackOutcome::Rejected;
    // Parameters as received (decoded); filled whenever they could be read, even when rejected.
    std::string code;
    std::string state;
    std::string iss;
    std::string error;
    std::string errorDescription;
    std::string errorUri;
    // Short code of why it was rejected: unreadable_url, no_response_parameters, repeated_parameter,
    // no_pending_request, state_missing, state_mismatch, issuer_mismatch, code_missing. Empty otherwise.
    std::string rejection;
    std::string message; // one sentence for the user; empty for Code
};

// Reads the callback URL's query, or its fragment when the query has no response parameter
// (response_mode=fragment). `expectedState` is the state of the pending request (empty: none is
// pending); `expectedIssuer` is the profile's issuer (empty: unknown, so iss is not checked).
// Checks, in order: parameters not repeated (section 3.1), state present and equal (section
// 10.12), iss equal when both are known (RFC 9207 section 2.4), then error or code.
Callback ParseCallback(std::string_view callbackUrl, std::string_view expectedState,
                       std::string_view expectedIssuer = {});

} // namespace oauth

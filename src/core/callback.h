#pragma once
// Step 2 of the authorization code grant: the redirect back to the page (RFC 6749 section 4.1.2
// and 4.1.2.1), with the CSRF state check (section 10.12) and the RFC 9207 issuer check.
#include <optional>
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
    bool hasIss = false; // the callback has an iss parameter (possibly empty)
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

// The verdict of CheckCallbackIssuer: ok(), or a rejection code and one sentence to show.
struct IssuerCheck {
    std::string rejection; // issuer_mismatch, issuer_missing, issuer_unverifiable; empty when ok
    std::string message;
    bool ok() const { return rejection.empty(); }
};

// Mix-up defence (RFC 9700 section 4.4, RFC 9207 section 2.4), to run on every callback before
// its code is redeemed:
// - `expectedIssuer`: the issuer of the server the authorization request went to (the profile's
//   Issuer, as copied into the attempt); empty when the profile has none.
// - `issParameterSupported`: the metadata's authorization_response_iss_parameter_supported
//   (Discovery::metadata.authorizationResponseIssParameterSupported); false when unknown.
// - `iss`: the callback's iss parameter as decoded, nullopt when it has none.
// Rules, in order:
// 1. an iss is present but `expectedIssuer` is empty: rejected, issuer_unverifiable (nothing to
//    compare it with, so it cannot prove which server answered);
// 2. an iss differs from `expectedIssuer` (simple string comparison, section 2.4): rejected,
//    issuer_mismatch (the same sentence ParseCallback gives);
// 3. no iss while `issParameterSupported`: rejected, issuer_missing (section 2.4: such a server
//    always sends it, so the answer may come from another one);
// 4. otherwise ok (no iss from a server that does not announce it: nothing to check).
IssuerCheck CheckCallbackIssuer(std::string_view expectedIssuer, bool issParameterSupported,
                                std::optional<std::string_view> iss);
// The same for a parsed callback (its hasIss and iss).
IssuerCheck CheckCallbackIssuer(std::string_view expectedIssuer, bool issParameterSupported,
                                const Callback& callback);

} // namespace oauth

#pragma once
// The providers' own error codes for the common set-up mistakes, and the fix for each: the preset
// guidance lists them, and a failure whose answer carries one of them gets its fix appended to the
// status sentence. Codes are the providers' documented ones (Entra's AADSTS numbers inside
// error_description, the others' RFC 6749 section 5.2 / 4.1.2.1 "error" values).
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct ProviderErrorFix {
    std::string presetId; // the preset row the code belongs to: "entra", "google", ...
    std::string code;     // "AADSTS7000215", "redirect_uri_mismatch", "invalid_client", ...
    std::string fix;      // one sentence: what to change, and where
};

// Every known code of one provider (presets.h id), in the order the guidance lists them.
std::vector<ProviderErrorFix> ProviderErrorFixes(std::string_view presetId);

// The provider a URL belongs to, by its host: "entra" for login.microsoftonline.com, "cognito" for
// *.amazoncognito.com, ... ("" when unknown, loopback included).
std::string ProviderForUrl(std::string_view url);

// The fix for a provider's answer, as one sentence "Fix (CODE): ...", or "" when there is none.
// `presetIdOrUrl` is the profile's preset id, or (for a profile made by hand) the URL that
// answered. Entra: the first AADSTS number in `description` decides (error_codes repeat it);
// the others: `code` (the "error" value), refined by words of `description` where one code
// covers several mistakes.
std::string ProviderFix(std::string_view presetIdOrUrl, std::string_view code, std::string_view description);

} // namespace oauth

#include "app/parts.h"

#include "app/controller_detail.h"

#include "core/dpop.h"
#include "core/provider_errors.h"

#include <cmath>

namespace app {

using oauth::Profile;

void SelectProfile(const Parts& parts, int index) {
    AppState& s = parts.state;
    if (index < 0 || index >= static_cast<int>(s.profiles.size()))
        return;
    s.selected = index;
    s.nameDraft = s.profiles[static_cast<std::size_t>(index)].tokenName;
    s.nameError.clear();
    s.errorDetails.clear();
    s.rawResponse.clear();
    s.popupBlocked = false;
    s.offerRelayRetry = s.offerUnencodedRetry = false;
    s.confirmDelete = false;
    s.touched.clear();
    s.showAllErrors = false;
    s.placeholderDrafts.clear();
    s.placeholderError.clear();
    s.copied.clear();
    if (s.attempt.busy == Busy::None)
        s.status.clear();
    parts.platform.saveText(kSelectedKey, s.profiles[static_cast<std::size_t>(index)].tokenName);
}

std::string UniqueName(const AppState& state, const std::string& base) {
    auto taken = [&](const std::string& name) {
        for (const Profile& p : state.profiles)
            if (detail::lower(p.tokenName) == detail::lower(name))
                return true;
        return false;
    };
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        std::string name = base + " " + std::to_string(n);
        if (!taken(name))
            return name;
    }
}

std::vector<std::string> OtherNames(const AppState& state, int index) {
    std::vector<std::string> names;
    for (int i = 0; i < static_cast<int>(state.profiles.size()); ++i)
        if (i != index)
            names.push_back(state.profiles[static_cast<std::size_t>(i)].tokenName);
    return names;
}

Profile* FindProfile(AppState& state, const std::string& tokenName) {
    for (Profile& p : state.profiles)
        if (p.tokenName == tokenName)
            return &p;
    return nullptr;
}

void StampOutcome(const Parts& parts, const Profile& profile) {
    parts.state.outcomeAt[profile.tokenName] = parts.platform.now();
}

namespace {

// The failure sentence with the provider's fix for its error code appended (provider_errors.h).
std::string WithProviderFix(const Profile& profile, const std::string& message,
                            const oauth::Details& details) {
    std::string code, description;
    for (const oauth::Detail& d : details) {
        if (d.label == "error")
            code = d.value;
        else if (d.label == "error_description")
            description = d.value;
    }
    if (code.empty() && description.empty())
        return message;
    // The preset decides (its URLs may point elsewhere); a profile made by hand is known by its host.
    std::string fix = oauth::ProviderFix(profile.preset, code, description);
    for (const std::string* url : {&profile.accessTokenUrl, &profile.authorizationUrl})
        if (fix.empty() && profile.preset.empty())
            fix = oauth::ProviderFix(*url, code, description);
    return fix.empty() || message.find(fix) != std::string::npos ? message : message + " " + fix;
}

} // namespace

void Fail(const Parts& parts, Profile& profile, const std::string& message, oauth::Details details) {
    profile.state = oauth::ProfileState::Error;
    profile.lastError = WithProviderFix(profile, message, details);
    parts.state.status = profile.lastError;
    StampOutcome(parts, profile);
    parts.state.errorDetails = std::move(details);
    parts.store.save();
}

void Connect(const Parts& parts, Profile& profile, const oauth::TokenSuccess& token) {
    AppState& s = parts.state;
    nlohmann::json kept = token.fields.is_object() ? token.fields : nlohmann::json::object();
    kept["obtained_at"] = static_cast<std::int64_t>(std::floor(parts.platform.now()));
    profile.lastToken = kept;
    profile.state = oauth::ProfileState::Connected;
    StampOutcome(parts, profile);
    profile.lastError.clear();
    s.errorDetails.clear();
    s.introspectionText.clear();
    s.userinfoText.clear();
    s.status = "Connected: " + (token.tokenType.empty() ? std::string("a") : token.tokenType) +
               " token was issued" +
               (token.expiresIn ? ", valid for " + std::to_string(*token.expiresIn) + " s." : ".");
    // The grant went through, so the State is Connected; a token that is not DPoP-bound although a
    // proof was sent is a setting of the server, said here and in the token panel.
    if (profile.useDpop)
        if (std::string unbound = oauth::DescribeUnboundTokenType(token.tokenType); !unbound.empty())
            s.status += " " + unbound;
    parts.store.save();
}

} // namespace app

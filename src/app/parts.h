// The parts the Controller routes intents to, handed whole to the GrantSession and the tools: the
// page's state, the browser, the stored profiles and the one way requests go out. Beside them, the
// few steps on AppState that several parts take: choosing and naming a profile, and writing an
// attempt's outcome (Connected, Error) into its profile.
#pragma once

#include "app/app_state.h"
#include "app/fetcher.h"
#include "app/profile_store.h"
#include "core/token_response.h"
#include "platform/platform.h"

#include <string>
#include <vector>

namespace app {

struct Parts {
    platform::Platform& platform;
    AppState& state;
    ProfileStore& store;
    Fetcher& fetcher;
};

// Makes profile `index` the selected one: the page forgets what it showed of the previous one
// (errors, offers, drafts; the status unless an attempt runs) and storage remembers the choice.
void SelectProfile(const Parts& parts, int index);
// `base`, else `base 2`, `base 3`, ...: a Token Name no profile has (names compare case-insensitively).
std::string UniqueName(const AppState& state, const std::string& base);
// The Token Names of every profile but profile `index` (validation refuses a name twice).
std::vector<std::string> OtherNames(const AppState& state, int index);
// The profile with this Token Name, or nullptr (deleted meanwhile).
oauth::Profile* FindProfile(AppState& state, const std::string& tokenName);

// The State badge's time: now.
void StampOutcome(const Parts& parts, const oauth::Profile& profile);
// The profile's State is Error with `message` (the provider's fix for its error code appended,
// provider_errors.h); shown as the status with `details`, and saved.
void Fail(const Parts& parts, oauth::Profile& profile, const std::string& message,
          oauth::Details details = {});
// The profile is Connected with `token` (obtained now), and saved.
void Connect(const Parts& parts, oauth::Profile& profile, const oauth::TokenSuccess& token);

} // namespace app

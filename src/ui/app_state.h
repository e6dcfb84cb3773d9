// Everything the page shows lives in AppState, a plain struct. The UI is a function of it
// (ui::DrawApp), called once per frame; it never calls the network or storage itself.
#pragma once

#include <string>

namespace ui {

struct AppState {
    // Placeholder form of the foundation; the setup form replaces it.
    std::string tokenName;
    std::string clientId;
    std::string clientSecret;
    std::string scopes;
    bool showSecret = false;
    std::string status;
    bool darkMode = false;
};

void ApplyTheme(bool dark);
void DrawApp(AppState& state);

} // namespace ui

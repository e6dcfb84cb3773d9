// The page's UI: functions of AppState, drawn once per frame. They edit the selected profile's
// fields in place and emit intents (app::Intent) for everything else.
#pragma once

#include "app/app_state.h"

namespace ui {

void DrawApp(app::AppState& state);

// A button that emits `intent` when pressed; true then.
bool IntentButton(app::AppState& state, const char* caption, app::Intent::Kind intent);

// Parts of the page, each in its own file.
void DrawProfileList(app::AppState& state);
void DrawSetupForm(app::AppState& state);
void DrawTokenPanel(app::AppState& state);
void DrawSetupCheck(app::AppState& state); // setup_check_panel.cpp
void DrawDeviceCode(app::AppState& state);
void DrawFlow(app::AppState& state);
void DrawExchangeLog(app::AppState& state);

} // namespace ui

// The browser implementation of platform::Platform: localStorage, Emscripten fetch, the consent
// popup, clipboard and downloads (through web/boot.js). Asynchronous results are queued and run
// at the start of the next frame (DrainPosted), never in the middle of one.
#pragma once

#include "platform/platform.h"

#include <functional>

namespace web {

platform::Platform& BrowserPlatform();

// Runs every result posted since the last frame. Returns true when anything ran.
bool DrainPosted();
// Queues work for the start of the next frame and asks for that frame.
void Post(std::function<void()> work);

// Set by main: where the consent popup's answers and closing go.
struct PopupHandlers {
    std::function<void(const std::string& url)> onCallback;
    std::function<void()> onClosed;
    std::function<void(const std::string& key, const std::string& text)> onStorageChanged;
};
void SetPopupHandlers(PopupHandlers handlers);

} // namespace web

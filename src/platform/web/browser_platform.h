// The browser implementation of platform::Platform: localStorage, Emscripten fetch, the consent
// popup, clipboard and downloads (through web/host). Everything that arrives later (fetch answers,
// the Redirect URL page, the popup closing, other tabs' saves, WebCrypto) is posted to the
// Platform's one queue, which the frame loop runs at the start of a frame (runQueued).
#pragma once

#include "platform/platform.h"

namespace web {

platform::Platform& BrowserPlatform();
// How many requests the page has sent since it loaded (the frame loop sees whether a frame sent one).
int FetchesStarted();

} // namespace web

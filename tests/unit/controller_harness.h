// The Controller driven the way the frame loop drives it, against FakePlatform: the UI's intents
// are pushed into state.intents and applied with applyIntents(); timers run from tick() after
// state.now is set; fetches and crypto finish only when the test answers them.
#pragma once

#include "app/controller.h"

#include "core/encoding.h"
#include "core/storage.h"

#include "fake_platform.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace oauth::test {

constexpr double T0 = 1'700'000'000; // FakePlatform's clock at the start

const char* const kTokenBody =
    R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"})";

struct Harness {
    FakePlatform platform;
    app::AppState state;
    app::Controller controller{platform, state};

    Harness() { state.now = platform.clock; }
    // Loaded with `profile` stored as the only one.
    explicit Harness(const oauth::Profile& profile) : Harness() { load({profile}); }

    // Stores `profiles` as the saved document (unless empty), then loads like the page does.
    void load(const std::vector<oauth::Profile>& profiles = {}) {
        if (!profiles.empty())
            platform.storage[app::kStorageKey] = oauth::EncodeDocument(profiles);
        controller.load();
    }
    // One frame in which the UI emitted this intent.
    void intent(app::Intent::Kind kind, std::int64_t index = -1, std::string text = {}) {
        state.emit(kind, index, std::move(text));
        controller.applyIntents();
    }
    // The frame loop goes idle after the frames of a burst (main_web.cpp): the edits typed in them
    // are written.
    void idle() { controller.flushEdits(); }
    // A frame at time t: the clock moves, then the timers run.
    void at(double t) {
        platform.clock = t;
        state.now = t;
        controller.tick();
    }
    // The latest attempt, for the values of the request it sent (state, code verifier, nonce).
    const app::GrantSession& session() const {
        REQUIRE(controller.session() != nullptr);
        return *controller.session();
    }
    oauth::Profile& selected() {
        REQUIRE(state.current() != nullptr);
        return *state.current();
    }
    std::string stored() const {
        auto it = platform.storage.find(app::kStorageKey);
        return it == platform.storage.end() ? std::string() : it->second;
    }
    nlohmann::json snapshot() const { return nlohmann::json::parse(controller.snapshotJson()); }
    const oauth::HttpRequest& request(std::size_t index) const {
        REQUIRE(index < platform.fetches.size());
        return platform.fetches[index].request;
    }
};

inline std::string Header(const oauth::HttpRequest& request, const char* name) {
    return oauth::FindHeader(request.headers, name).value_or("<missing>");
}

// The value of a form (or query) field, "<missing>" when absent.
inline std::string Field(std::string_view form, const std::string& name) {
    for (const auto& [key, value] : oauth::DecodeForm(form))
        if (key == name)
            return value;
    return "<missing>";
}

} // namespace oauth::test

// The setup form of the selected profile: fields in the spec's order, the grant's own fields
// only, validation next to each field as the person types, and Get Access Token.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/discovery.h"
#include "core/jwt.h"
#include "core/presets.h"
#include "core/provider_errors.h"
#include "core/validation.h"

#include "imgui.h"
#include "imgui_stdlib.h"

#include <map>

namespace ui {

namespace {

const char* const kGrantCaptions[] = {"Authorization Code", "Password Credentials", "Client Credentials",
                                      "Device Code"};
const char* const kGrantValues[] = {"authorization_code", "password", "client_credentials", "device_code"};
const char* const kAuthCaptions[] = {"Send as Basic Auth header", "Send client credentials in body"};
const char* const kAuthValues[] = {"header", "body"};
const char* const kPasswordGrantWarning =
    "RFC 9700 (OAuth 2.0 Security Best Current Practice) section 2.4 says the password grant must not be "
    "used: it hands the user's password to the client. Use it only to test a legacy set-up; prefer "
    "Authorization Code with PKCE.";

template <size_t N> int indexOf(const char* const (&values)[N], const std::string& value) {
    for (size_t i = 0; i < N; ++i)
        if (value == values[i])
            return static_cast<int>(i);
    return 0;
}

struct FormContext {
    app::AppState& state;
    std::map<std::string, std::string> errors;         // what blocks the grant: field key -> message
    std::map<std::string, std::string> optionalErrors; // what blocks a tool (Revoke, Discover, ...)
    bool changed = false;

    // A blocking error shows once the field was edited or Get Access Token was pressed (then the
    // "Not sent" sentence counts exactly these marks); a tool's URL error only as it is typed.
    void fieldError(const std::string& key) {
        auto it = errors.find(key);
        if (it != errors.end() && (state.showAllErrors || state.touched.count(key)))
            ErrorText(it->second);
        auto optional = optionalErrors.find(key);
        if (optional != optionalErrors.end() && state.touched.count(key))
            ErrorText(optional->second);
    }
    void edited(bool edited, const std::string& key) {
        if (!edited)
            return;
        state.touched.insert(key);
        changed = true;
    }
};

// ImGui's password mode draws one '*' per character. At rest a masked field is drawn over with a
// mask of fixed length, so a glance or a screenshot does not tell how long the secret is; while
// it is being edited it shows one '*' per character, as a browser's password field does.
void CoverWithFixedMask() {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float border = style.FrameBorderSize;
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 inMin(min.x + border, min.y + border), inMax(max.x - border, max.y - border);
    // FrameBg is opaque; the hovered colour is translucent, so it goes over it.
    draw->AddRectFilled(inMin, inMax, ImGui::GetColorU32(ImGuiCol_FrameBg), style.FrameRounding);
    if (ImGui::IsItemHovered())
        draw->AddRectFilled(inMin, inMax, ImGui::GetColorU32(ImGuiCol_FrameBgHovered), style.FrameRounding);
    draw->PushClipRect(min, max, true);
    draw->AddText(ImVec2(min.x + style.FramePadding.x, min.y + style.FramePadding.y),
                  ImGui::GetColorU32(ImGuiCol_Text), "********");
    draw->PopClipRect();
}

void secretField(FormContext& f, const char* caption, const char* key, std::string* value, bool* show,
                 const char* toggle) {
    if (f.state.locked) {
        // Sealed: typing here would be lost; the value comes back on Unlock.
        ReadOnlyField(caption, "(locked)", &Colors().muted, false);
        return;
    }
    const float toggleWidth = ImGui::CalcTextSize(toggle).x + ImGui::GetFrameHeight() + 16;
    ImGui::PushID(caption);
    ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(-toggleWidth);
    f.edited(ImGui::InputText("##field", value, *show ? 0 : ImGuiInputTextFlags_Password), key);
    if (!*show && !value->empty() && !ImGui::IsItemActive())
        CoverWithFixedMask();
    CaptionLastItem(caption);
    ReportSecret(*value);
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::Checkbox(toggle, show);
    ImGui::PopID();
    f.fieldError(key);
}

// The preset's name, guidance, its provider's error codes, and a small form asking once for each
// placeholder ({tenant}, ...) still in the URLs.
void presetSection(app::AppState& state, const oauth::Profile& p) {
    const oauth::Preset* preset = oauth::FindPreset(p.preset);
    if (preset) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().accent);
        ImGui::TextUnformatted(preset->name.c_str());
        ImGui::PopStyleColor();
        MutedText(preset->guidance.c_str());
        const auto fixes = oauth::ProviderErrorFixes(preset->id);
        if (!fixes.empty() && ImGui::TreeNode("Common errors and their fixes")) {
            for (const oauth::ProviderErrorFix& fix : fixes) {
                ImGui::PushTextWrapPos(0);
                ImGui::TextWrapped("%s: %s", fix.code.c_str(), fix.fix.c_str());
                ImGui::PopTextWrapPos();
            }
            ImGui::TreePop();
        }
    }
    const std::vector<std::string> names = oauth::PlaceholdersInUrls(p);
    if (!names.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::TextUnformatted(
            "Fill in your values: each goes into every URL below, the Discovery URL included.");
        ImGui::PopStyleColor();
        for (const std::string& name : names) {
            ImGui::AlignTextToFramePadding();
            ImGui::Text("{%s}", name.c_str());
            ImGui::SameLine(150);
            ImGui::SetNextItemWidth(320);
            ImGui::PushID(name.c_str());
            ImGui::InputText("##placeholder", &state.placeholderDrafts[name]);
            CaptionLastItem(name.c_str());
            ReportValue(state.placeholderDrafts[name]);
            ImGui::PopID();
        }
        if (ImGui::Button("Apply"))
            state.emit(app::Intent::FillPlaceholders);
        if (!state.placeholderError.empty())
            ErrorText(state.placeholderError);
    }
    if (preset || !names.empty())
        ImGui::Spacing();
}

// State reads as a status: a coloured badge with the time of the outcome. A revoked token and
// an older outcome during a new attempt say so.
void stateBadge(const app::AppState& state, const oauth::Profile& p, double at) {
    const bool revoked = p.lastToken.is_object() && p.lastToken.contains(app::kRevokedAtKey);
    std::string text =
        p.state.empty() ? (revoked ? "Default (token revoked)" : "Default (no token yet)") : p.state;
    if (at > 0)
        text += (p.state.empty() ? " since " : " at ") + oauth::FormatUtc(static_cast<std::int64_t>(at));
    if (state.attempt.busy != app::Busy::None && state.attempt.profileName == p.tokenName && !p.state.empty())
        text += " (previous attempt)";
    const ImVec4& color = p.state == "Connected" ? Colors().ok
                          : p.state == "Error"   ? Colors().error
                                                 : Colors().muted;
    StatusBadge("State", text, color);
}

// The one outcome sentence under the buttons; scrolled into view when an attempt ends.
void outcome(app::AppState& state, const oauth::Profile& p, bool ended) {
    const std::string text = state.outcomeText();
    if (text.empty())
        return;
    const bool failed = (p.state == "Error" && text == p.lastError) || text.rfind("Not sent:", 0) == 0;
    if (failed)
        ErrorText(text);
    else {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
    }
    AnnounceText("Status", text);
    if (ended && p.state != "Connected")
        ImGui::SetScrollHereY(0.5f);
}

// How long the consent popup may take before the attempt ends; separate from Timeout (s), which is
// for each request.
void ConsentTimeoutField(app::AppState& state) {
    // Its own line: beside Timeout (s) it would run past the right edge of a narrow window.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Consent timeout (s)");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::PushID("##consent-timeout");
    const ImGuiID id = ImGui::GetID("");
    ImGui::PopID();
    ImGui::InputInt("##consent-timeout", &state.consentTimeoutSeconds, 30, 60);
    CaptionItem(id, "Consent timeout (s)");
    ReportValue(std::to_string(state.consentTimeoutSeconds), id);
    if (ImGui::IsItemDeactivatedAfterEdit() || (ImGui::IsItemEdited() && !ImGui::IsItemActive()))
        state.emit(app::Intent::ConsentTimeoutChanged);
}

// The next step a failure offers, as buttons beside Get Access Token.
void RetryOffers(app::AppState& state) {
    if (state.offerRelayRetry) {
        ImGui::SameLine();
        if (ImGui::Button("Retry through the relay"))
            state.emit(app::Intent::RetryThroughRelay);
    }
    if (state.offerUnencodedRetry) {
        ImGui::SameLine();
        if (ImGui::Button("Retry with unencoded credentials"))
            state.emit(app::Intent::RetryUnencoded);
    }
}

} // namespace

void DrawSetupForm(app::AppState& state) {
    oauth::Profile* p = state.current();
    if (!p)
        return;
    FormContext f{state, {}, {}, false};
    std::vector<std::string> others;
    for (int i = 0; i < static_cast<int>(state.profiles.size()); ++i)
        if (i != state.selected)
            others.push_back(state.profiles[i].tokenName);
    for (const oauth::FieldError& e : oauth::ValidateProfile(*p, others))
        f.errors.emplace(e.field, e.message);
    for (const oauth::FieldError& e : oauth::ValidateOptionalEndpoints(*p))
        f.optionalErrors.emplace(e.field, e.message);

    const bool authCode = p->grantType == "authorization_code";
    const bool password = p->grantType == "password";
    const bool device = p->grantType == "device_code";
    const bool busy = state.attempt.busy != app::Busy::None;

    presetSection(state, *p);

    if (ImGui::BeginTable("form", 2, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("caption", ImGuiTableColumnFlags_WidthFixed, 170);
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);

        BeginRow("Token Name", "A unique name for this setup. Postman's exports use it as the token's name.");
        if (TextField("Token Name", &state.nameDraft)) {
            state.touched.insert("tokenName");
            state.emit(app::Intent::Rename, -1, state.nameDraft);
        }
        if (!state.nameError.empty())
            ErrorText(state.nameError);

        BeginRow("Issuer / Discovery URL",
                 "The provider's issuer (or its .well-known/openid-configuration URL). "
                 "Discover reads its metadata and fills in the endpoints below.");
        {
            const float w = ImGui::CalcTextSize("Discover").x + 24;
            ImGui::PushID("discovery");
            ImGui::PushFont(MonoFont());
            ImGui::SetNextItemWidth(-w);
            f.edited(ImGui::InputTextWithHint("##field", "https://login.example.com", &p->discoveryUrl),
                     "discoveryUrl");
            CaptionLastItem("Issuer / Discovery URL");
            ReportValue(p->discoveryUrl);
            ImGui::PopFont();
            ImGui::SameLine();
            if (state.discovering)
                ImGui::BeginDisabled();
            if (ImGui::Button("Discover"))
                state.emit(app::Intent::Discover);
            if (state.discovering)
                ImGui::EndDisabled();
            ImGui::PopID();
            f.fieldError("discoveryUrl");
            for (const std::string& w : state.discoveryWarnings) {
                ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
                ImGui::PushTextWrapPos(0);
                ImGui::TextUnformatted(w.c_str());
                ImGui::PopTextWrapPos();
                ImGui::PopStyleColor();
            }
        }

        BeginRow("Grant Type",
                 "How the token is obtained. Authorization Code signs a person in through the "
                 "provider's consent page (with PKCE); Password Credentials sends a user name and "
                 "password; Client Credentials authenticates the client itself; Device Code shows "
                 "a code to enter on another device (RFC 8628).");
        int grant = indexOf(kGrantValues, p->grantType);
        if (Choice("Grant Type", &grant, kGrantCaptions, 4)) {
            p->grantType = kGrantValues[grant];
            f.changed = true;
        }
        f.fieldError("grantType");
        if (p->grantType == oauth::kGrantPassword) {
            // It still works, for testing legacy set-ups, but a person should know it is deprecated.
            ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(kPasswordGrantWarning);
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
        }

        BeginRow("Client ID", "The application's identifier, as registered with the identity provider.");
        f.edited(TextField("Client ID", &p->clientId, 0, true), "clientId");
        f.fieldError("clientId");

        BeginRow("Client Secret",
                 "The application's secret. Leave it empty for a public client (PKCE only).");
        secretField(f, "Client Secret", "clientSecret", &p->clientSecret, &state.showSecret, "Show secret");

        if (password) {
            BeginRow("User Name", "The resource owner's user name (RFC 6749 section 4.3).");
            f.edited(TextField("User Name", &p->username), "username");
            f.fieldError("username");
            BeginRow("Password", "The resource owner's password. It is sent to the Access Token URL only.");
            secretField(f, "Password", "password", &p->password, &state.showPassword, "Show password");
        }

        if (authCode) {
            BeginRow("Redirect URL",
                     "Where the provider sends the browser back with the code. Register exactly "
                     "this URL at the provider (as a single-page application where asked).");
            const float copyWidth =
                ImGui::CalcTextSize("Copy URL").x + 24 + CopiedMarkWidth(state.copied, "Copy URL");
            ImGui::PushID("Redirect URL");
            ImGui::PushFont(MonoFont());
            ImGui::SetNextItemWidth(-copyWidth);
            f.edited(ImGui::InputText("##field", &p->redirectUrl), "redirectUrl");
            CaptionLastItem("Redirect URL");
            ReportValue(p->redirectUrl);
            ImGui::PopFont();
            ImGui::SameLine();
            if (ImGui::Button("Copy URL"))
                state.emit(app::Intent::Copy, app::kCopyRedirectUrl, p->redirectUrl);
            CopiedMark(state.copied, "Copy URL");
            ImGui::PopID();
            f.fieldError("redirectUrl");
        }

        BeginRow("Scope(s)", "The permissions to ask for, separated by spaces, commas or new lines.");
        f.edited(TextArea("Scope(s)", &p->scopes, 2), "scopes");
        f.fieldError("scopes");
        if (state.discovery && state.discovery->metadata.scopesSupported &&
            !state.discovery->metadata.scopesSupported->empty()) {
            ImGui::SetNextItemWidth(260);
            const ImGuiID addScopeId = ImGui::GetID("##addscope");
            const bool open = ImGui::BeginCombo("##addscope", "Add a published scope…");
            CaptionItem(addScopeId, "Add a published scope");
            if (open) {
                for (const std::string& scope : *state.discovery->metadata.scopesSupported)
                    if (ImGui::Selectable(scope.c_str()))
                        state.emit(app::Intent::AddScope, -1, scope);
                ImGui::EndCombo();
            }
        }

        BeginRow("Client Authentication", "How the client proves who it is at the Access Token URL: an HTTP "
                                          "Basic Authorization header, or client_id and client_secret in the "
                                          "request body (RFC 6749 section 2.3.1).");
        int auth = indexOf(kAuthValues, p->clientAuthentication);
        if (Choice("Client Authentication", &auth, kAuthCaptions, 2)) {
            p->clientAuthentication = kAuthValues[auth];
            f.changed = true;
        }
        f.fieldError("clientAuthentication");

        if (authCode) {
            BeginRow("Authorization URL",
                     "The provider's authorization endpoint, opened in the consent popup.");
            f.edited(TextField("Authorization URL", &p->authorizationUrl, 0, true), "authorizationUrl");
            f.fieldError("authorizationUrl");
        }

        if (device) {
            BeginRow("Device Authorization URL", "The provider's device authorization endpoint (RFC 8628 "
                                                 "section 3.1), which hands out the user code.");
            f.edited(TextField("Device Authorization URL", &p->deviceAuthorizationUrl, 0, true),
                     "deviceAuthorizationUrl");
            f.fieldError("deviceAuthorizationUrl");
        }

        BeginRow("Access Token URL", "The provider's token endpoint, called from this page.");
        f.edited(TextField("Access Token URL", &p->accessTokenUrl, 0, true), "accessTokenUrl");
        f.fieldError("accessTokenUrl");

        BeginRow("Revocation URL", "Optional: the provider's revocation endpoint (RFC 7009), for Revoke.");
        f.edited(TextField("Revocation URL", &p->revocationUrl, 0, true), "revocationUrl");
        f.fieldError("revocationUrl");

        BeginRow("Introspection URL",
                 "Optional: the provider's introspection endpoint (RFC 7662), for Introspect.");
        f.edited(TextField("Introspection URL", &p->introspectionUrl, 0, true), "introspectionUrl");
        f.fieldError("introspectionUrl");

        if (authCode) {
            BeginRow("Auth. URL Params", "Extra parameters for the authorization request, as key=value pairs "
                                         "separated by & or new lines (e.g. prompt=consent).");
            f.edited(TextArea("Auth. URL Params", &p->authUrlParams, 2, true), "authUrlParams");
            f.fieldError("authUrlParams");
        }

        BeginRow("Options",
                 "Use CORS relay: send token, device, revocation and introspection requests "
                 "through this page's own server (serve.py --relay) for providers that refuse "
                 "browsers. Auto-refresh: shortly before the token expires, refresh it (or get a "
                 "new one where no person is needed). Timeout (s): how long each request may take. "
                 "Consent timeout (s): how long the consent popup may take before the attempt ends.");
        bool relay = p->useRelay, autoRefresh = p->autoRefresh;
        if (ImGui::Checkbox("Use CORS relay", &relay)) {
            p->useRelay = relay;
            f.changed = true;
        }
        ImGui::SameLine(0, 24);
        if (ImGui::Checkbox("Auto-refresh", &autoRefresh)) {
            p->autoRefresh = autoRefresh;
            f.changed = true;
        }
        ImGui::SameLine(0, 24);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Timeout (s)");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(110);
        // InputInt is a group: its text field is "" inside the label's ID scope.
        ImGui::PushID("##timeout");
        const ImGuiID timeoutId = ImGui::GetID("");
        ImGui::PopID();
        ImGui::InputInt("##timeout", &state.timeoutSeconds, 5, 30);
        CaptionItem(timeoutId, "Timeout (s)");
        ReportValue(std::to_string(state.timeoutSeconds), timeoutId);
        if (ImGui::IsItemDeactivatedAfterEdit() || (ImGui::IsItemEdited() && !ImGui::IsItemActive()))
            state.emit(app::Intent::TimeoutChanged);
        if (authCode)
            ConsentTimeoutField(state);

        BeginRow("State",
                 "Connected after a token was retrieved, Error after a failure, Default before either "
                 "and after a revoke. The error itself is shown once, under Get Access Token.");
        stateBadge(state, *p, state.outcomeTime(*p));

        ImGui::EndTable();
    }
    if (f.changed)
        state.emit(app::Intent::Edited);

    ImGui::Spacing();
    if (busy) {
        const char* progress = state.attempt.busy == app::Busy::Authorizing     ? "Waiting for consent…"
                               : state.attempt.busy == app::Busy::DevicePolling ? "Waiting for approval…"
                                                                                : "Requesting token…";
        ImGui::BeginDisabled();
        ImGui::Button(progress);
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Cancel"))
            state.emit(app::Intent::Cancel);
    } else {
        // Ctrl+Enter (Cmd+Enter on a Mac) runs it from anywhere on the form.
        const ImGuiIO& io = ImGui::GetIO();
        const bool shortcut =
            (io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
        if (ImGui::Button("Get Access Token") || shortcut)
            state.emit(app::Intent::GetToken);
        if (state.popupBlocked) {
            ImGui::SameLine();
            if (ImGui::Button("Retry"))
                state.emit(app::Intent::RetryPopup);
        }
        RetryOffers(state);
    }
    ImGui::SameLine();
    if (ImGui::Button("Copy as cURL"))
        state.emit(app::Intent::CopyCurl);
    CopiedMark(state.copied, "Copy as cURL");
    ImGui::SameLine();
    if (ImGui::Button("Download Postman Collection"))
        state.emit(app::Intent::DownloadPostman);
    ImGui::SameLine();
    ImGui::Checkbox("Include secrets in exports", &state.revealInExports);
    const bool busyNow = state.attempt.busy != app::Busy::None;
    const bool ended = state.wasBusy && !busyNow;
    state.wasBusy = busyNow;
    state.scrollToToken = ended && p->state == "Connected";
    outcome(state, *p, ended);
    if (state.consentHint && state.attempt.busy == app::Busy::Authorizing) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(app::ConsentHintText().c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    MutedText("Profiles, client secrets and tokens are saved in this browser's local storage, on this device "
              "only.");
    DrawDeviceCode(state);
    DrawFlow(state);
}

} // namespace ui

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
#include <tuple>

namespace ui {

namespace {

using oauth::ClientAuthentication;
using oauth::GrantType;
using oauth::ProfileState;
// The choices in the order of their captions (core's kGrantTypeCaptions, kClientAuthenticationCaptions).
const GrantType kGrantValues[] = {GrantType::AuthorizationCode, GrantType::Password,
                                  GrantType::ClientCredentials, GrantType::DeviceCode};
const ClientAuthentication kAuthValues[] = {ClientAuthentication::BasicHeader, ClientAuthentication::Body,
                                            ClientAuthentication::SecretJwt,
                                            ClientAuthentication::PrivateKeyJwt};
const oauth::AssertionAudience kAudienceValues[] = {oauth::AssertionAudience::Issuer,
                                                    oauth::AssertionAudience::TokenEndpoint};
const oauth::SigningAlgorithm kAlgorithmValues[] = {
    oauth::SigningAlgorithm::RS256, oauth::SigningAlgorithm::PS256, oauth::SigningAlgorithm::ES256};
const char* const kPasswordGrantWarning =
    "RFC 9700 (OAuth 2.0 Security Best Current Practice) section 2.4 says the password grant must not be "
    "used: it hands the user's password to the client. Use it only to test a legacy set-up; prefer "
    "Authorization Code with PKCE.";

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
// InputText clips its text to the whole frame, border included, and draws it after the border: so
// the cover fills the whole frame and draws the border again, as ImGui::RenderFrame draws it, or a
// long secret's last '*' shows through the border. The rounded fill is anti-aliased: its outermost
// pixel is only partly opaque (on a 2x screen a whole device pixel), so the band the text runs in,
// clear of the rounded corners, is filled once more without anti-aliasing.
void CoverWithFixedMask() {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    const float rounding = style.FrameRounding;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 frameBg = ImGui::GetColorU32(ImGuiCol_FrameBg);
    draw->AddRectFilled(min, max, frameBg, rounding);
    draw->AddRectFilled(ImVec2(min.x, min.y + rounding), ImVec2(max.x, max.y - rounding),
                        frameBg); // no rounding: no AA
    // FrameBg is opaque; the hovered colour is translucent, so it goes over it.
    if (ImGui::IsItemHovered())
        draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBgHovered), rounding);
    if (style.FrameBorderSize > 0)
        draw->AddRect(min, max, ImGui::GetColorU32(ImGuiCol_Border), rounding, 0, style.FrameBorderSize);
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
    const float toggleWidth = BesideWidth(ImGui::CalcTextSize(toggle).x + ImGui::GetFrameHeight() + 16);
    ImGui::PushID(caption);
    ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(toggleWidth > 0 ? -toggleWidth : -FLT_MIN);
    f.edited(ImGui::InputText("##field", value, *show ? 0 : ImGuiInputTextFlags_Password), key);
    if (!*show && !value->empty() && !ImGui::IsItemActive())
        CoverWithFixedMask();
    CaptionLastItem(caption);
    ReportSecret(*value);
    ImGui::PopFont();
    Beside();
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
            if (!Stacked())
                ImGui::SameLine(150);
            ImGui::SetNextItemWidth(Stacked() ? -FLT_MIN : 320);
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
    const bool none = p.state == ProfileState::None;
    std::string text = none ? (revoked ? "Default (token revoked)" : "Default (no token yet)")
                            : std::string(oauth::ToText(p.state));
    if (at > 0)
        text += (none ? " since " : " at ") + oauth::FormatUtc(static_cast<std::int64_t>(at));
    if (state.attempt.busy != app::Busy::None && state.attempt.profileName == p.tokenName && !none)
        text += " (previous attempt)";
    StatusBadge("State", text, StateColor(p.state));
}

// The one outcome sentence under the buttons; scrolled into view when an attempt ends.
void outcome(app::AppState& state, const oauth::Profile& p, bool ended) {
    const std::string text = state.outcomeText();
    if (text.empty())
        return;
    const bool failed =
        (p.state == ProfileState::Error && text == p.lastError) || text.rfind("Not sent:", 0) == 0;
    if (failed)
        ErrorText(text);
    else {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
    }
    AnnounceText("Status", text);
    if (ended && p.state != ProfileState::Connected)
        ImGui::SetScrollHereY(0.5f);
}

// A whole number of seconds with "-"/"+" steppers, on the line it is drawn on. The intent goes out
// once the edit is done (the field left after an edit, or a stepper pressed).
void SecondsField(app::AppState& state, const char* caption, const char* id, int* seconds, int step,
                  int stepFast, app::Intent::Kind changed) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(caption);
    // Stacked (a phone): the whole width, without the steppers; the soft keyboard types the number.
    const bool stacked = Stacked();
    Beside();
    if (NumberField(caption, id, seconds, stacked ? 0 : step, stepFast, stacked ? -FLT_MIN : 110))
        state.emit(changed);
}

// The next step a failure offers, as buttons beside Get Access Token.
void RetryOffers(app::AppState& state) {
    if (state.offerRelayRetry) {
        Beside();
        if (ImGui::Button("Retry through the relay"))
            state.emit(app::Intent::RetryThroughRelay);
    }
    if (state.offerUnencodedRetry) {
        Beside();
        if (ImGui::Button("Retry with unencoded credentials"))
            state.emit(app::Intent::RetryUnencoded);
    }
}

// The selected profile's validation: what blocks the grant, and what blocks a tool.
FormContext Validated(app::AppState& state, const oauth::Profile& p) {
    FormContext f{state, {}, {}, false};
    std::vector<std::string> others;
    for (int i = 0; i < static_cast<int>(state.profiles.size()); ++i)
        if (i != state.selected)
            others.push_back(state.profiles[static_cast<std::size_t>(i)].tokenName);
    for (const oauth::FieldError& e : oauth::ValidateProfile(p, others))
        f.errors.emplace(e.field, e.message);
    for (const oauth::FieldError& e : oauth::ValidateOptionalEndpoints(p))
        f.optionalErrors.emplace(e.field, e.message);
    return f;
}

// A single-line URL (or other) field in the monospace font, with a button to its right.
bool FieldWithButton(FormContext& f, const char* caption, const char* key, std::string* value,
                     const char* hint, float buttonWidth) {
    ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(Stacked() ? -FLT_MIN : -buttonWidth);
    const bool edited = ImGui::InputTextWithHint("##field", hint, value);
    f.edited(edited, key);
    CaptionLastItem(caption);
    ReportValue(*value);
    ImGui::PopFont();
    Beside();
    return edited;
}

void TokenNameRow(app::AppState& state) {
    BeginRow("Token Name", "A unique name for this setup. Postman's exports use it as the token's name.");
    if (TextField("Token Name", &state.nameDraft)) {
        state.touched.insert("tokenName");
        state.emit(app::Intent::Rename, -1, state.nameDraft);
    }
    if (!state.nameError.empty())
        ErrorText(state.nameError);
}

void DiscoveryRow(FormContext& f, oauth::Profile& p) {
    app::AppState& state = f.state;
    BeginRow("Issuer / Discovery URL", "The provider's issuer (or its .well-known/openid-configuration URL). "
                                       "Discover reads its metadata and fills in the endpoints below.");
    ImGui::PushID("discovery");
    FieldWithButton(f, "Issuer / Discovery URL", "discoveryUrl", &p.discoveryUrl, "https://login.example.com",
                    ImGui::CalcTextSize("Discover").x + 24);
    ImGui::BeginDisabled(state.discovering);
    if (ImGui::Button("Discover"))
        state.emit(app::Intent::Discover);
    ImGui::EndDisabled();
    ImGui::PopID();
    f.fieldError("discoveryUrl");
    for (const std::string& warning : state.discoveryWarnings)
        WarningText(warning);
}

// A combo row over a field that takes one of `values`, shown as the matching `captions`.
template <typename T, typename V, size_t N>
void ChoiceRow(FormContext& f, const char* caption, const char* tooltip, const char* key, T* value,
               const V (&values)[N], const char* const (&captions)[N]) {
    BeginRow(caption, tooltip);
    int current = 0;
    for (size_t i = 0; i < N; ++i)
        if (*value == values[i])
            current = static_cast<int>(i);
    if (Choice(caption, &current, captions, static_cast<int>(N))) {
        *value = values[current];
        f.changed = true;
    }
    f.fieldError(key);
}

void GrantTypeRow(FormContext& f, oauth::Profile& p) {
    ChoiceRow(
        f, "Grant Type",
        "How the token is obtained. Authorization Code signs a person in through the provider's consent "
        "page (with PKCE); Password Credentials sends a user name and password; Client Credentials "
        "authenticates the client itself; Device Code shows a code to enter on another device (RFC 8628).",
        "grantType", &p.grantType, kGrantValues, oauth::kGrantTypeCaptions);
    // It still works, for testing legacy set-ups, but a person should know it is deprecated.
    if (p.grantType == GrantType::Password)
        WarningText(kPasswordGrantWarning);
}

// Client ID and Client Secret; User Name and Password for the password grant.
void CredentialRows(FormContext& f, oauth::Profile& p, bool password) {
    app::AppState& state = f.state;
    BeginRow("Client ID", "The application's identifier, as registered with the identity provider.");
    f.edited(TextField("Client ID", &p.clientId, 0, true), "clientId");
    f.fieldError("clientId");

    BeginRow("Client Secret", "The application's secret. Leave it empty for a public client (PKCE only).");
    secretField(f, "Client Secret", "clientSecret", &p.clientSecret, &state.showSecret, "Show secret");
    if (!password)
        return;
    BeginRow("User Name", "The resource owner's user name (RFC 6749 section 4.3).");
    f.edited(TextField("User Name", &p.username), "username");
    f.fieldError("username");
    BeginRow("Password", "The resource owner's password. It is sent to the Access Token URL only.");
    secretField(f, "Password", "password", &p.password, &state.showPassword, "Show password");
}

void RedirectUrlRow(FormContext& f, oauth::Profile& p) {
    app::AppState& state = f.state;
    BeginRow("Redirect URL", "Where the provider sends the browser back with the code. Register exactly "
                             "this URL at the provider (as a single-page application where asked).");
    ImGui::PushID("Redirect URL");
    FieldWithButton(f, "Redirect URL", "redirectUrl", &p.redirectUrl, nullptr,
                    ImGui::CalcTextSize("Copy URL").x + 24 + CopiedMarkWidth(state.copied, "Copy URL"));
    if (ImGui::Button("Copy URL"))
        state.emit(app::Intent::Copy, app::kCopyRedirectUrl, p.redirectUrl);
    CopiedMark(state.copied, "Copy URL");
    ImGui::PopID();
    f.fieldError("redirectUrl");
}

// Scope(s), and the scopes the provider publishes (after Discover) to add with one choice.
void ScopesRow(FormContext& f, oauth::Profile& p) {
    app::AppState& state = f.state;
    BeginRow("Scope(s)", "The permissions to ask for, separated by spaces, commas or new lines.");
    f.edited(TextArea("Scope(s)", &p.scopes, 2), "scopes");
    f.fieldError("scopes");
    if (!state.discovery || !state.discovery->metadata.scopesSupported ||
        state.discovery->metadata.scopesSupported->empty())
        return;
    ImGui::SetNextItemWidth(260);
    const ImGuiID addScopeId = ImGui::GetID("##addscope");
    const bool open = ImGui::BeginCombo("##addscope", "Add a published scope…");
    CaptionItem(addScopeId, "Add a published scope");
    if (!open)
        return;
    for (const std::string& scope : *state.discovery->metadata.scopesSupported)
        if (ImGui::Selectable(scope.c_str()))
            state.emit(app::Intent::AddScope, -1, scope);
    ImGui::EndCombo();
}

// The API the token is for: RFC 8707 resource indicators and the "audience" parameter, sent on the
// authorization request and every token request (core/resource_indicators.h).
void TargetRows(FormContext& f, oauth::Profile& p) {
    BeginRow("Resource", "Optional: the API the token is for, as RFC 8707 resource indicators (absolute "
                         "URIs such as https://api.example.com/), separated by spaces or new lines; each is "
                         "sent as its own resource parameter.");
    f.edited(TextArea("Resource", &p.resource, 2, true), "resource");
    f.fieldError("resource");
    BeginRow("Audience", "Optional: the audience parameter some providers (Auth0 and others) take instead "
                         "of resource; several are separated by spaces.");
    f.edited(TextField("Audience", &p.audience, 0, true), "audience");
    f.fieldError("audience");
}

void ClientAuthenticationRow(FormContext& f, oauth::Profile& p) {
    ChoiceRow(f, "Client Authentication",
              "How the client proves who it is at the Access Token URL: an HTTP Basic Authorization header, "
              "client_id and client_secret in the request body (RFC 6749 section 2.3.1), or a signed JWT "
              "assertion made fresh for each request (RFC 7523; OpenID Connect Core section 9).",
              "clientAuthentication", &p.clientAuthentication, kAuthValues,
              oauth::kClientAuthenticationCaptions);
}

// The public half of the key, to register at the provider, with its Copy buttons.
void PublicKeyRows(app::AppState& state, const oauth::Profile& p) {
    const app::AppState::SigningKeyView& view = state.signingKey;
    if (view.profileId != p.id || (!view.busy && view.keyText != p.privateKey))
        return;
    if (!view.message.empty())
        (view.busy ? MutedText(view.message.c_str()) : ErrorText(view.message));
    if (view.publicJwk.empty())
        return;
    for (const auto& [caption, text, what] : {std::tuple{"Public JWK", &view.publicJwk, app::kCopyPublicJwk},
                                              std::tuple{"JWKS", &view.jwks, app::kCopyJwks}}) {
        BeginRow(caption, "The public key to register for the client (its jwks, or a jwks_uri serving the "
                          "JWKS). It holds no secret.");
        // Wrapped, so a phone shows the whole of a long n or kid; Copy copies the text as it is.
        ReadOnlyWrappedText(caption, caption, *text, 24);
        const std::string button = std::string("Copy ") + caption;
        if (ImGui::Button(button.c_str()))
            state.emit(app::Intent::Copy, what, *text);
        CopiedMark(state.copied, button.c_str());
    }
}

// client_secret_jwt and private_key_jwt: the assertion's audience, and for a private key the key,
// where it is kept, its algorithm and Key ID.
void AssertionRows(FormContext& f, oauth::Profile& p) {
    app::AppState& state = f.state;
    if (p.clientAuthentication != ClientAuthentication::SecretJwt &&
        p.clientAuthentication != ClientAuthentication::PrivateKeyJwt)
        return;
    ChoiceRow(f, "Assertion Audience",
              "The assertion's aud (RFC 7523 section 3): the provider's issuer (oidc-provider, RFC 9126), or "
              "its token endpoint URL (Microsoft Entra ID asks for this one).",
              "assertionAudience", &p.assertionAudience, kAudienceValues, oauth::kAssertionAudienceCaptions);
    if (p.clientAuthentication != ClientAuthentication::PrivateKeyJwt)
        return;
    ChoiceRow(f, "Signing Algorithm", "RS256 and PS256 sign with an RSA key, ES256 with a P-256 EC key.",
              "signingAlgorithm", &p.signingAlgorithm, kAlgorithmValues, oauth::kSigningAlgorithmCaptions);
    BeginRow("Private Key",
             "Paste the client's private key (PKCS#8 PEM, \"-----BEGIN PRIVATE KEY-----\", or a "
             "private JWK), or press Generate Key. It never leaves this page: it signs here.");
    secretField(f, "Private Key", "privateKey", &p.privateKey, &state.signingKey.showKey, "Show key");
    MutedText(state.lockEnabled
                  ? "The key is stored only encrypted under your passphrase lock."
                  : "The key is kept for this tab only: it is not stored. Set a passphrase lock "
                    "to store it encrypted.");
    if (!state.locked) {
        IntentButton(state, "Generate Key", app::Intent::GenerateSigningKey);
        Beside();
        IntentButton(state, "Show Public Key", app::Intent::ShowPublicKey);
    }
    BeginRow("Key ID", "Optional: the kid to put in the assertion's header. Empty: the key's RFC 7638 "
                       "thumbprint, the kid shown in the public JWK below.");
    f.edited(TextField("Key ID", &p.keyId, 0, true), "keyId");
    PublicKeyRows(state, p);
}

// A URL field in the monospace font with its validation under it.
void UrlRow(FormContext& f, const char* caption, const char* tooltip, const char* key, std::string* value) {
    BeginRow(caption, tooltip);
    f.edited(TextField(caption, value, 0, true), key);
    f.fieldError(key);
}

// A checkbox for a profile flag; the profile is saved when it changes.
void ProfileCheckbox(FormContext& f, const char* caption, bool* flag) {
    bool value = *flag;
    if (ImGui::Checkbox(caption, &value)) {
        *flag = value;
        f.changed = true;
    }
}

// RFC 9126: push the authorization request first; the form says when the provider requires it.
void ParRow(FormContext& f, oauth::Profile& p) {
    BeginRow("PAR", "Use PAR: send the authorization request's parameters to the provider's "
                    "pushed_authorization_request_endpoint first (RFC 9126), authenticated like a token "
                    "request; the popup then opens with only client_id and request_uri. Always used when "
                    "the provider's metadata sets require_pushed_authorization_requests.");
    ProfileCheckbox(f, "Use PAR", &p.usePar);
    if (const std::string note = f.state.parNote(); !note.empty())
        ImGui::TextWrapped("%s", note.c_str());
}

// The provider's endpoints the grant uses, then the optional ones for Revoke and Introspect.
void EndpointRows(FormContext& f, oauth::Profile& p, bool authCode, bool device) {
    if (authCode)
        UrlRow(f, "Authorization URL", "The provider's authorization endpoint, opened in the consent popup.",
               "authorizationUrl", &p.authorizationUrl);
    if (device)
        UrlRow(f, "Device Authorization URL",
               "The provider's device authorization endpoint (RFC 8628 section 3.1), which hands out the "
               "user code.",
               "deviceAuthorizationUrl", &p.deviceAuthorizationUrl);
    UrlRow(f, "Access Token URL", "The provider's token endpoint, called from this page.", "accessTokenUrl",
           &p.accessTokenUrl);
    UrlRow(f, "Revocation URL", "Optional: the provider's revocation endpoint (RFC 7009), for Revoke.",
           "revocationUrl", &p.revocationUrl);
    UrlRow(f, "Introspection URL",
           "Optional: the provider's introspection endpoint (RFC 7662), for Introspect.", "introspectionUrl",
           &p.introspectionUrl);
    if (!authCode)
        return;
    BeginRow("Auth. URL Params", "Extra parameters for the authorization request, as key=value pairs "
                                 "separated by & or new lines (e.g. prompt=consent).");
    f.edited(TextArea("Auth. URL Params", &p.authUrlParams, 2, true), "authUrlParams");
    f.fieldError("authUrlParams");
    ParRow(f, p);
}

void OptionsRow(FormContext& f, oauth::Profile& p, bool authCode) {
    app::AppState& state = f.state;
    BeginRow("Options",
             "Use CORS relay: send token, device, revocation and introspection requests "
             "through this page's own server (serve.py --relay) for providers that refuse "
             "browsers. Auto-refresh: shortly before the token expires, refresh it (or get a "
             "new one where no person is needed). Timeout (s): how long each request may take. "
             "Consent timeout (s): how long the consent popup may take before the attempt ends. "
             "Use DPoP: bind the tokens to this profile's own key (RFC 9449), made in this browser "
             "and never exported; every token request carries a proof signed with it.");
    ProfileCheckbox(f, "Use CORS relay", &p.useRelay);
    Beside(24);
    ProfileCheckbox(f, "Auto-refresh", &p.autoRefresh);
    ProfileCheckbox(f, "Use DPoP", &p.useDpop);
    Beside(24);
    SecondsField(state, "Timeout (s)", "##timeout", &state.timeoutSeconds, 5, 30,
                 app::Intent::TimeoutChanged);
    // How long the consent popup may take before the attempt ends; separate from Timeout (s), which
    // is for each request. Its own line: beside Timeout (s) it would run past a narrow window's edge.
    if (authCode)
        SecondsField(state, "Consent timeout (s)", "##consent-timeout", &state.consentTimeoutSeconds, 30, 60,
                     app::Intent::ConsentTimeoutChanged);
}

void StateRow(const app::AppState& state, const oauth::Profile& p) {
    BeginRow("State", "Connected after a token was retrieved, Error after a failure, Default before either "
                      "and after a revoke. The error itself is shown once, under Get Access Token.");
    stateBadge(state, p, state.outcomeTime(p));
}

// The form's rows in the spec's order, each grant showing only the fields it sends.
void FormRows(FormContext& f, oauth::Profile& p) {
    const bool authCode = p.grantType == GrantType::AuthorizationCode;
    const bool password = p.grantType == GrantType::Password;
    const bool device = p.grantType == GrantType::DeviceCode;
    TokenNameRow(f.state);
    DiscoveryRow(f, p);
    GrantTypeRow(f, p);
    CredentialRows(f, p, password);
    if (authCode)
        RedirectUrlRow(f, p);
    ScopesRow(f, p);
    TargetRows(f, p);
    ClientAuthenticationRow(f, p);
    AssertionRows(f, p);
    EndpointRows(f, p, authCode, device);
    OptionsRow(f, p, authCode);
    StateRow(f.state, p);
}

// Get Access Token (or the attempt's progress and Cancel), the retries a failure offers, and the
// exports.
void ActionButtons(app::AppState& state) {
    if (state.attempt.busy != app::Busy::None) {
        const char* progress = state.attempt.busy == app::Busy::Authorizing     ? "Waiting for consent…"
                               : state.attempt.busy == app::Busy::DevicePolling ? "Waiting for approval…"
                                                                                : "Requesting token…";
        ImGui::BeginDisabled();
        ImGui::Button(progress);
        ImGui::EndDisabled();
        Beside();
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
            Beside();
            if (ImGui::Button("Retry"))
                state.emit(app::Intent::RetryPopup);
        }
        RetryOffers(state);
    }
    Beside();
    if (ImGui::Button("Copy as cURL"))
        state.emit(app::Intent::CopyCurl);
    CopiedMark(state.copied, "Copy as cURL");
    Beside();
    if (ImGui::Button("Download Postman Collection"))
        state.emit(app::Intent::DownloadPostman);
    Beside();
    ImGui::Checkbox("Include secrets in exports", &state.revealInExports);
}

// What the attempt came to, and (while consent takes long) what may be wrong.
void AttemptOutcome(app::AppState& state, const oauth::Profile& p) {
    const bool busyNow = state.attempt.busy != app::Busy::None;
    const bool ended = state.wasBusy && !busyNow;
    state.wasBusy = busyNow;
    state.scrollToToken = ended && p.state == ProfileState::Connected;
    outcome(state, p, ended);
    if (state.consentHint && state.attempt.busy == app::Busy::Authorizing)
        WarningText(app::ConsentHintText());
}

} // namespace

void DrawSetupForm(app::AppState& state) {
    oauth::Profile* p = state.current();
    if (!p)
        return;
    FormContext f = Validated(state, *p);
    presetSection(state, *p);
    if (BeginFormTable("form")) {
        FormRows(f, *p);
        ImGui::EndTable();
    }
    if (f.changed)
        state.emit(app::Intent::Edited);

    ImGui::Spacing();
    ActionButtons(state);
    AttemptOutcome(state, *p);
    MutedText("Profiles, client secrets and tokens are saved in this browser's local storage, on this device "
              "only.");
    DrawDeviceCode(state);
    DrawFlow(state);
}

} // namespace ui

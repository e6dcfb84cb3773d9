// The token of the selected profile: access token (copy), type, scope, expiry with a live
// countdown, refresh token (Refresh), decoded JWT claims, the raw response, and error details.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/dpop.h"
#include "core/id_token.h"
#include "core/jwt.h"

#include "imgui.h"
#include "imgui_stdlib.h"

#include <cmath>
#include <cstdlib>

namespace ui {

namespace {

std::string stringField(const nlohmann::json& token, const char* key) {
    auto it = token.find(key);
    if (it == token.end())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string countdown(double secondsLeft) {
    long s = static_cast<long>(std::floor(std::fabs(secondsLeft)));
    std::string text;
    if (s >= 3600)
        text += std::to_string(s / 3600) + " h ";
    if (s >= 60)
        text += std::to_string((s / 60) % 60) + " min ";
    text += std::to_string(s % 60) + " s";
    return secondsLeft >= 0 ? "in " + text : "expired " + text + " ago";
}

void row(const char* caption, const std::string& value, bool mono = true) {
    BeginRow(caption, nullptr);
    ReadOnlyField(caption, value, nullptr, mono);
}

// With DPoP on: the thumbprint (RFC 7638) of the profile's key, the cnf.jkt a DPoP-bound token names
// (RFC 9449 section 6.1).
void DpopKeyRow(const app::AppState& state, const oauth::Profile& p) {
    if (!p.useDpop)
        return;
    const auto jkt = state.dpopThumbprints.find(oauth::DpopKeyName(p));
    row("DPoP key thumbprint",
        jkt == state.dpopThumbprints.end() ? std::string("(not read yet)") : jkt->second);
}

// `check`: what this session found of an ID token's signature (nullptr: an access token, only read).
void jwtSection(const char* title, const std::string& token, const app::IdTokenCheck* check = nullptr,
                bool idToken = false) {
    oauth::DecodedJwt jwt = oauth::DecodeJwt(token);
    if (!jwt.isJwt)
        return;
    if (!ImGui::CollapsingHeader(title))
        return;
    const bool verified = check && check->verified;
    const std::string note = !idToken ? jwt.note
                             : check  ? check->message
                                      : std::string(app::kIdTokenNotChecked);
    ImGui::PushStyleColor(ImGuiCol_Text, verified ? Colors().ok : Colors().warning);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(note.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    for (const auto& [name, value] : jwt.dates)
        ImGui::Text("%s: %s", name.c_str(), value.c_str());
    const std::string text =
        "header: " + jwt.header.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
        "\npayload: " + jwt.payload.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    ReadOnlyText(title, nullptr, text, ImGui::GetTextLineHeight() * LinesOf(text, 1.0f, 18.0f) + 10);
}

// After a failed attempt, the provider's answer field by field.
void ErrorDetails(const app::AppState& state, const oauth::Profile& p) {
    if (p.state != oauth::ProfileState::Error || state.errorDetails.empty() ||
        !ImGui::CollapsingHeader("Error details"))
        return;
    ImGui::PushFont(MonoFont());
    for (const auto& [name, value] : state.errorDetails) {
        ImGui::PushTextWrapPos(0);
        ImGui::Text("%s: %s", name.c_str(), value.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::PopFont();
}

// "Token (revoked), obtained ...", brought into view when the grant just ended with this token.
void TokenHeading(app::AppState& state, const nlohmann::json& token, bool revoked) {
    const auto obtainedAt = token.value("obtained_at", std::int64_t{0});
    const std::string heading = std::string(revoked ? "Token (revoked)" : "Token") +
                                (obtainedAt > 0 ? ", obtained " + oauth::FormatUtc(obtainedAt) : "");
    ImGui::TextUnformatted(heading.c_str());
    if (state.scrollToToken) {
        ImGui::SetScrollHereY(0.1f);
        state.scrollToToken = false;
    }
}

void AccessTokenRow(app::AppState& state, const std::string& access) {
    BeginRow("Access Token", "The token to send as \"Authorization: Bearer …\".");
    const float copyWidth =
        BesideWidth(ImGui::CalcTextSize("Copy Token").x + 24 + CopiedMarkWidth(state.copied, "Copy Token"));
    ReadOnlyField("Access Token", access, nullptr, true, copyWidth);
    Beside();
    if (ImGui::Button("Copy Token"))
        state.emit(app::Intent::Copy, app::kCopyAccessToken, access);
    CopiedMark(state.copied, "Copy Token");
}

// When the access token stops working, with a live countdown; or that it was revoked.
void ExpiresRow(const app::AppState& state, const nlohmann::json& token, bool revoked) {
    if (revoked) {
        BeginRow("Expires", "A revoked token no longer works (RFC 7009 section 2.2).");
        ReadOnlyField("Expires",
                      "revoked " + oauth::FormatUtc(token.value(app::kRevokedAtKey, std::int64_t{0})) +
                          ": no longer valid",
                      &Colors().error, false);
        return;
    }
    auto obtained = token.find("obtained_at");
    auto expires = token.find("expires_in");
    if (obtained == token.end() || !obtained->is_number() || expires == token.end())
        return;
    double expiresIn = expires->is_number()   ? expires->get<double>()
                       : expires->is_string() ? std::atof(expires->get<std::string>().c_str())
                                              : 0;
    double at = obtained->get<double>() + expiresIn;
    BeginRow("Expires", "When the access token stops working, by this computer's clock.");
    const ImVec4* color = at - state.now < 0 ? &Colors().error : nullptr;
    ReadOnlyField("Expires",
                  oauth::FormatUtc(static_cast<std::int64_t>(at)) + " (" + countdown(at - state.now) + ")",
                  color, false);
}

void RefreshTokenRow(app::AppState& state, const std::string& refresh) {
    if (refresh.empty())
        return;
    BeginRow("Refresh Token", "Gets a new access token without signing in again.");
    const float refreshWidth = BesideWidth(ImGui::CalcTextSize("Refresh").x + 24);
    ReadOnlyField("Refresh Token", std::string(std::min<size_t>(refresh.size(), 24), '*'), nullptr, true,
                  refreshWidth);
    Beside();
    ImGui::BeginDisabled(state.attempt.busy != app::Busy::None);
    if (ImGui::Button("Refresh"))
        state.emit(app::Intent::Refresh);
    ImGui::EndDisabled();
}

// Introspect, Revoke and Revoke Refresh Token, for the endpoints the profile has.
void TokenTools(app::AppState& state, const oauth::Profile& p, bool revoked, bool hasRefresh) {
    const bool introspect = !p.introspectionUrl.empty(), revoke = !p.revocationUrl.empty();
    const bool userinfo = !state.userinfoUrl().empty();
    const bool signOut = !state.endSessionUrl().empty() && !stringField(p.lastToken, "id_token").empty();
    if (!introspect && !revoke && !userinfo && !signOut)
        return;
    ImGui::BeginDisabled(state.attempt.busy != app::Busy::None);
    if (signOut && ImGui::Button("Sign out at provider"))
        state.emit(app::Intent::SignOut);
    if (signOut && (userinfo || introspect || revoke))
        ImGui::SameLine();
    if (userinfo && ImGui::Button("Call UserInfo"))
        state.emit(app::Intent::CallUserinfo);
    if (userinfo && (introspect || revoke))
        ImGui::SameLine();
    if (introspect && ImGui::Button("Introspect"))
        state.emit(app::Intent::Introspect);
    if (introspect)
        ImGui::SameLine();
    if (revoke && !revoked && ImGui::Button("Revoke"))
        state.emit(app::Intent::Revoke, -1, "access_token");
    if (revoke && hasRefresh) {
        if (!revoked)
            ImGui::SameLine();
        if (ImGui::Button("Revoke Refresh Token"))
            state.emit(app::Intent::Revoke, -1, "refresh_token");
    }
    ImGui::EndDisabled();
}

void RawResponse(const app::AppState& state, const nlohmann::json& token) {
    if (!ImGui::CollapsingHeader("Raw response"))
        return;
    const std::string raw = app::ClipForDisplay(
        state.rawResponse.empty() ? token.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                                  : state.rawResponse);
    ReadOnlyText("##raw", "Raw response text", raw, ImGui::GetTextLineHeight() * 12);
}

} // namespace

void DrawTokenPanel(app::AppState& state) {
    oauth::Profile* p = state.current();
    if (!p)
        return;
    ErrorDetails(state, *p);
    if (!p->lastToken.is_object())
        return;
    const nlohmann::json& token = p->lastToken;
    ImGui::Spacing();
    ImGui::Separator();
    if (state.attempt.busy != app::Busy::None && !state.attempt.refreshing &&
        state.attempt.profileName == p->tokenName) {
        // A new attempt: the previous token is not presented as its result.
        MutedText("A new token is on its way; the previous one is shown again if this attempt fails.");
        return;
    }
    const bool revoked = token.contains(app::kRevokedAtKey);
    TokenHeading(state, token, revoked);
    const std::string access = stringField(token, "access_token");
    const std::string refresh = stringField(token, "refresh_token");
    if (BeginFormTable("token")) {
        AccessTokenRow(state, access);
        row("Token Type", stringField(token, "token_type"), false);
        DpopKeyRow(state, *p);
        if (token.contains("scope"))
            row("Granted Scope", stringField(token, "scope"));
        ExpiresRow(state, token, revoked);
        RefreshTokenRow(state, refresh);
        ImGui::EndTable();
    }
    if (p->useDpop)
        if (std::string unbound = oauth::DescribeUnboundTokenType(stringField(token, "token_type"));
            !unbound.empty())
            WarningText(unbound);
    TokenTools(state, *p, revoked, !refresh.empty());
    if (!state.introspectionText.empty())
        ReadOnlyText("##introspection", "Introspection result", state.introspectionText,
                     ImGui::GetTextLineHeight() * LinesOf(state.introspectionText, 1.5f, 14.0f));
    if (!state.userinfoText.empty())
        ReadOnlyText("##userinfo", "UserInfo claims", state.userinfoText,
                     ImGui::GetTextLineHeight() * LinesOf(state.userinfoText, 1.5f, 14.0f));
    jwtSection("Access token claims (JWT)", access);
    const std::string idToken = stringField(token, "id_token");
    jwtSection("ID token claims (JWT)", idToken,
               idToken.empty() ? nullptr : state.idTokenCheckFor(oauth::AccessTokenHash(idToken)), true);
    RawResponse(state, token);
}

} // namespace ui

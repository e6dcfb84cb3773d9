// Functions implemented in JavaScript (web/library_oauth_setup.js) and called from C++.
// They forward to window.oauthSetupHost, the page-side host in web/host.
#pragma once

extern "C" {
// main() finished setting up: the host installs its event listeners and draws the first frame.
void osu_js_started();
// The page cannot run (no WebGL 2): shows the message instead of the canvas.
void osu_js_fatal(const char* message);
// Asks for the next frame: delayMs < 0 none, 0 on the next animation frame, > 0 after that delay.
void osu_js_request_frame(int delayMs);
// A frame at once, from a task, not at the next animation frame: a result arrived (see frames.js).
void osu_js_request_frame_now();
// Called after each drawn frame (counts frames, resolves oauthSetup.ready on the first).
void osu_js_frame_drawn();
void osu_js_set_clipboard(const char* utf8);
// Keeps the hidden text element (IME, soft keyboard, non-ASCII text) over the active text field.
void osu_js_text_input(int active, float x, float y, float w, float h);
void osu_js_set_cursor(const char* cssCursor);

// localStorage. get: a malloc'd copy, or null when absent or unavailable. set: null on success,
// else a malloc'd message saying why (quota exceeded, storage disabled).
char* osu_js_storage_get(const char* key);
char* osu_js_storage_set(const char* key, const char* value);
// Keys starting with `prefix`, as a malloc'd JSON array of strings.
char* osu_js_storage_keys(const char* prefix);
// Opens the consent popup (centred); 0 when the browser blocked it.
int osu_js_open_popup(const char* url);
void osu_js_close_popup();
// fetch(url, {mode: 'no-cors'}) with a timeout; answers later through osu_probe_done(id, kind)
// with kind 0 (a server answered), 1 (nothing answered) or 3 (timeout): platform::FetchFailure.
void osu_js_probe(int id, const char* url, int timeoutMs);
void osu_js_download(const char* fileName, const char* mimeType, const char* text);
void osu_js_open_tab(const char* url);
// Shows the browser's file chooser; the chosen file arrives through osu_file_picked.
void osu_js_pick_file();
// WebCrypto for the passphrase lock; each answers later through osu_crypto_result(id, ...).
void osu_js_derive_key(int id, const char* passphrase, const char* salt, int iterations);
void osu_js_seal(int id, const char* plaintext);
void osu_js_unseal(int id, const char* iv, const char* ciphertext);
void osu_js_forget_key();
// WebCrypto signing of client assertions (signing.js); each answers through osu_crypto_result.
void osu_js_sign_jws(int id, const char* algorithm, const char* key, const char* signingInput);
void osu_js_describe_signing_key(int id, const char* algorithm, const char* key);
void osu_js_generate_signing_key(int id, const char* algorithm);
// DPoP key pairs in IndexedDB (dpop.js): the public JWK, a signature; both answer through osu_crypto_result.
void osu_js_dpop_public_key(int id, const char* keyName);
void osu_js_sign_dpop(int id, const char* keyName, const char* signingInput);
void osu_js_forget_dpop_key(const char* keyName);
// new URL(text), the browser's WHATWG URL parser, as a malloc'd JSON object {protocol, username,
// password, hostname, port, pathname, search, hash}; null when the parser refuses the text.
char* osu_js_parse_url(const char* text);
// WebCrypto's verify of a JWS signature; answers later through osu_crypto_result(id, valid, problem, "").
void osu_js_verify_signature(int id, const char* alg, const char* jwk, const char* input,
                             const char* signature);
// location.origin + location.pathname, malloc'd.
char* osu_js_page_url();

// The accessible mirror's entries changed this frame (src/platform/web/accessible_mirror.h).
void osu_js_mirror_changed();
}

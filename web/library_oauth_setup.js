// Functions C++ calls in the browser (declared in src/platform/web/js_bridge.h). Each forwards to
// window.oauthSetupHost, the page-side host defined in web/host, so this file stays a thin bridge
// that Emscripten's JS compiler can process without knowing the page.
mergeInto(LibraryManager.library, {
  $osuNewString__deps: ['malloc'],
  $osuNewString: function (text) {
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
  },
  osu_js_storage_get__deps: ['$osuNewString'],
  osu_js_storage_get: function (key) {
    var text = window.oauthSetupHost.storageGet(UTF8ToString(key));
    return text === null ? 0 : osuNewString(text);
  },
  osu_js_storage_set__deps: ['$osuNewString'],
  osu_js_storage_set: function (key, value) {
    var error = window.oauthSetupHost.storageSet(UTF8ToString(key), UTF8ToString(value));
    return error ? osuNewString(error) : 0;
  },
  osu_js_storage_keys__deps: ['$osuNewString'],
  osu_js_storage_keys: function (prefix) {
    return osuNewString(JSON.stringify(window.oauthSetupHost.storageKeys(UTF8ToString(prefix))));
  },
  osu_js_open_popup: function (url) {
    return window.oauthSetupHost.openPopup(UTF8ToString(url)) ? 1 : 0;
  },
  osu_js_probe: function (id, url, timeoutMs) {
    window.oauthSetupHost.probe(id, UTF8ToString(url), timeoutMs);
  },
  osu_js_close_popup: function () {
    window.oauthSetupHost.closePopup();
  },
  osu_js_download: function (name, mime, text) {
    window.oauthSetupHost.download(UTF8ToString(name), UTF8ToString(mime), UTF8ToString(text));
  },
  osu_js_open_tab: function (url) {
    window.oauthSetupHost.openTab(UTF8ToString(url));
  },
  osu_js_pick_file: function () {
    window.oauthSetupHost.pickFile();
  },
  osu_js_derive_key: function (id, passphrase, salt, iterations) {
    window.oauthSetupHost.deriveKey(id, UTF8ToString(passphrase), UTF8ToString(salt), iterations);
  },
  osu_js_seal: function (id, plaintext) {
    window.oauthSetupHost.seal(id, UTF8ToString(plaintext));
  },
  osu_js_unseal: function (id, iv, ciphertext) {
    window.oauthSetupHost.unseal(id, UTF8ToString(iv), UTF8ToString(ciphertext));
  },
  osu_js_forget_key: function () {
    window.oauthSetupHost.forgetKey();
  },
  osu_js_verify_signature: function (id, alg, jwk, input, signature) {
    window.oauthSetupHost.verifySignature(id, UTF8ToString(alg), UTF8ToString(jwk), UTF8ToString(input),
      UTF8ToString(signature));
  },
  osu_js_sign_jws: function (id, algorithm, key, input) {
    window.oauthSetupHost.signJws(id, UTF8ToString(algorithm), UTF8ToString(key), UTF8ToString(input));
  },
  osu_js_describe_signing_key: function (id, algorithm, key) {
    window.oauthSetupHost.describeSigningKey(id, UTF8ToString(algorithm), UTF8ToString(key));
  },
  osu_js_generate_signing_key: function (id, algorithm) {
    window.oauthSetupHost.generateSigningKey(id, UTF8ToString(algorithm));
  },
  osu_js_dpop_public_key: function (id, name) {
    window.oauthSetupHost.dpopPublicKey(id, UTF8ToString(name));
  },
  osu_js_sign_dpop: function (id, name, input) {
    window.oauthSetupHost.signDpop(id, UTF8ToString(name), UTF8ToString(input));
  },
  osu_js_forget_dpop_key: function (name) {
    window.oauthSetupHost.forgetDpopKey(UTF8ToString(name));
  },
  osu_js_parse_url__deps: ['$osuNewString'],
  osu_js_parse_url: function (text) {
    let url;
    try {
      url = new URL(UTF8ToString(text));
    } catch (e) {
      return 0; // the parser refuses it, as fetch() and window.open() would
    }
    return osuNewString(JSON.stringify({
      protocol: url.protocol, username: url.username, password: url.password, hostname: url.hostname,
      port: url.port, pathname: url.pathname, search: url.search, hash: url.hash,
    }));
  },
  osu_js_page_url__deps: ['$osuNewString'],
  osu_js_page_url: function () {
    return osuNewString(window.location.origin + window.location.pathname);
  },
  osu_js_started: function () {
    window.oauthSetupHost.started();
  },
  osu_js_fatal: function (message) {
    window.oauthSetupHost.fatal(UTF8ToString(message));
  },
  osu_js_request_frame: function (delayMs) {
    window.oauthSetupHost.requestFrame(delayMs);
  },
  osu_js_request_frame_now: function () {
    window.oauthSetupHost.requestFrameNow();
  },
  osu_js_frame_drawn: function () {
    window.oauthSetupHost.frameDrawn();
  },
  osu_js_set_clipboard: function (text) {
    window.oauthSetupHost.setClipboard(UTF8ToString(text));
  },
  osu_js_text_input: function (active, x, y, w, h) {
    window.oauthSetupHost.textInput(!!active, x, y, w, h);
  },
  osu_js_set_cursor: function (css) {
    window.oauthSetupHost.setCursor(UTF8ToString(css));
  },
  // The accessible mirror (web/host/mirror.js) reads the entries after this frame.
  osu_js_mirror_changed: function () {
    window.oauthSetupHost.mirrorChanged();
  },
});

// The page-side host of the WebAssembly app, as ES modules with one job each:
//   frames.js      the frame scheduler (frames only when something changed)
//   input.js       DOM input into the C++ input queue, the hidden text element, display size
//   callbacks.js   the consent popup, the Redirect URL page's answers, the no-cors probe
//   lock_crypto.js the passphrase lock's WebCrypto
//   storage.js     localStorage and other tabs' saves
//   automation.js  window.oauthSetup (README.md)
//   mirror.js      the accessible mirror of the form (screen readers, password managers)
//   page.js        clipboard, cursor, file choosing and downloads, the error message
//   deferred.js    app.deferred.wasm: the code needed once a person acts, fetched then
// This entry wires them into window.oauthSetupHost, which web/library_oauth_setup.js calls from
// C++, and sets up the Emscripten module before app.js (a deferred script after this one) runs.
import * as frames from './frames.js';
import * as input from './input.js';
import * as callbacks from './callbacks.js';
import * as lockCrypto from './lock_crypto.js';
import * as jwsVerify from './jws_verify.js';
import * as signing from './signing.js';
import * as dpop from './dpop.js';
import * as storage from './storage.js';
import * as page from './page.js';
import { installAutomation } from './automation.js';
import * as mirror from './mirror.js';
import * as deferred from './deferred.js';

window.oauthSetupHost = {
  // main() has set up WebGL and Dear ImGui: input and frames may flow.
  started() {
    frames.start();
    mirror.installMirror();
    input.installInput();
    callbacks.installCallbackListeners();
    storage.installStorageListener();
    storage.installFlushOnHide();
    input.resize();
  },
  fatal(message) {
    page.showError(message);
    frames.fail(new Error(message));
  },
  requestFrame: frames.requestFrame,
  requestFrameNow: frames.requestFrameNow,
  frameDrawn: frames.frameDrawn,
  textInput: input.textInput,
  setClipboard: page.setClipboard,
  setCursor: page.setCursor,
  mirrorChanged: mirror.mirrorChanged,
  storageGet: storage.storageGet,
  storageKeys: storage.storageKeys,
  storageSet: storage.storageSet,
  openPopup: callbacks.openPopup,
  closePopup: callbacks.closePopup,
  probe: callbacks.probe,
  deriveKey: lockCrypto.deriveKey,
  seal: lockCrypto.seal,
  unseal: lockCrypto.unseal,
  forgetKey: lockCrypto.forgetKey,
  verifySignature: jwsVerify.verifySignature,
  signJws: signing.signJws,
  describeSigningKey: signing.describeSigningKey,
  generateSigningKey: signing.generateSigningKey,
  dpopPublicKey: dpop.dpopPublicKey,
  signDpop: dpop.signDpop,
  forgetDpopKey: dpop.forgetDpopKey,
  openTab: page.openTab,
  pickFile: page.pickFile,
  download: page.download,
};

installAutomation();
deferred.prefetchOnFirstAct();

window.Module = {
  canvas: null,
  print: (text) => console.log(text),
  printErr: (text) => { if (!deferred.isLoaderChatter(text)) console.warn(text); },
  loadSplitModule: deferred.loadSplitModule,
  onRuntimeInitialized() {
    this.canvas = document.getElementById('canvas');
  },
  onAbort(what) {
    page.showError(`OAuth Setup stopped: ${what}. Reload the page to start again.`);
    frames.fail(new Error(String(what)));
  },
};
if (typeof WebAssembly !== 'object') page.showError('OAuth Setup needs a browser with WebAssembly.');

// The Redirect URL page. It hands the authorization response (the whole URL: code, state, error,
// iss, in the query or the fragment) to the page that opened it, then removes it from its own address
// bar and closes. postMessage goes to this page's own origin only; when the identity provider has
// severed window.opener, a same-origin BroadcastChannel carries it instead.
'use strict';

(function () {
  const url = window.location.href;
  // An authorization response always carries code or error (RFC 6749 4.1.2, 4.1.2.1); the provider's
  // return after RP-initiated logout carries neither, only the state (RP-Initiated Logout 1.0 3).
  // It is handed over too: the page matches the state to its sign-out and closes this window.
  const params = new URLSearchParams(window.location.search || window.location.hash.slice(1));
  const signedOut = !params.has('code') && !params.has('error') && params.has('state');
  // Nothing of the response stays in the address bar or history.
  window.history.replaceState(null, '', window.location.pathname);
  const message = { type: 'oauth-setup-callback', url };
  let delivered = false;
  try {
    if (window.opener && !window.opener.closed) {
      window.opener.postMessage(message, window.location.origin);
      delivered = true;
    }
  } catch (e) { /* opener from another origin: fall through to the channel */ }
  // Every tab of this origin hears the channel, so it is used only when the provider severed
  // window.opener; the page ignores a callback whose state is not its own pending one.
  if (!delivered) {
    try {
      const channel = new BroadcastChannel('oauth-setup-callback');
      channel.postMessage(message);
      channel.close();
      delivered = true;
    } catch (e) { /* no BroadcastChannel */ }
  }
  const text = signedOut ? 'Signed out at the provider. You can close this window if it stays open.' : delivered
    ? 'Signed in. You can close this window if it stays open.'
    : 'Could not reach the OAuth Setup page. Keep it open in another tab and try again.';
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('message').textContent = text;
  });
  setTimeout(() => window.close(), 50);
})();

// Plain HTML pages for the oidc-provider helpers that render pages (device flow, logout, errors).
// oidc-provider's defaults print a "you SHOULD change this" notice the first time each is used,
// and @import a Google font (no network here). Same ids, names and button captions as the
// defaults, so anything written against those still works.

const STYLE = `body{font-family:sans-serif;margin:25px auto;max-width:320px}
h1{font-weight:100;text-align:center}input[type=text],input[type=password]{width:100%;height:40px;margin-bottom:10px;box-sizing:border-box}
button,[type=submit]{width:100%;height:36px;margin-bottom:10px}p.red{color:#d50000}pre{white-space:pre-wrap;word-wrap:break-word}`;

export function htmlSafe(value) {
  return String(value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${htmlSafe(title)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <div class="container">
${body}
  </div>
</body>
</html>`;
}

// features.deviceFlow.userCodeInputSource
export async function userCodeInputSource(ctx, form, out, err) {
  let msg;
  if (err && (err.userCode || err.name === 'NoCodeError')) {
    msg = '<p class="red">The code you entered is incorrect. Try again</p>';
  } else if (err && err.name === 'AbortedError') {
    msg = '<p class="red">The Sign-in request was interrupted</p>';
  } else if (err) {
    msg = '<p class="red">There was an error processing your request</p>';
  } else {
    msg = '<p>Enter the code displayed on your device</p>';
  }
  ctx.type = 'html';
  ctx.body = page('Sign-in', `<h1>Sign-in</h1>
${msg}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

// features.deviceFlow.userCodeConfirmSource
export async function userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
  const { clientId, clientName } = ctx.oidc.client;
  ctx.type = 'html';
  ctx.body = page('Device Login Confirmation', `<h1>Confirm Device</h1>
<p><strong>${htmlSafe(clientName || clientId)}</strong><br><br>
The following code should be displayed on your device<br><br><code>${htmlSafe(userCode)}</code></p>
${form}
<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">[ Abort ]</button>`);
}

// features.deviceFlow.successSource
export async function successSource(ctx) {
  const { clientId, clientName } = ctx.oidc.client;
  ctx.type = 'html';
  ctx.body = page('Sign-in Success', `<h1>Sign-in Success</h1>
<p>Your sign-in with ${htmlSafe(clientName || clientId)} was successful, you can now close this page.</p>`);
}

// features.rpInitiatedLogout.logoutSource
export async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = page('Logout Request', `<h1>Do you want to sign-out from ${htmlSafe(ctx.host)}?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
}

// features.rpInitiatedLogout.postLogoutSuccessSource
export async function postLogoutSuccessSource(ctx) {
  const { clientId, clientName } = ctx.oidc.client || {};
  const display = clientName || clientId;
  ctx.type = 'html';
  ctx.body = page('Sign-out Success', `<h1>Sign-out Success</h1>
<p>Your sign-out ${display ? `with ${htmlSafe(display)}` : ''} was successful.</p>`);
}

// renderError
export async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('oops! something went wrong', `<h1>oops! something went wrong</h1>
${Object.entries(out).map(([key, value]) => `<pre><strong>${htmlSafe(key)}</strong>: ${htmlSafe(value)}</pre>`).join('\n')}`);
}

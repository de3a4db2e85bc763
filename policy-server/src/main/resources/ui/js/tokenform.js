// Shown instead of any page when the API answers 401 or 403: nothing else is drawn, so a viewer
// without the read role sees no data at all.
import { el, replace } from './dom.js';
import { rememberToken, forgetToken } from './token.js';

export function showTokenForm(view, error, retry) {
  forgetToken();
  const input = el('input', { id: 'token', name: 'token', type: 'password', required: true,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'token-help token-error' });
  const form = el('form', { class: 'token-form', onsubmit: (event) => {
    event.preventDefault();
    rememberToken(input.value.trim());
    retry();
  } },
    el('label', { for: 'token' }, 'API token'),
    input,
    el('p', { id: 'token-help', class: 'muted' },
      'A token with the read role. It is kept in this browser tab only and forgotten when the tab closes.'),
    el('button', { type: 'submit' }, 'Sign in'));
  replace(view,
    el('h1', {}, 'Sign in'),
    el('p', { id: 'token-error', class: 'error', role: 'alert' }, message(error)),
    form);
  document.getElementById('forget-token').hidden = true;
  input.focus();
}

function message(error) {
  if (error.status === 403) return `This token may not read decisions: ${error.message}.`;
  return `The server needs a token: ${error.message}.`;
}

// The router: the address after '#' names the page, so every page can be linked, bookmarked and
// reached with the back button. One page is shown at a time; leaving it aborts its requests and
// stops its polling.
import { ApiError } from './api.js';
import { el, replace } from './dom.js';
import { token, forgetToken } from './token.js';
import { showTokenForm } from './tokenform.js';
import * as decisions from './decisions.js';
import * as decision from './decision.js';
import * as policies from './policies.js';
import * as workspace from './workspace.js';
import * as board from './board.js';

const view = document.getElementById('view');
const forget = document.getElementById('forget-token');
let current = null;

/** `#/decisions/ID?x=y` as {page, id, params}. */
function parse(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  return { page: page || 'decisions', id: rest.length ? decodeURIComponent(rest.join('/')) : null,
    params: new URLSearchParams(query) };
}

function pageFor(route) {
  if (route.page === 'decisions') return route.id === null ? decisions : decision;
  if (route.page === 'policies') return policies;
  if (route.page === 'workspace') return workspace;
  if (route.page === 'board') return board;
  return null;
}

async function show() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const route = parse(location.hash);
  const page = pageFor(route);
  forget.hidden = !token();
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === route.page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!page) {
    replace(view, el('h1', {}, 'Not found'), el('p', {}, 'There is no such page. ',
      el('a', { href: '#/decisions' }, 'Go to the decision log.')));
    return;
  }
  try {
    await page.render(view, route, controller.signal, failed);
  } catch (e) {
    failed(e, controller.signal);
  }
}

/** What a page does with a failure: ask for a token, or say what went wrong. */
function failed(error, signal) {
  if (error.name === 'AbortError' || signal.aborted) return;
  current.abort();
  if (error instanceof ApiError && error.needsToken) {
    showTokenForm(view, error, show);
    return;
  }
  console.warn('console page failed', error);
  replace(view, el('h1', {}, 'Something went wrong'),
    el('p', { class: 'error', role: 'alert' }, error.message));
}

forget.addEventListener('click', () => {
  forgetToken();
  show();
});
window.addEventListener('hashchange', show);
show();

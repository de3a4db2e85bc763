// The decision log, newest first: filters kept in the address (so a filtered view can be shared),
// older pages on request, and new decisions prepended as they are logged.
import { getJson, segment } from './api.js';
import { el, replace } from './dom.js';
import { time, outcome, toUtcInput } from './format.js';
import { filterQuery } from './filters.js';

const FILTERS = ['gate', 'subject', 'outcome', 'from', 'to'];
const PAGE_SIZE = 50;
const POLL_MS = 2000;
// A burst bigger than this between two polls is left to a reload, rather than paging without end.
const POLL_PAGES = 5;

export async function render(view, route, signal, failed) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name) ?? '']));
  const rows = el('tbody');
  const status = el('p', { class: 'muted', role: 'status', id: 'log-status' });
  const more = el('button', { type: 'button', id: 'older', hidden: true }, 'Load older decisions');
  const shown = new Set();
  let newest = null;
  let cursor = null;

  const page = await getJson('/v1/decisions', { ...filters, limit: PAGE_SIZE }, signal);
  add(page.items, 'end');
  cursor = page.nextCursor;

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const older = await getJson('/v1/decisions', { ...filters, limit: PAGE_SIZE, cursor }, signal);
      add(older.items, 'end');
      cursor = older.nextCursor;
    } catch (e) {
      failed(e, signal);
    } finally {
      more.disabled = false;
      update();
    }
  });

  replace(view,
    el('h1', {}, 'Decisions'),
    filterForm(filters),
    status,
    el('div', { class: 'table-wrap' },
      el('table', { class: 'log', id: 'decisions' },
        el('caption', { class: 'visually-hidden' }, 'Logged decisions, newest first'),
        el('thead', {}, el('tr', {},
          ['Logged', 'Outcome', 'Gate', 'Subject', 'Actor', 'Principal'].map((h) => el('th', { scope: 'col' }, h)))),
        rows)),
    more);
  update();
  if (live(filters)) poll();

  /** Adds the decisions not shown yet, at the end (older pages) or the start (new ones). */
  function add(items, where) {
    const fresh = items.filter((item) => !shown.has(item.decisionId));
    fresh.forEach((item) => shown.add(item.decisionId));
    const nodes = fresh.map((item) => row(item, where === 'start'));
    if (where === 'start') rows.prepend(...nodes);
    else rows.append(...nodes);
    if (fresh.length && (newest === null || Date.parse(fresh[0].loggedAt) >= Date.parse(newest))) {
      newest = fresh[0].loggedAt;
    }
    return fresh.length;
  }

  function update(added = 0) {
    more.hidden = !cursor;
    const count = `${shown.size} decision${shown.size === 1 ? '' : 's'} shown`;
    status.textContent = shown.size === 0 ? 'No decisions match these filters.'
      : added ? `${count}, ${added} new.` : `${count}.`;
  }

  /** Asks every two seconds for decisions logged since the newest one shown. */
  function poll() {
    const timer = setTimeout(async () => {
      try {
        // Pages come newest first; collected before prepending so the newest ends up on top.
        const items = [];
        let next = null;
        for (let i = 0; i < POLL_PAGES; i++) {
          const since = { ...filters, from: newest ?? filters.from, limit: PAGE_SIZE, cursor: next };
          const fresh = await getJson('/v1/decisions', since, signal);
          items.push(...fresh.items);
          next = fresh.nextCursor;
          if (!next) break;
        }
        const added = add(items, 'start');
        if (added) update(added);
        poll();
      } catch (e) {
        failed(e, signal);
      }
    }, POLL_MS);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }
}

/** Polling only makes sense while the time range is still open. */
function live(filters) {
  return !filters.to || Date.parse(filters.to) > Date.now();
}

function row(item, fresh) {
  const link = el('a', { href: `#/decisions/${segment(item.decisionId)}`, title: `decision ${item.decisionId}` },
    time(item.loggedAt));
  return el('tr', { class: fresh ? 'fresh' : null, 'data-id': item.decisionId },
    el('td', { 'data-label': 'Logged' }, link),
    el('td', { 'data-label': 'Outcome' }, outcome(item.outcome)),
    el('td', { 'data-label': 'Gate' }, item.gate),
    el('td', { 'data-label': 'Subject' }, item.subject),
    el('td', { 'data-label': 'Actor' }, item.actor ?? '—'),
    el('td', { 'data-label': 'Principal' }, item.principal ?? '—'));
}

function filterForm(filters) {
  const field = (name, label, control) => el('div', { class: `field ${control.type === 'datetime-local' ? 'wide' : ''}` },
    el('label', { for: `f-${name}` }, label), control);
  const text = (name) => el('input', { id: `f-${name}`, name, type: 'text', value: filters[name],
    autocomplete: 'off', spellcheck: 'false' });
  const when = (name) => el('input', { id: `f-${name}`, name, type: 'datetime-local', step: '1',
    value: toUtcInput(filters[name]) });
  const choice = el('select', { id: 'f-outcome', name: 'outcome' },
    ['', 'ALLOW', 'DENY'].map((value) =>
      el('option', { value, selected: value === filters.outcome }, value || 'any')));
  const form = el('form', { class: 'filters', id: 'filters', 'aria-label': 'Filter decisions',
    onsubmit: (event) => {
      event.preventDefault();
      location.hash = `#/decisions${filterQuery(form, FILTERS, ['from', 'to'])}`;
    } },
    field('gate', 'Gate', text('gate')),
    field('subject', 'Subject', text('subject')),
    field('outcome', 'Outcome', choice),
    field('from', 'From (UTC)', when('from')),
    field('to', 'To (UTC)', when('to')),
    el('div', { class: 'actions' },
      el('button', { type: 'submit' }, 'Filter'),
      el('a', { href: '#/decisions', class: 'button quiet' }, 'Clear')));
  return form;
}

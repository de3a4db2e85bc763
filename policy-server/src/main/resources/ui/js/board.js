// The governance board: every issue of the workspace against every gate at one time (GET /v1/board),
// each cell the decision POST /v1/decisions would give. The filters and the time live in the
// address, so a filtered board can be linked. A cell opens its whole decision, asked of the same
// endpoint for that one issue and gate (explain=true): the board never decides anything itself.
// The workspace audit's findings sit on the rows of the issues they concern.
import { ApiError, getJson } from './api.js';
import { el, replace, facts } from './dom.js';
import { time, outcome, revision, toUtcInput } from './format.js';
import { filterQuery } from './filters.js';
import { factsSection } from './factlist.js';
import { rulesByName } from './rules.js';
import { decisionSections } from './explain.js';

const FILTERS = ['gate', 'outcome', 'q', 'at'];
// The control that applied the filters, focused again once the filtered board is drawn.
let refocus = null;

export async function render(view, route, signal, failed) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, (route.params.get(name) ?? '').trim()]));
  filters.outcome = filters.outcome.toLowerCase();

  let board;
  try {
    board = await getJson('/v1/board', { at: filters.at }, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.needsToken || e.status >= 500 || e.status === 0) throw e;
    // No workspace: nothing to show. A time the server cannot read: say so, with the form to correct it.
    replace(view, el('h1', {}, 'Board'), e.code !== 'no-workspace' && filterForm(filters, []),
      el('p', { class: e.code === 'no-workspace' ? null : 'error', role: 'alert', id: 'board-error' }, e.message));
    return;
  }
  // The audit is asked at the board's time, so that both speak of the same moment.
  const audit = await getJson('/v1/workspace/audit', { at: board.at }, signal)
    .catch((e) => { if (e instanceof ApiError && !e.needsToken) return e; throw e; });

  const gates = filters.gate ? board.gates.filter((g) => g === filters.gate) : board.gates;
  const rows = board.rows.filter((row) => matches(row, gates, filters));
  const findings = byIssue(audit instanceof ApiError ? [] : audit.findings);
  const explanation = explainer(board, signal, failed);

  replace(view,
    el('h1', {}, 'Board'),
    filterForm(filters, board.gates),
    el('p', { id: 'board-summary' }, 'Decided at ', time(board.at), ` as ${board.actor} · policy `,
      revision(board.policy?.revision), ' · workspace ', revision(board.workspace)),
    filters.gate && !gates.length
      && el('p', { class: 'error', role: 'alert' }, `The board has no gate '${filters.gate}'; its gates are ${board.gates.join(', ')}.`),
    el('p', { class: 'muted', role: 'status', id: 'board-status' }, shown(rows.length, board.rows.length)),
    rows.length > 0 && gates.length > 0 && matrix(board, gates, rows, findings, explanation.open),
    auditNotes(audit, board),
    explanation.dialog);

  if (refocus) {
    document.getElementById(refocus)?.focus();
    refocus = null;
  }
}

function shown(count, total) {
  if (total === 0) return 'The workspace has no issues.';
  if (count === 0) return `No issue of ${total} matches these filters.`;
  return count === total ? `${total} issue${total === 1 ? '' : 's'}.` : `${count} of ${total} issues match these filters.`;
}

/** Whether a row passes the outcome and text filters, looking only at the gates shown. */
function matches(row, gates, filters) {
  const cells = gates.map((gate) => row.cells[gate]).filter(Boolean);
  if (filters.outcome && !cells.some((cell) => cell.outcome.toLowerCase() === filters.outcome)) return false;
  if (!filters.q) return true;
  const needle = filters.q.toLowerCase();
  return [row.issue, row.title ?? '', ...cells.flatMap((cell) => cell.reasons.map((r) => r.code))]
    .some((text) => text.toLowerCase().includes(needle));
}

function byIssue(findings) {
  const map = new Map();
  for (const finding of findings) map.set(finding.issue, [...(map.get(finding.issue) ?? []), finding]);
  return map;
}

function filterForm(filters, gates) {
  const field = (name, label, control, wide) => el('div', { class: `field${wide ? ' wide' : ''}` },
    el('label', { for: `b-${name}` }, label), control);
  const choice = (name, values, label) => el('select', { id: `b-${name}`, name },
    values.map((value) => el('option', { value, selected: value === filters[name] }, value ? label(value) : 'any')));
  const form = el('form', { class: 'filters', id: 'board-filters', 'aria-label': 'Filter the board',
    onsubmit: (event) => {
      event.preventDefault();
      refocus = document.activeElement?.id || null;
      location.hash = `#/board${filterQuery(form, FILTERS, ['at'])}`;
    } },
    field('gate', 'Gate', choice('gate', ['', ...gates], (g) => g)),
    field('outcome', 'Outcome', choice('outcome', ['', 'allow', 'deny'], (o) => o)),
    field('q', 'Issue, title or code', el('input', { id: 'b-q', name: 'q', type: 'search', value: filters.q,
      autocomplete: 'off', spellcheck: 'false' }), true),
    field('at', 'At (UTC; empty for now)', el('input', { id: 'b-at', name: 'at', type: 'datetime-local', step: '1',
      value: toUtcInput(filters.at) }), true),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'b-apply' }, 'Filter'),
      el('a', { href: '#/board', class: 'button quiet', id: 'b-clear' }, 'Clear')));
  return form;
}

// Problems and findings that no row of the board can carry: files or issues the workspace could
// not read, and findings about an issue the board does not hold.
function auditNotes(audit, board) {
  if (audit instanceof ApiError) {
    return el('p', { class: 'note', id: 'board-audit' }, `The workspace audit is not available: ${audit.message}`);
  }
  const onBoard = new Set(board.rows.map((row) => row.issue));
  const elsewhere = audit.findings.filter((f) => !onBoard.has(f.issue));
  if (!audit.problems.length && !elsewhere.length) return null;
  return el('div', { class: 'note', id: 'board-audit' },
    el('p', {}, 'The workspace audit found what no row of the board shows (see ',
      el('a', { href: '#/workspace' }, 'the workspace'), '):'),
    el('ul', {},
      audit.problems.map((p) => el('li', {}, el('code', {}, p.line > 0 ? `${p.file}:${p.line}` : p.file), ` ${p.message}`)),
      elsewhere.map((f) => el('li', {}, findingText(f)))));
}

function findingText(f) {
  return [el('code', {}, f.source), ` ${f.issue} claims ${f.status}; ${f.gate} denies: `, codes(f.reasons)];
}

function codes(reasons) {
  return reasons.map((r, i) => [i > 0 && ', ', el('code', {}, r.code)]);
}

// The matrix. Explicit roles keep the table's semantics when the phone layout turns rows into cards.
function matrix(board, gates, rows, findings, open) {
  const table = el('table', { class: 'board', id: 'board', role: 'table' },
    el('caption', {}, 'Each issue against each gate: ✓ allowed, ✗ denied with the first deny code.',
      ' Choose a cell (Enter or Space) for its reasons, checks and trace; arrow keys move between cells.'),
    el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' },
      el('th', { scope: 'col', role: 'columnheader' }, 'Issue'),
      gates.map((gate) => el('th', { scope: 'col', role: 'columnheader' }, gate)))),
    el('tbody', { role: 'rowgroup' }, rows.map((row, r) => el('tr', { role: 'row', 'data-issue': row.issue },
      el('th', { scope: 'row', role: 'rowheader' }, issueHeader(row, findings.get(row.issue) ?? [])),
      gates.map((gate, c) => el('td', { role: 'cell', 'data-label': gate },
        row.cells[gate] && cellButton(row, gate, row.cells[gate], r, c, open)))))));
  table.addEventListener('keydown', (event) => move(table, event));
  return el('div', { class: 'board-wrap' }, table);
}

function issueHeader(row, findings) {
  return [
    el('div', { class: 'issue-id' }, el('code', {}, row.issue), row.status && el('span', { class: 'muted' }, ` ${row.status}`)),
    row.title && el('div', { class: 'issue-title' }, row.title),
    // The row names the issue; the finding says what its planning file claims and where.
    findings.map((f) => el('p', { class: 'finding' }, el('strong', {}, 'Audit: '),
      `claims ${f.status}; ${f.gate} denies `, codes(f.reasons), ' ', el('span', { class: 'muted' }, '(', el('code', {}, f.source), ')'))),
  ];
}

/** ✓, or ✗ with the first deny code and how many more; named in full for screen readers. */
function cellButton(row, gate, cell, r, c, open) {
  const denies = cell.reasons.filter((reason) => reason.severity === 'deny');
  const allowed = cell.outcome === 'ALLOW';
  const first = denies[0]?.code ?? '';
  const more = denies.length > 1 ? denies.length - 1 : 0;
  const name = `${row.issue} ${gate}: ${cell.outcome}${first ? ` ${first}` : ''}${more ? ` and ${more} more` : ''}`;
  return el('button', {
    type: 'button', class: `cell outcome-${cell.outcome.toLowerCase()}`, 'aria-label': name, 'aria-haspopup': 'dialog',
    'data-issue': row.issue, 'data-gate': gate, 'data-outcome': cell.outcome, 'data-row': r, 'data-col': c,
    onclick: (event) => open(event.currentTarget, row, gate, cell),
  },
  el('span', { class: 'mark', 'aria-hidden': 'true' }, allowed ? '✓' : '✗'),
  !allowed && [' ', el('code', {}, first || cell.outcome)],
  more > 0 && [' ', el('span', { class: 'more' }, `+${more}`)]);
}

/** Arrow keys move between cells, as in a spreadsheet; Tab still visits every cell in order. */
function move(table, event) {
  const from = event.target.closest('button.cell');
  const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
  if (!from || !step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const r = Number(from.dataset.row) + step[0];
  const c = Number(from.dataset.col) + step[1];
  const to = table.querySelector(`button.cell[data-row="${r}"][data-col="${c}"]`);
  if (to) {
    event.preventDefault();
    to.focus();
  }
}

// The explanation of one cell in a modal dialog: Escape or Close shuts it and focus goes back to the cell.
function explainer(board, signal, failed) {
  const body = el('div', { class: 'explanation-body' });
  const dialog = el('dialog', { id: 'explanation', class: 'explanation', 'aria-labelledby': 'explanation-title' }, body);
  let opener = null;
  let pending = null;
  let rules = null;

  dialog.addEventListener('close', () => {
    pending?.abort();
    if (opener?.isConnected) opener.focus();
  });
  // A click on the backdrop closes it too (a click on the dialog's own scroll bar is no such click).
  dialog.addEventListener('click', (event) => {
    const box = dialog.getBoundingClientRect();
    const outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
    if (event.target === dialog && outside) dialog.close();
  });
  signal.addEventListener('abort', () => { if (dialog.open) dialog.close(); }, { once: true });

  async function open(button, row, gate, cell) {
    opener = button;
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    const close = el('button', { type: 'button', class: 'quiet', id: 'explanation-close', onclick: () => dialog.close() }, 'Close');
    const content = el('div', { id: 'explanation-content' },
      el('p', { class: 'muted', role: 'status' }, 'Loading the decision…'));
    replace(body,
      el('div', { class: 'explanation-head' },
        el('h2', { id: 'explanation-title' }, outcome(cell.outcome), ` ${gate} · ${row.issue}`), close),
      row.title && el('p', { class: 'issue-title' }, row.title),
      content);
    dialog.showModal();
    close.focus();
    try {
      // Both asked of the server; the rule texts once per page.
      rules ??= getJson('/v1/policies', {}, signal).then((active) => ({ byName: rulesByName(active) }))
        .catch(() => ({ byName: new Map() }));
      const [answer, ruleTexts] = await Promise.all([
        getJson('/v1/board', { at: board.at, actor: board.actor, gate, issue: row.issue, explain: 'true' }, controller.signal),
        rules,
      ]);
      const explained = answer.rows[0]?.cells[gate];
      replace(content, explanation(board, answer, explained, cell, gate, row, ruleTexts));
    } catch (e) {
      if (e.name === 'AbortError' || controller.signal.aborted) return;
      if (e instanceof ApiError && e.needsToken) {
        dialog.close();
        failed(e, signal);
        return;
      }
      replace(content, el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  return { dialog, open };
}

function explanation(board, answer, explained, cell, gate, row, rules) {
  const decision = explained?.decision;
  if (!decision) return el('p', { class: 'error', role: 'alert' }, `The server gave no decision for ${row.issue} at ${gate}.`);
  const moved = answer.policy?.revision !== board.policy?.revision || answer.workspace !== board.workspace;
  return [
    moved && el('p', { class: 'note', id: 'explanation-moved' },
      'The policies or the workspace changed since the board was drawn: this decision was made with the ones active now',
      explained.outcome !== cell.outcome ? [', and its outcome differs: ', outcome(explained.outcome)] : '',
      '. Reload the board to see every cell again.'),
    facts([
      ['Evaluated at', time(decision.at)],
      ['Actor', board.actor],
      ['Policy revision', revision(decision.policy?.revision)],
      ['Workspace revision', decision.workspace && revision(decision.workspace)],
      // The board is not logged; the log may hold requests about the same issue and gate.
      ['Decision log', el('a', { href: `#/decisions?gate=${encodeURIComponent(gate)}&subject=${encodeURIComponent(row.issue)}` },
        `logged decisions on ${row.issue} at ${gate}`)],
    ]),
    decisionSections(decision, rules),
    factsSection(null, decision),
  ];
}

// The active policy set: its revision and files, each gate's rules with their metadata and text,
// and the last reload that failed (the set it would have replaced is still the one deciding). And a
// candidate to try before deploying it: rule files edited here or loaded from disk, replayed over
// the newest logged decisions with the facts each was decided with, listing the outcomes that flip.
import { ApiError, getJson, postJson, segment } from './api.js';
import { el, replace, facts, section } from './dom.js';
import { outcome, revision, time } from './format.js';
import { ruleSource, location } from './rules.js';
import { heldCandidate, holdCandidate, dropCandidate, filePicker } from './candidate.js';
import { diffView } from './diffview.js';

// Metadata every rule has, shown in its own row rather than again in the list of the rest.
const SHOWN = new Set(['gate', 'code', 'description']);
const DEFAULT_REPLAYED = 100;
const MOST_REPLAYED = 500;

export async function render(view, route, signal, failed) {
  const policies = await getJson('/v1/policies', {}, signal);
  const gates = policies.gates ?? [];
  const everyGate = policies.rules.filter((rule) => !rule.gates.length);
  replace(view,
    el('h1', {}, 'Policies'),
    policies.lastReloadError && reloadError(policies.lastReloadError),
    section('active', 'Active policy set',
      facts([
        ['Revision', revision(policies.revision)],
        ['Gates', gates.join(', ') || 'none'],
        ['Rules', String(policies.rules.length)],
      ]),
      el('details', {}, el('summary', {}, `Files (${policies.files.length})`),
        el('ul', { class: 'files' }, policies.files.map((file) => el('li', {}, el('code', {}, file)))))),
    candidateSection(gates, signal, failed),
    el('nav', { class: 'toc', 'aria-label': 'Gates' },
      el('ul', {}, gates.map((gate) => el('li', {}, el('a', { href: `#/policies?gate=${encodeURIComponent(gate)}` }, gate))))),
    gates.map((gate) => section(`gate-${gate}`, `Gate ${gate}`,
      el('ul', { class: 'rules' }, policies.rules.filter((r) => r.gates.includes(gate)).map(rule)))),
    everyGate.length > 0 && section('gate-all', 'Helper rules (every gate)',
      el('ul', { class: 'rules' }, everyGate.map(rule))));
  const focus = route.params.get('gate');
  if (focus) document.getElementById(`gate-${focus}`)?.scrollIntoView();
}

function reloadError(error) {
  return el('section', { class: 'alert', role: 'alert', id: 'reload-error', 'aria-labelledby': 'reload-error-title' },
    el('h2', { id: 'reload-error-title' }, 'The last edit did not compile'),
    el('p', {}, 'The active set below is still the one deciding. Candidate ', revision(error.revision), ':'),
    el('p', {}, error.message),
    error.issues?.length > 0 && el('ul', {}, error.issues.map((issue) => el('li', {},
      el('code', {}, location(issue.file, issue.line, issue.column)), ` ${issue.severity}: ${issue.message}`))));
}

function rule(r) {
  const extra = Object.entries(r.metadata ?? {}).filter(([name]) => !SHOWN.has(name));
  return el('li', { class: 'rule' },
    el('h3', {}, r.name),
    facts([
      ['Where', el('code', {}, location(r.file, r.line))],
      ['Code', r.code && el('code', {}, r.code)],
      ['Description', r.description],
      ['Gates', r.gates.length > 1 ? r.gates.join(', ') : null],
      ...extra.map(([name, value]) => [name, value]),
    ]),
    ruleSource(r, r.name));
}

/**
 * A candidate set and what it would flip. The candidate lives in this tab (see candidate.js): start
 * it from the active rules and edit a file, or load files; then replay the newest N decisions with
 * it (POST /v1/decisions/replay?mode=candidate, which needs the admin role besides read).
 */
function candidateSection(gates, signal, failed) {
  const status = el('p', { id: 'candidate-status' });
  const editor = el('div', { id: 'candidate-editor' });
  const result = el('div', { id: 'flips-result', 'aria-live': 'polite' });
  const limit = el('input', { id: 'flips-limit', type: 'number', min: 1, max: MOST_REPLAYED, value: DEFAULT_REPLAYED,
    required: true });
  const gate = el('select', { id: 'flips-gate' }, el('option', { value: '' }, 'every gate'),
    gates.map((g) => el('option', { value: g }, g)));
  const run = el('button', { type: 'submit', id: 'flips-run' }, 'Replay with the candidate');
  const start = el('button', { type: 'button', id: 'candidate-start', class: 'quiet' }, 'Start from the active rules');
  const drop = el('button', { type: 'button', id: 'candidate-drop', class: 'quiet' }, 'Drop the candidate');

  function draw() {
    const files = heldCandidate();
    const paths = Object.keys(files ?? {}).sort();
    status.replaceChildren(files
      ? `The candidate holds ${paths.length} rule files, kept in this browser tab. Edit them below; nothing is activated.`
      : 'No candidate yet: start one from the active rules, or load rule files.');
    drop.hidden = !files;
    run.disabled = !files;
    replace(editor, paths.map((path, i) => {
      const area = el('textarea', { id: `candidate-file-${i}`, 'data-path': path, rows: 18, spellcheck: 'false',
        'aria-label': `text of candidate file ${path}` });
      area.value = files[path];
      area.addEventListener('input', () => {
        const now = heldCandidate() ?? {};
        now[path] = area.value;
        holdCandidate(now);
      });
      return el('details', { class: 'candidate-file' }, el('summary', {}, el('code', {}, path)), area);
    }));
  }

  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const active = await getJson('/v1/policies/active', {}, signal);
      holdCandidate(Object.fromEntries(active.files.map((f) => [f.path, f.text])));
      draw();
    } catch (e) {
      failed(e, signal);
    } finally {
      start.disabled = false;
    }
  });
  drop.addEventListener('click', () => {
    dropCandidate();
    replace(result);
    draw();
  });
  const form = el('form', { class: 'filters', id: 'flips-form', onsubmit: async (event) => {
    event.preventDefault();
    run.disabled = true;
    replace(result, el('p', { class: 'muted' }, 'Compiling the candidate and replaying…'));
    try {
      const query = new URLSearchParams({ mode: 'candidate', limit: limit.value });
      if (gate.value) query.set('gate', gate.value);
      const report = await postJson(`/v1/decisions/replay?${query}`, { files: heldCandidate() }, signal);
      showFlips(result, report, signal, failed);
    } catch (e) {
      replace(result);
      if (e instanceof ApiError && e.status !== 401 && e.status !== 0) {
        replace(result, el('p', { class: 'error', role: 'alert', id: 'flips-error' },
          e.status === 403 ? `This token may not replay a candidate: ${e.message}.` : `The candidate cannot be replayed: ${e.message}`));
      } else {
        failed(e, signal);
      }
    } finally {
      run.disabled = !heldCandidate();
    }
  } },
    el('div', { class: 'field' }, el('label', { for: 'flips-limit' }, 'Newest decisions'), limit),
    el('div', { class: 'field' }, el('label', { for: 'flips-gate' }, 'Gate'), gate),
    el('div', { class: 'actions' }, run));

  draw();
  return section('candidate', 'Try a candidate',
    el('p', { class: 'muted' }, 'Replay the newest logged decisions with a candidate policy set, over the facts each'
      + ' was decided with, and see which outcomes it would flip before deploying it.'),
    status,
    el('div', { class: 'candidate-actions' }, start, drop),
    filePicker(draw),
    editor,
    form,
    result);
}

function showFlips(result, report, signal, failed) {
  const flips = report.changes.filter((c) => c.outcomeChanged);
  const others = report.changes.filter((c) => !c.outcomeChanged);
  const compared = el('div', { id: 'candidate-diff' });
  const compare = el('button', { type: 'button', id: 'candidate-compare', class: 'quiet' },
    'Compare the candidate with the active rules');
  compare.addEventListener('click', async () => {
    compare.disabled = true;
    try {
      const diff = await getJson(`/v1/policies/${segment(report.revision)}/diff`, { against: 'active' }, signal);
      replace(compared, diffView(diff, 'active revision', 'candidate'));
    } catch (e) {
      if (e instanceof ApiError && !e.needsToken) replace(compared, el('p', { class: 'error', role: 'alert' }, e.message));
      else failed(e, signal);
    } finally {
      compare.disabled = false;
    }
  });
  replace(result,
    el('p', { id: 'flips-summary' }, `Replayed ${report.replayed} of the ${report.read} newest decisions with candidate `,
      revision(report.revision), ' over the facts each was decided with: ',
      flips.length ? el('strong', {}, `${flips.length} ${flips.length === 1 ? 'outcome flips' : 'outcomes flip'}`) : 'no outcome flips',
      others.length ? `; ${others.length} more would change in reasons or checks only` : '', '.'),
    flips.length > 0 && changeTable('flips', flips),
    others.length > 0 && el('details', {}, el('summary', {}, `Changed without a flip (${others.length})`),
      changeTable('flips-others', others)),
    report.errors.length > 0 && el('details', { open: true }, el('summary', {}, `Not replayed (${report.errors.length})`),
      el('ul', { id: 'flips-errors' }, report.errors.map((e) => el('li', {},
        el('a', { href: `#/decisions/${segment(e.decisionId)}` }, el('code', {}, e.decisionId)), `: ${e.message}`)))),
    compare, compared);
}

function changeTable(id, changes) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'log', id },
    el('thead', {}, el('tr', {}, ['Decision', 'Logged', 'Gate', 'Subject', 'Outcome', 'Reasons changed']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, changes.map((c) => el('tr', { 'data-id': c.decisionId },
      el('td', { 'data-label': 'Decision' }, el('a', { href: `#/decisions/${segment(c.decisionId)}` },
        el('code', {}, c.decisionId))),
      el('td', { 'data-label': 'Logged' }, time(c.loggedAt)),
      el('td', { 'data-label': 'Gate' }, c.gate),
      el('td', { 'data-label': 'Subject' }, c.subject),
      el('td', { 'data-label': 'Outcome', class: 'flip' }, outcome(c.from), ' → ', outcome(c.to)),
      el('td', { 'data-label': 'Reasons changed' }, el('ul', { class: 'reason-changes' },
        c.reasonsRemoved.map((r) => el('li', { class: 'removed', title: r.message },
          '− ', el('code', {}, r.code), ` ${r.severity}: ${r.message}`)),
        c.reasonsAdded.map((r) => el('li', { class: 'added', title: r.message },
          '+ ', el('code', {}, r.code), ` ${r.severity}: ${r.message}`)))))))));
}

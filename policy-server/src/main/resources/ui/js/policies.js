// The active policy set: its revision and files, each gate's rules with their metadata and text,
// and the last reload that failed (the set it would have replaced is still the one deciding).
import { getJson } from './api.js';
import { el, replace, facts, section } from './dom.js';
import { revision } from './format.js';
import { ruleSource, location } from './rules.js';

// Metadata every rule has, shown in its own row rather than again in the list of the rest.
const SHOWN = new Set(['gate', 'code', 'description']);

export async function render(view, route, signal) {
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

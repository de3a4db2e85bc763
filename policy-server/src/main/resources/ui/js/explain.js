// The parts of a decision a reviewer reads to see why it came out as it did — its reasons, the facts
// set aside before the rules ran, the gate's checklist and the trace with each rule's text — for any
// page that shows a decision (the board's explanation; the decision page renders the same sections).
import { el, section } from './dom.js';
import { status } from './format.js';
import { ruleSource, location } from './rules.js';
import { reasonItem } from './reason.js';

export function reasonsSection(list) {
  if (!list.length) return section('reasons', 'Reasons', el('p', { class: 'muted' }, 'No rule denied or warned.'));
  return section('reasons', `Reasons (${list.length})`,
    el('ul', { class: 'reasons' }, list.map(reasonItem)));
}

// Facts set aside before the rules ran (dated after the decision's time): they could neither open
// nor close the gate, and a reviewer should see that they were there.
export function ignoredSection(list) {
  if (!list?.length) return null;
  return section('ignored', `Ignored facts (${list.length})`,
    el('ul', { class: 'ignored' }, list.map((i) => el('li', {}, el('code', {}, i.ref), ' — ', i.why))));
}

export function checklistSection(checks) {
  const counts = ['failed', 'warned', 'passed']
    .map((s) => [s, checks.filter((c) => c.status === s).length])
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  return section('checks', 'Checklist of the gate',
    el('p', { class: 'muted' }, counts || 'The gate has no rules.'),
    checks.length > 0 && el('div', { class: 'table-wrap' }, el('table', { class: 'checks' },
      el('thead', {}, el('tr', {}, ['Status', 'Rule', 'Code'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, checks.map((check) => el('tr', { class: `check-${check.status}` },
        el('td', { 'data-label': 'Status' }, status(check.status)),
        el('td', { 'data-label': 'Rule' }, check.rule),
        el('td', { 'data-label': 'Code' }, el('code', {}, check.code ?? '—'))))))));
}

/** The trace in firing order; `rules` (from rulesByName) gives each rule's text as its author wrote it. */
export function traceSection(steps, rules) {
  if (!steps.length) return section('trace', 'Trace', el('p', { class: 'muted' }, 'No rule fired.'));
  return section('trace', 'Trace: rules in firing order',
    el('ol', { class: 'trace' }, steps.map((step) => el('li', { value: step.seq },
      el('h3', {}, step.rule),
      el('p', { class: 'muted' }, el('code', {}, location(step.file, step.line)),
        step.facts?.length ? ` · matched ${step.facts.join(', ')}` : ''),
      ruleSource(rules.get(step.rule), step.rule)))));
}

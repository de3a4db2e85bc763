// Why a decision came out as it did — its reasons, the facts set aside before the rules ran, the
// gate's checklist and the trace, each rule with its text — as every page that shows a decision
// renders it: the decision page and the board's explanation.
import { el, section } from './dom.js';
import { status } from './format.js';
import { ruleSource, location } from './rules.js';
import { reasonItem } from './reason.js';

/**
 * The four sections, in the order a reviewer reads them. `rules` gives each rule's text as its author
 * wrote it: `{ byName, where }`, the rules of the revision that decided by name (rulesByName) and how
 * to name that revision when it has no rule of a name (ruleSource; the active set when left out).
 */
export function decisionSections(decision, rules) {
  return [
    reasonsSection(decision.reasons),
    ignoredSection(decision.ignored),
    checklistSection(decision.checks ?? [], rules),
    traceSection(decision.trace ?? [], rules),
  ];
}

function reasonsSection(list) {
  if (!list.length) return section('reasons', 'Reasons', el('p', { class: 'muted' }, 'No rule denied or warned.'));
  return section('reasons', `Reasons (${list.length})`,
    el('ul', { class: 'reasons' }, list.map(reasonItem)));
}

// Facts set aside before the rules ran (dated after the decision's time): they could neither open
// nor close the gate, and a reviewer should see that they were there.
function ignoredSection(list) {
  if (!list?.length) return null;
  return section('ignored', `Ignored facts (${list.length})`,
    el('ul', { class: 'ignored' }, list.map((i) => el('li', {}, el('code', {}, i.ref), ' — ', i.why))));
}

function checklistSection(checks, rules) {
  const counts = ['failed', 'warned', 'passed']
    .map((s) => [s, checks.filter((c) => c.status === s).length])
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  return section('checks', 'Checklist of the gate',
    el('p', { class: 'muted' }, counts || 'The gate has no rules.'),
    checks.length > 0 && el('div', { class: 'table-wrap' }, el('table', { class: 'checks' },
      el('thead', {}, el('tr', {}, ['Status', 'Rule', 'Code'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, checks.map((check) => el('tr', { class: `check-${check.status}` },
        el('td', { 'data-label': 'Status' }, status(check.status)),
        el('td', { 'data-label': 'Rule' }, ruleDetails(check.rule, rules)),
        el('td', { 'data-label': 'Code' }, el('code', {}, check.code ?? '—'))))))));
}

/** A checked rule's name, which opens to its text and place. */
function ruleDetails(name, rules) {
  const rule = rules.byName.get(name);
  return el('details', { class: 'check-rule' },
    el('summary', {}, el('span', { class: 'rule-name' }, name)),
    rule && el('p', { class: 'muted' }, el('code', {}, location(rule.file, rule.line))),
    ruleSource(rule, name, rules.where));
}

function traceSection(steps, rules) {
  if (!steps.length) return section('trace', 'Trace', el('p', { class: 'muted' }, 'No rule fired.'));
  return section('trace', 'Trace: rules in firing order',
    el('ol', { class: 'trace' }, steps.map((step) => el('li', { value: step.seq },
      el('h3', {}, step.rule),
      el('p', { class: 'muted' }, el('code', {}, location(step.file, step.line)),
        step.facts?.length ? ` · matched ${step.facts.join(', ')}` : ''),
      ruleSource(rules.byName.get(step.rule), step.rule, rules.where)))));
}

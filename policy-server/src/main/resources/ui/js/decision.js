// One logged decision: why it came out as it did (reasons, the gate's checklist, the trace with
// each rule's text), on which facts and policy revision, and what the active policies would say now.
import { getJson, segment } from './api.js';
import { el, replace, facts, section } from './dom.js';
import { time, outcome, status, revision, duration } from './format.js';
import { ruleSource, rulesByName, location } from './rules.js';
import { replaySection } from './replay.js';
import { factsSection } from './factlist.js';
import { reasonItem } from './reason.js';

export async function render(view, route, signal, failed) {
  const id = route.id;
  const [logged, policies] = await Promise.all([
    getJson(`/v1/decisions/${segment(id)}`, {}, signal),
    getJson('/v1/policies', {}, signal),
  ]);
  const decision = logged.decision;
  const rules = rulesByName(policies);

  replace(view,
    el('p', {}, el('a', { href: '#/decisions' }, '← Decision log')),
    el('h1', {}, outcome(decision.outcome), ` ${decision.gate} · ${decision.subject}`),
    summary(logged, decision, policies),
    reasons(decision.reasons),
    ignored(decision.ignored ?? []),
    checklist(decision.checks),
    trace(decision, rules),
    factsSection(logged.request, decision),
    replaySection(id, signal, failed));
}

function summary(logged, decision, policies) {
  const stale = policies.revision && decision.policy?.revision !== policies.revision;
  return section('summary', 'Summary',
    facts([
      ['Decision', el('code', {}, decision.decisionId)],
      ['Evaluated at', time(decision.at)],
      ['Logged at', time(logged.loggedAt)],
      ['Actor', logged.request?.actor],
      ['Principal', logged.principal],
      ['Policy revision', decision.policy && revision(decision.policy.revision)],
      ['Policy files', decision.policy?.files],
      ['Workspace revision', decision.workspace && revision(decision.workspace)],
      ['Duration', duration(decision.durationMicros)],
    ]),
    stale && el('p', { class: 'note' },
      'The policies changed since this decision: rule texts below are from the active revision. ',
      'Replay the decision to see whether the outcome would change.'));
}

function reasons(list) {
  if (!list.length) return section('reasons', 'Reasons', el('p', { class: 'muted' }, 'No rule denied or warned.'));
  return section('reasons', `Reasons (${list.length})`,
    el('ul', { class: 'reasons' }, list.map(reasonItem)));
}

// Facts set aside before the rules ran (dated after the decision's time): they could neither open
// nor close the gate, and a reviewer should see that they were there.
function ignored(list) {
  if (!list.length) return null;
  return section('ignored', `Ignored facts (${list.length})`,
    el('ul', { class: 'ignored' }, list.map((i) => el('li', {}, el('code', {}, i.ref), ' — ', i.why))));
}

function checklist(checks) {
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

function trace(decision, rules) {
  if (!decision.trace.length) return section('trace', 'Trace', el('p', { class: 'muted' }, 'No rule fired.'));
  return section('trace', 'Trace: rules in firing order',
    el('ol', { class: 'trace' }, decision.trace.map((step) => el('li', { value: step.seq },
      el('h3', {}, step.rule),
      el('p', { class: 'muted' }, el('code', {}, location(step.file, step.line)),
        step.facts?.length ? ` · matched ${step.facts.join(', ')}` : ''),
      ruleSource(rules.get(step.rule), step.rule)))));
}

// One logged decision: why it came out as it did (reasons, the gate's checklist and the trace, each
// rule with its text as it was in the revision that decided), on which facts and policy revision,
// how those rules differ from the active ones, and its three replays.
import { ApiError, getJson, segment } from './api.js';
import { el, replace, facts, section } from './dom.js';
import { time, outcome, revision, duration } from './format.js';
import { rulesByName } from './rules.js';
import { decisionSections } from './explain.js';
import { replaySection } from './replay.js';
import { factsSection } from './factlist.js';
import { diffView } from './diffview.js';

export async function render(view, route, signal, failed) {
  const id = route.id;
  const [logged, active] = await Promise.all([
    getJson(`/v1/decisions/${segment(id)}`, {}, signal),
    getJson('/v1/policies', {}, signal),
  ]);
  const decision = logged.decision;
  const rules = await decidingRules(decision.policy?.revision, active, signal);

  replace(view,
    el('p', {}, el('a', { href: '#/decisions' }, '← Decision log')),
    el('h1', {}, outcome(decision.outcome), ` ${decision.gate} · ${decision.subject}`),
    summary(logged, decision, rules),
    decisionSections(decision, rules),
    rules.changed && !rules.fallback && compareSection(decision.policy.revision, signal, failed),
    factsSection(logged.request, decision),
    replaySection(id, signal, failed));
}

/**
 * The rules of the revision that made the decision: the active set's when it still is that
 * revision, else the server's copy of it (from the log's snapshot). A decision logged before
 * snapshots were kept, or a server too busy compiling to list them now, gets the active rules with
 * a note saying so.
 */
async function decidingRules(decidedWith, active, signal) {
  // With no active set (none compiled yet) there is nothing to compare with, but the rules still read.
  const changed = Boolean(active.revision && decidedWith && decidedWith !== active.revision);
  if (!decidedWith || decidedWith === active.revision) {
    return { byName: rulesByName(active), where: 'The policy set that decided', changed, fallback: null };
  }
  try {
    const then = await getJson(`/v1/policies/${segment(decidedWith)}`, {}, signal);
    return { byName: rulesByName(then), where: 'The policy set that decided', changed, fallback: null,
      problem: then.problem };
  } catch (e) {
    if (!(e instanceof ApiError) || e.needsToken) throw e;
    return { byName: rulesByName(active), where: 'The active policy set', changed, fallback: e.message };
  }
}

function summary(logged, decision, rules) {
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
    (rules.changed || rules.fallback) && el('p', { class: 'note', id: 'rules-note' }, rules.fallback
      ? ['The rules this decision was decided with cannot be read (', rules.fallback,
        '): rule texts below are from the active revision, which differs.']
      : 'The policies changed since this decision: rule texts below are as they were in the revision that decided.'
        + ' Compare them with the active rules below, or replay the decision to see whether the outcome would change.'),
    rules.problem && el('p', { class: 'note' }, rules.problem));
}

/** What changed in the rules between the revision that decided and the active one, on request. */
function compareSection(decidedWith, signal, failed) {
  const result = el('div', { id: 'compare-result', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', id: 'compare-button' }, 'Compare with active rules');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(result, el('p', { class: 'muted' }, 'Comparing…'));
    try {
      const diff = await getJson('/v1/policies/active/diff', { against: decidedWith }, signal);
      replace(result, diffView(diff, 'revision that decided', 'active one'));
    } catch (e) {
      replace(result);
      if (e instanceof ApiError && !e.needsToken) {
        replace(result, el('p', { class: 'error', role: 'alert' }, e.message));
      } else {
        failed(e, signal);
      }
    } finally {
      button.disabled = false;
    }
  });
  return section('compare', 'Compare with active rules',
    el('p', { class: 'muted' }, 'What was edited in the rule files since this decision: the rules added, removed'
      + ' or changed, and each file\'s diff.'),
    button, result);
}

// Two of the three replays of a logged decision. "As decided" decides it again with the policy
// revision and workspace it was made with, from the log's snapshots: an audit's check that the log
// says what those rules said about those facts. "Now" asks what the active policies would say
// today, so a reviewer sees the effect of a policy edit on a real case. (A candidate set needs its
// files and the admin role: the API and `gatehouse replay` offer it.)
import { post, segment } from './api.js';
import { el, replace, section } from './dom.js';
import { outcome, revision } from './format.js';
import { reasonItem } from './reason.js';

export function replaySection(id, signal, failed) {
  const result = el('div', { id: 'replay-result', 'aria-live': 'polite' });
  const buttons = [
    button('replay-as-decided-button', 'Replay as decided', 'as-decided', showAsDecided),
    button('replay-button', 'Replay against active policies', 'now', showNow),
  ];
  function button(buttonId, label, mode, show) {
    const b = el('button', { type: 'button', id: buttonId }, label);
    b.addEventListener('click', async () => {
      buttons.forEach((other) => { other.disabled = true; });
      replace(result, el('p', { class: 'muted' }, 'Replaying…'));
      try {
        show(result, await post(`/v1/decisions/${segment(id)}/replay?mode=${mode}`, signal));
      } catch (e) {
        replace(result);
        failed(e, signal);
      } finally {
        buttons.forEach((other) => { other.disabled = false; });
      }
    });
    return b;
  }
  return section('replay', 'Replay',
    el('p', { class: 'muted' }, 'Decide the same request again: as it was decided, from the policies and workspace'
      + ' it was decided with, or with the policies and workspace active now.'),
    buttons, result);
}

function showAsDecided(result, { replayed, faults }) {
  replace(result,
    el('p', {}, 'Replayed with ', revision(replayed.policy?.revision),
      replayed.workspace ? [' and workspace ', revision(replayed.workspace)] : ' without a workspace',
      ', from the log\'s snapshots.'),
    faults.length === 0
      ? el('p', { class: 'same', id: 'replay-faults' }, 'Reproduced exactly: outcome, reasons, checks and trace.')
      : el('div', { class: 'changed', id: 'replay-faults' },
        el('h3', {}, `Determinism faults (${faults.length})`),
        el('ul', {}, faults.map((f) => el('li', {}, f)))));
}

function showNow(result, { original, replayed, diff }) {
  const unchanged = !diff.outcomeChanged && !diff.reasonsAdded.length
    && !diff.reasonsRemoved.length && !diff.checksFlipped.length;
  replace(result,
    el('p', {}, 'Logged with ', revision(original.policy?.revision), ', replayed with ',
      revision(replayed.policy?.revision), '.'),
    unchanged ? el('p', { class: 'same' }, 'Nothing would change.') : [
      el('p', { class: diff.outcomeChanged ? 'changed' : 'same', id: 'replay-outcome' },
        diff.outcomeChanged ? 'The outcome would change: ' : 'The outcome would stay ',
        outcome(diff.originalOutcome),
        diff.outcomeChanged && [' → ', outcome(diff.replayedOutcome)]),
      reasonList('Reasons added', diff.reasonsAdded, 'replay-added'),
      reasonList('Reasons removed', diff.reasonsRemoved, 'replay-removed'),
      flipped(diff.checksFlipped),
    ]);
}

function reasonList(title, reasons, id) {
  if (!reasons.length) return null;
  return el('div', { id }, el('h3', {}, `${title} (${reasons.length})`),
    el('ul', { class: 'reasons' }, reasons.map(reasonItem)));
}

function flipped(checks) {
  if (!checks.length) return null;
  return el('div', { id: 'replay-checks' }, el('h3', {}, `Checks flipped (${checks.length})`),
    el('ul', {}, checks.map((c) => el('li', {},
      c.rule, ' ', el('code', {}, c.code ?? '—'), `: ${c.from ?? 'absent'} → ${c.to ?? 'absent'}`))));
}

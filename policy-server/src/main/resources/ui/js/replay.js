// "What would the active policies say now?": replays a logged decision's request and shows only
// what changed, so a reviewer sees the effect of a policy edit on a real case.
import { post, segment } from './api.js';
import { el, replace, section } from './dom.js';
import { outcome, revision } from './format.js';
import { reasonItem } from './reason.js';

export function replaySection(id, signal, failed) {
  const result = el('div', { id: 'replay-result', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', id: 'replay-button' }, 'Replay against active policies');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(result, el('p', { class: 'muted' }, 'Replaying…'));
    try {
      show(result, await post(`/v1/decisions/${segment(id)}/replay`, signal));
    } catch (e) {
      replace(result);
      failed(e, signal);
    } finally {
      button.disabled = false;
    }
  });
  return section('replay', 'Replay',
    el('p', { class: 'muted' }, 'Decide the same request again with the policies active now.'),
    button, result);
}

function show(result, { original, replayed, diff }) {
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

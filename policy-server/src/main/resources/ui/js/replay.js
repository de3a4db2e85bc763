// The three replays of a logged decision. "As decided" decides it again with the policy revision
// and workspace it was made with, from the log's snapshots: an audit's check that the log says what
// those rules said about those facts. "Candidate" decides it with a candidate set (edited on the
// Policies page or loaded here, and never activated) over the facts it was made from, so what changes
// is the rules' doing; it needs the admin role besides read. "Now" asks what the active policies
// would say today, over today's workspace.
import { ApiError, post, postJson, segment } from './api.js';
import { el, replace, section } from './dom.js';
import { outcome, revision } from './format.js';
import { reasonItem } from './reason.js';
import { heldCandidate, filePicker } from './candidate.js';

export function replaySection(id, signal, failed) {
  const result = el('div', { id: 'replay-result', 'aria-live': 'polite' });
  const path = `/v1/decisions/${segment(id)}/replay`;
  const candidateStatus = el('p', { class: 'muted', id: 'candidate-status' });
  const buttons = [
    button('replay-as-decided-button', 'Replay as decided', () => post(`${path}?mode=as-decided`, signal), showAsDecided),
    button('replay-candidate-button', 'Replay against the candidate',
      () => postJson(`${path}?mode=candidate`, { files: heldCandidate() }, signal),
      (into, replay) => showChange(into, replay, 'candidate ')),
    button('replay-button', 'Replay against active policies', () => post(`${path}?mode=now`, signal),
      (into, replay) => showChange(into, replay, '')),
  ];
  const candidateButton = buttons[1];
  function showCandidate() {
    const files = heldCandidate();
    candidateStatus.replaceChildren(files
      ? `Candidate: ${Object.keys(files).length} rule files held in this tab (edit them on the Policies page, or load others here).`
      : 'No candidate is held in this tab: load its rule files here, or start one from the active rules on the Policies page.');
    candidateButton.disabled = !files;
  }
  function button(buttonId, label, ask, show) {
    const b = el('button', { type: 'button', id: buttonId }, label);
    b.addEventListener('click', async () => {
      buttons.forEach((other) => { other.disabled = true; });
      replace(result, el('p', { class: 'muted' }, 'Replaying…'));
      try {
        show(result, await ask());
      } catch (e) {
        replace(result);
        // A candidate that does not compile, or a token without the admin role, is said here.
        if (e instanceof ApiError && e.status !== 401 && e.status !== 0 && b === candidateButton) {
          replace(result, el('p', { class: 'error', role: 'alert', id: 'replay-error' }, refusal(e)));
        } else {
          failed(e, signal);
        }
      } finally {
        buttons.forEach((other) => { other.disabled = false; });
        showCandidate();
      }
    });
    return b;
  }
  showCandidate();
  return section('replay', 'Replay',
    el('p', { class: 'muted' }, 'Decide the same request again: as it was decided, from the policies and workspace'
      + ' it was decided with; with a candidate policy set over the same facts; or with the policies and workspace'
      + ' active now.'),
    el('div', { class: 'replay-buttons' }, buttons),
    el('details', { class: 'candidate-picker' }, el('summary', {}, 'The candidate'),
      candidateStatus, filePicker(showCandidate)),
    result);
}

function refusal(error) {
  if (error.status === 403) return `The candidate cannot be replayed with this token: ${error.message}.`;
  return `The candidate cannot be replayed: ${error.message}`;
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

/** A replay with other policies (a candidate's, or today's) and what it would change. */
function showChange(result, { original, replayed, diff }, what) {
  const unchanged = !diff.outcomeChanged && !diff.reasonsAdded.length
    && !diff.reasonsRemoved.length && !diff.checksFlipped.length;
  replace(result,
    el('p', { id: 'replay-with' }, 'Logged with ', revision(original.policy?.revision), `, replayed with ${what}`,
      revision(replayed.policy?.revision), what ? ' over the facts it was decided with.' : '.'),
    unchanged ? el('p', { class: 'same', id: 'replay-outcome' }, 'Nothing would change.') : [
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

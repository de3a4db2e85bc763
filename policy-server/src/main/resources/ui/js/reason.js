// A reason as the decision page, the replay and the board show it: severity, stable code, message,
// the next step that would clear it when its rule names one (`remedy`), and the rule.
import { el } from './dom.js';
import { status } from './format.js';

export function reasonItem(reason) {
  return el('li', { class: `reason severity-${reason.severity}` },
    el('div', {}, status(reason.severity), ' ', el('code', { class: 'code' }, reason.code)),
    el('p', { class: 'message' }, reason.message),
    reason.remedy && el('p', { class: 'remedy' }, el('strong', {}, 'Remedy: '), reason.remedy),
    el('p', { class: 'muted' }, 'Rule: ', reason.rule,
      reason.facts?.length ? ` · facts: ${reason.facts.join(', ')}` : ''));
}

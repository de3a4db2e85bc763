// A reason as the decision page and the replay show it: severity, stable code, message, rule.
import { el } from './dom.js';
import { status } from './format.js';

export function reasonItem(reason) {
  return el('li', { class: `reason severity-${reason.severity}` },
    el('div', {}, status(reason.severity), ' ', el('code', { class: 'code' }, reason.code)),
    el('p', { class: 'message' }, reason.message),
    el('p', { class: 'muted' }, 'Rule: ', reason.rule,
      reason.facts?.length ? ` · facts: ${reason.facts.join(', ')}` : ''));
}

// Rules as their authors wrote them. The trace names rules; GET /v1/policies (the active set) and
// GET /v1/policies/{revision} (any revision the server keeps) hold their text, so a reviewer reads
// the DSL sentence that fired, not only the DRL it expanded to.
import { el } from './dom.js';

/** The rule's text, as written, in a <pre>; a note when `where` has no rule of that name. */
export function ruleSource(rule, name, where = 'The active policy set') {
  if (!rule) {
    return el('p', { class: 'muted' }, `${where} has no rule named "${name}".`);
  }
  return el('pre', { class: 'rule-source', 'aria-label': `text of rule ${rule.name}` }, rule.source ?? '');
}

/** The rules of a GET /v1/policies or GET /v1/policies/{revision} answer by name. */
export function rulesByName(policies) {
  return new Map((policies.rules ?? []).map((rule) => [rule.name, rule]));
}

/** `execute.dslr:14`, or `execute.dslr:14:3` with a column; an unknown (0) line or column is left out. */
export function location(file, line, column) {
  if (!line) return file;
  return column ? `${file}:${line}:${column}` : `${file}:${line}`;
}

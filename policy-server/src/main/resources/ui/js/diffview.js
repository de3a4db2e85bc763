// How two policy revisions differ (GET /v1/policies/{revision}/diff): the rules added, removed or
// changed, and each rule file's unified diff. Lines keep their "+" and "-": colour is only a second
// signal.
import { el } from './dom.js';
import { revision } from './format.js';
import { location } from './rules.js';

/** The whole difference, `before` and `after` naming the two sides for a reader. */
export function diffView(diff, before, after) {
  if (diff.identical) {
    return el('p', { class: 'same', id: 'diff-summary' }, `The ${before} and the ${after} are the same revision.`);
  }
  return el('div', { class: 'policy-diff' },
    el('p', { id: 'diff-summary' }, 'From the ', before, ' ', revision(diff.against), ' to the ', after, ' ',
      revision(diff.revision), `: ${count(diff.rules.length, 'rule')} and ${count(diff.files.length, 'file')} differ.`),
    diff.problem && el('p', { class: 'note' }, diff.problem),
    diff.rules.length > 0 && el('ul', { class: 'rule-changes', id: 'diff-rules' }, diff.rules.map(ruleChange)),
    diff.files.map(fileChange));
}

function ruleChange(rule) {
  const where = rule.change === 'removed'
    ? `was ${location(rule.againstFile, rule.againstLine)}`
    : location(rule.file, rule.line);
  return el('li', { class: `change-${rule.change}` },
    el('span', { class: `badge change-${rule.change}` }, rule.change), ' ', el('strong', {}, rule.name),
    ' ', el('code', {}, where), rule.code && [' · ', el('code', {}, rule.code)],
    rule.diff && el('details', {}, el('summary', {}, 'What changed in it'), unified(rule.diff)));
}

function fileChange(file) {
  return el('details', { class: 'file-diff', open: true, 'data-path': file.path },
    el('summary', {}, el('code', {}, file.path), ` ${file.change}, +${file.linesAdded} −${file.linesRemoved}`),
    unified(file.diff));
}

/** A unified diff in a <pre>, one element a line, classed by what the line is. */
export function unified(text) {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return el('pre', { class: 'diff' }, lines.map((line) => el('span', { class: lineClass(line) }, `${line}\n`)));
}

function lineClass(line) {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-same';
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

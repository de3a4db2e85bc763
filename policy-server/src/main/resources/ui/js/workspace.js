// The workspace the server decides from: its files with their front matter, what could not be
// read (an issue the reader could not read is not served, so every gate asking about it denies),
// and the audit: each status a planning file records that the gates contradict.
import { ApiError, getJson } from './api.js';
import { el, replace, facts, section } from './dom.js';
import { revision, time } from './format.js';

export async function render(view, route, signal) {
  let workspace;
  try {
    workspace = await getJson('/v1/workspace', {}, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'no-workspace') throw e;
    replace(view, el('h1', {}, 'Workspace'), el('p', {}, e.message));
    return;
  }
  // Without a policy set the audit cannot be asked; the rest of the page still shows.
  const audit = await getJson('/v1/workspace/audit', {}, signal)
    .catch((e) => { if (e instanceof ApiError && !e.needsToken) return e; throw e; });
  replace(view,
    el('h1', {}, 'Workspace'),
    // What needs fixing first; the files after.
    section('problems', `Problems (${workspace.problems.length})`,
      workspace.problems.length === 0
        ? el('p', {}, 'Every file reads.')
        : el('ul', { class: 'problems' }, workspace.problems.map(problem))),
    section('audit', 'Audit',
      audit instanceof ApiError ? el('p', { class: 'error', role: 'alert' }, audit.message) : findings(audit)),
    section('loaded', 'Files',
      facts([
        ['Directory', el('code', {}, workspace.directory)],
        ['Revision', revision(workspace.revision)],
        ['Facts', counts(workspace.counts)],
      ]),
      el('ul', { class: 'files' }, workspace.files.map(file))));
}

function counts(byKind) {
  return Object.entries(byKind).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
}

function file(f) {
  const front = Object.entries(f.frontMatter ?? {});
  return el('li', {},
    el('code', {}, f.path), ` ${f.kind.toLowerCase()}: ${counts(f.counts)}`, f.stale && ' (stale: keeps its last good facts)',
    front.length > 0 && facts(front.map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])));
}

function problem(p) {
  return el('li', {}, el('code', {}, p.line > 0 ? `${p.file}:${p.line}` : p.file), ` ${p.message}`);
}

function findings(audit) {
  return [
    el('p', {}, 'Asked at ', time(audit.at), ' with policy revision ', revision(audit.policy), '.'),
    audit.findings.length === 0
      ? el('p', {}, 'The gates confirm every recorded status.')
      : el('ul', { class: 'findings' }, audit.findings.map((f) => el('li', {},
        el('code', {}, f.source), ` ${f.issue} claims ${f.status}; ${f.gate} denies:`,
        el('ul', {}, f.reasons.map((r) => el('li', {}, el('code', {}, r.code), ` ${r.message}`)))))),
  ];
}

// The facts a decision involved, each with where it came from (the request or a workspace file)
// and, when the request carried it, the fact as sent.
import { el, section } from './dom.js';
import { json } from './format.js';

// How the server names facts (see the README's design notes); matched against decision.sources.
const REFS = {
  issues: (f) => `issue:${f.id}`,
  admissions: (f) => `admission:${f.repository}`,
  contracts: (f) => `contract:${f.issue}@${f.repository}`,
  approvals: (f) => `approval:${f.id}`,
  evidence: (f) => `evidence:${f.id}`,
  runs: (f) => `run:${f.id}`,
};

export function factsSection(request, decision) {
  const sent = requestFacts(request);
  const sources = decision.sources ?? {};
  const refs = involved(decision);
  return section('facts', 'Facts involved',
    refs.length === 0 ? el('p', { class: 'muted' }, 'No fact was named by a reason or the trace.')
      : el('ul', { class: 'fact-list' }, refs.map((ref) => el('li', {},
        el('div', {}, el('code', {}, ref), ' from ', el('span', { class: 'source' }, sourceOf(ref, sources))),
        sent.has(ref) && el('pre', { class: 'fact' }, json(sent.get(ref)))))),
    request && el('details', { class: 'request' },
      el('summary', {}, 'The whole request as logged'),
      el('pre', {}, json(request))));
}

/** Every ref a reason or a trace step names, and every ref with a known source, in order. */
function involved(decision) {
  const refs = new Set();
  for (const step of [...decision.reasons, ...decision.trace]) (step.facts ?? []).forEach((ref) => refs.add(ref));
  Object.keys(decision.sources ?? {}).forEach((ref) => refs.add(ref));
  return [...refs].sort();
}

// The server names the source of every fact but the request itself, which is its own source.
function sourceOf(ref, sources) {
  return sources[ref] ?? (ref.startsWith('request:') ? 'request' : 'unknown');
}

/** Every fact the request carried, by ref; the request itself is `request:GATE`. */
function requestFacts(request) {
  const byRef = new Map();
  if (!request) return byRef;
  const { facts: carried = {}, ...rest } = request;
  byRef.set(`request:${request.gate}`, rest);
  for (const [kind, refOf] of Object.entries(REFS)) {
    for (const fact of carried[kind] ?? []) byRef.set(refOf(fact), fact);
  }
  return byRef;
}

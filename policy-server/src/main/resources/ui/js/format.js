// How values from the API read on screen. Times stay in UTC, as logged, so that what a reviewer
// reads matches the API, the CLI and the filters.

/** `2026-06-02T10:00:00.123456Z` as a <time> reading `2026-06-02 10:00:00 UTC`. */
export function time(iso) {
  const node = document.createElement('time');
  if (!iso) return node;
  node.dateTime = iso;
  node.textContent = iso.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC');
  return node;
}

/** ALLOW or DENY as a badge; colour is never the only signal, the word is always there. */
export function outcome(value) {
  const node = document.createElement('span');
  node.className = `badge outcome-${String(value).toLowerCase()}`;
  node.textContent = value ?? 'unknown';
  return node;
}

/** A check status (passed, failed, warned) or reason severity (deny, warn) as a badge. */
export function status(value) {
  const node = document.createElement('span');
  node.className = `badge status-${String(value).toLowerCase()}`;
  node.textContent = value ?? 'none';
  return node;
}

/** A revision short enough for a table, with the whole one in a tooltip. */
export function revision(value) {
  const node = document.createElement('code');
  node.className = 'revision';
  node.textContent = value ?? 'none';
  if (value) node.title = value;
  return node;
}

/** Any JSON value, indented for a <pre>. */
export function json(value) {
  return JSON.stringify(value, null, 2);
}

/** `2026-06-02T10:00` (a datetime-local value, read as UTC) as `2026-06-02T10:00:00Z`; empty stays empty. */
export function fromUtcInput(value) {
  if (!value) return '';
  return `${value.length === 16 ? `${value}:00` : value}Z`;
}

/** `2026-06-02T10:00:00Z` as a datetime-local value, the inverse of fromUtcInput. */
export function toUtcInput(iso) {
  return iso ? iso.replace(/Z$/, '').replace(/\.\d+$/, '') : '';
}

/** Microseconds for people: 840 µs, 12.3 ms. */
export function duration(micros) {
  if (micros === null || micros === undefined) return '';
  return micros < 1000 ? `${micros} µs` : `${(micros / 1000).toFixed(1)} ms`;
}

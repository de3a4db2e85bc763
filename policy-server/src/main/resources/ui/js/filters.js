// Filters kept in the page's address (`#/board?gate=execute`), so that a filtered view can be linked.
import { fromUtcInput } from './format.js';

/** The fields `names` of a filter form as `?gate=…`, leaving out what is empty; the fields in `times` read as UTC. */
export function filterQuery(form, names, times) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of names) {
    const value = String(data.get(name) ?? '').trim();
    if (value) params.set(name, times.includes(name) ? fromUtcInput(value) : value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

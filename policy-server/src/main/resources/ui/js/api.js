// The only module that talks to the server. Every failure becomes an ApiError carrying the API's
// own error code and message, so pages can show the server's words.
import { token } from './token.js';

export class ApiError extends Error {
  constructor(status, code, message, path) {
    super(message);
    this.status = status;
    this.code = code;
    this.path = path;
  }

  /** Whether a token (or a token with the read role) would help: the console asks for one. */
  get needsToken() {
    return this.status === 401 || this.status === 403;
  }
}

/** GET `path` with the non-empty entries of `query` as parameters. */
export function getJson(path, query = {}, signal) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(name, value);
  }
  const search = params.toString();
  return call('GET', search ? `${path}?${search}` : path, signal);
}

/** POST to `path` with an empty JSON body. */
export function post(path, signal) {
  return call('POST', path, signal);
}

/** POST `body` to `path` as JSON. */
export function postJson(path, body, signal) {
  return call('POST', path, signal, JSON.stringify(body));
}

async function call(method, url, signal, body) {
  const headers = { Accept: 'application/json' };
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body, signal, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', 'the server could not be reached');
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const error = answer?.error ?? {};
    throw new ApiError(response.status, error.code ?? `http-${response.status}`,
      error.message ?? `the server answered ${response.status}`, error.path);
  }
  return answer;
}

/** Path segment for an id taken from the API or the address bar. */
export function segment(value) {
  return encodeURIComponent(value);
}

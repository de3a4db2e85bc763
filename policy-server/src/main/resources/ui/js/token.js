// The bearer token lives in this tab's sessionStorage only: it is gone when the tab closes, other
// tabs and sites never see it, and the browser never attaches it to a request on its own.

const KEY = 'gatehouse.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function rememberToken(value) {
  sessionStorage.setItem(KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

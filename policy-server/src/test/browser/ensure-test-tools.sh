#!/usr/bin/env bash
# Run by the Maven build before the tests: the console's browser tests need Debian's Chromium and
# its chromedriver, the log's tamper tests the sqlite3 tool. Installs what is missing when we may
# (root with apt-get); otherwise those tests fail with a message that names the packages.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} for the tests" >&2
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
else
  echo "warning: missing ${missing[*]}; install these Debian packages for the tests" >&2
fi
exit 0

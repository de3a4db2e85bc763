#!/usr/bin/env bash
# Run by the Maven build before the tests: the console's browser tests need Debian's Chromium and
# its chromedriver. Installs them when missing and we may (root with apt-get); otherwise the browser
# tests fail with a message that names the packages.
set -u
[ -x /usr/bin/chromedriver ] && [ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium and chromium-driver for the browser tests" >&2
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2
else
  echo "warning: /usr/bin/chromium or /usr/bin/chromedriver missing; install the Debian packages chromium and chromium-driver" >&2
fi
exit 0

#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME keyring, so tests
# use a real Secret Service (what @napi-rs/keyring and `secret-tool` talk to on Linux).
# Where dbus-run-session or gnome-keyring-daemon are missing, runs the command as it is
# and the keychain tests report themselves skipped with that reason.
set -euo pipefail
if [[ "$(uname -s)" != Linux ]] || ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  exec "$@"
fi
if [[ "${KURA_IN_KEYRING_SESSION:-}" == 1 ]]; then
  exec "$@"
fi
export KURA_IN_KEYRING_SESSION=1
exec dbus-run-session -- bash -c '
  export XDG_DATA_HOME="$(mktemp -d)"   # a fresh keyring for this run, never the user'"'"'s
  trap "rm -rf \"\$XDG_DATA_HOME\"" EXIT   # and gone with it (each run left one in /tmp)
  echo -n kura-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  "$@"
' bash "$@"

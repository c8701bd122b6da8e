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
# A fresh keyring for this run, never the user's; gone with the run. The keyring daemon outlives
# the command (it leaves when the session bus does, and may write its files as it goes), so the
# processes of this session — found by this folder in their environment — are stopped first.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
# The daemon's control socket too (without XDG_RUNTIME_DIR it makes ~/.cache/keyring-XXXXXX).
export XDG_RUNTIME_DIR="$XDG_DATA_HOME/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
cleanup() {
  local e pid pids=()
  for e in /proc/[0-9]*/environ; do
    pid="${e#/proc/}"
    pid="${pid%/environ}"
    [[ "$pid" != "$$" ]] || continue
    if tr '\0' '\n' < "$e" 2>/dev/null | grep -qxF "XDG_DATA_HOME=$XDG_DATA_HOME"; then
      pids+=("$pid")
    fi
  done
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$XDG_DATA_HOME"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
set +e
dbus-run-session -- bash -c '
  echo -n kura-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  exec "$@"
' bash "$@"
exit $?

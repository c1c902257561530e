# shellcheck shell=bash
# Timing a program in a private tmux server, for the benchmark scripts (sourced by
# bench-reader.sh and bench-notes-view.sh, which set `work` (a temporary folder, removed at
# the end), `cols` and `rows` (the pane), `quit_timeout_us`, and `say` first).
#
#   now                   NOW := the time in µs (bash's EPOCHREALTIME, without a process)
#   nap SECONDS           a sleep without a process
#   tm ARG...             tmux on the private server
#   start COMMAND ARG...  T0 := now, then a session "run" running the command (no shell)
#   pane FORMAT           tmux's FORMAT for that session's pane (#{pane_pid}, #{pane_dead}…)
#   stop                  q, wait for the exit (bounded), remove the session
#   kill_run / kill_hard  end the process (SIGTERM / SIGKILL), remove the session
#
# Sourcing it starts the server (one idle session keeps it up, so no case pays for starting
# it) and sets a trap that removes the server and `work` at the end.

sock="bench-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
sock_path=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  if [ -n "$sock_path" ]; then rm -f "$sock_path"; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Timing without a process per reading: bash's EPOCHREALTIME (µs), else date +%s%N.
now() {
  if [ -n "${EPOCHREALTIME:-}" ]; then NOW=${EPOCHREALTIME//[!0-9]/}; else
    NOW=$(($(date +%s%N) / 1000)); fi
}
# A sleep without a process: read with a timeout from a FIFO nobody writes to.
mkfifo "$work/nap"
exec {nap_fd}<>"$work/nap"
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }

# One idle session keeps the server up, so no case pays for starting it. Dead panes stay
# (remain-on-exit) so an exit is seen and its last screen can be shown.
tm new-session -d -s idle -x "$cols" -y "$rows" sleep 1000000
tm set-option -g remain-on-exit on >/dev/null
sock_path=$(tm display-message -p '#{socket_path}')

T0=0
start() { # start COMMAND ARG...: a session "run" running the command directly (no shell)
  tm kill-session -t run 2>/dev/null || true
  now; T0=$NOW
  tm new-session -d -s run -x "$cols" -y "$rows" "$@"
}
pane() { tm display-message -p -t run "$1"; }
stop() { # stop: quit with q, wait for the exit (bounded), then remove the session
  local t0 pid
  pid=$(pane '#{pane_pid}')
  tm send-keys -t run q
  now; t0=$NOW
  while [ "$(pane '#{pane_dead}')" != 1 ]; do
    now
    if ((NOW - t0 > quit_timeout_us)); then
      say "  did not exit within $((quit_timeout_us / 1000000)) s of q; killing $pid"
      kill "$pid" 2>/dev/null || true
      nap 1
      break
    fi
    nap 0.01
  done
  # tmux sees the pane die (its terminal closes) a moment before it has the exit status.
  local status="" tries=0
  while [ "$(pane '#{pane_dead}')" = 1 ] && ((tries++ < 100)); do
    status=$(pane '#{pane_dead_status}#{?pane_dead_signal,signal #{pane_dead_signal},}')
    [ -n "$status" ] && break
    nap 0.01
  done
  if [ -n "$status" ] && [ "$status" != 0 ]; then say "  exited with status $status"; fi
  tm kill-session -t run 2>/dev/null || true
}
exited() { # exited PID: whether the process is gone or a zombie (its memory is freed by then)
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
  [[ $stat == *") Z "* ]]
}
kill_hard() { # after a first screen only: SIGKILL (a quit would finish an import first); waits
  # until the process has exited, so that freeing its memory does not slow the next case
  local pid tries=0
  pid=$(pane '#{pane_pid}' 2>/dev/null) || pid=""
  if [ -n "$pid" ]; then
    kill -KILL "$pid" 2>/dev/null || true
    until exited "$pid" || ((tries++ >= 500)); do nap 0.01; done
  fi
  tm kill-session -t run 2>/dev/null || true
}
kill_run() { # for a timeout: end the process we started, then the session
  local pid
  pid=$(pane '#{pane_pid}' 2>/dev/null) || pid=""
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  nap 0.2
  tm kill-session -t run 2>/dev/null || true
}

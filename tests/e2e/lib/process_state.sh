# process_running PID: PID exists and is neither a zombie nor dead. The state
# is read once: a process reaped between two reads must not count as running.
process_running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != [ZX] ]]
}

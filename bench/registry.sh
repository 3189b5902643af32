# Sourced by the bench scripts: starts Distribution processes for a bench run, writes its manifest, resets its
# destinations and cleans up. Needs $work (the run's folder, whose
# cleanup kills every "$work"/*/pid) set by the script before start_registry is called.

registry_binary="$(command -v docker-registry || command -v registry)"

# start_registry NAME PORT [CONFIG_LINE]: serves $work/NAME/storage on 127.0.0.1:PORT (0: any free port) with the access
# log on (requests are counted from $work/NAME/log), CONFIG_LINE appended to its config (e.g. an auth section); writes
# $work/NAME/pid and prints the port it listens on. Exits the script, showing the log, when it does not start in 15 s.
start_registry() {
  local name="$1" port="$2" extra="${3:-}" folder="$work/$1"
  mkdir -p "$folder/storage"
  {
    echo "version: 0.1"
    echo "log: {level: info, accesslog: {disabled: false}}"
    echo "storage: {filesystem: {rootdirectory: '$folder/storage'}, delete: {enabled: true}, maintenance: {uploadpurging: {enabled: false}}}"
    echo "http: {addr: '127.0.0.1:$port', secret: bench}"
    if [[ -n "$extra" ]]; then echo "$extra"; fi
  } > "$folder/config.yml"
  : > "$folder/log"   # before the registry opens it: the wait below reads it at once
  "$registry_binary" serve "$folder/config.yml" >>"$folder/log" 2>&1 &
  echo "$!" > "$folder/pid"
  for _ in $(seq 300); do
    if grep -q 'listening on' "$folder/log"; then
      grep -o 'listening on [0-9.:]*' "$folder/log" | tail -1 | sed 's/.*://'
      return
    fi
    sleep 0.05
  done
  echo "registry $name did not start:" >&2; cat "$folder/log" >&2; exit 1
}

# stop_and_remove_work: the EXIT trap of a bench run: stops every process whose pid file is $work/*/pid (and any extra
# pid files given), then removes $work unless KEEP is set.
stop_and_remove_work() {
  for file in "$work"/*/pid "$@"; do [[ -f "$file" ]] && kill "$(cat "$file")" 2>/dev/null || true; done
  sleep 0.2
  if [[ -n "${KEEP:-}" ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

# reset_destinations [drop-logs]: destinations dst1..dst$dests restarted on their ports (${ports[d]}) with empty
# storage; the old access log is kept beside as log.<time>, or removed with drop-logs (logs grow large at scale).
reset_destinations() {
  for d in $(seq "$dests"); do kill "$(cat "$work/dst$d/pid")" 2>/dev/null || true; done
  sleep 0.3
  # The old storage goes to $work/trash, removed with the work folder: deleting millions of files of N=10000 registries
  # takes minutes, which would be spent between two measurements for nothing.
  mkdir -p "$work/trash"
  for d in $(seq "$dests"); do
    [[ -d "$work/dst$d/storage" ]] && mv "$work/dst$d/storage" "$(mktemp -d -p "$work/trash")/"
    if [[ "${1:-}" == drop-logs ]]; then rm -f "$work/dst$d/log"; else mv "$work/dst$d/log" "$work/dst$d/log.$(date +%s%N)"; fi
    start_registry "dst$d" "${ports[$d]}" >/dev/null
  done
}

# write_manifest SRC_PORT: starts dst1..dst$dests (filling ${ports[d]}, an associative array the caller declares) and
# writes $work/manifest.yaml promoting $work/images.yaml from 127.0.0.1:SRC_PORT/stg into each 127.0.0.1:PORT/prod.
write_manifest() {
  {
    echo "registries:"
    echo "- name: 127.0.0.1:$1/stg"
    echo "  src: true"
    for d in $(seq "$dests"); do
      ports[$d]=$(start_registry "dst$d" 0)
      echo "- name: 127.0.0.1:${ports[$d]}/prod"
    done
    cat "$work/images.yaml"
  } > "$work/manifest.yaml"
}

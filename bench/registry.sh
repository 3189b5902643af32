# Sourced by the bench scripts: starts Distribution processes for a bench run. Needs $work (the run's folder, whose
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

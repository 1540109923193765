#!/usr/bin/env bash
# A nightly incremental tidings run with its report; for cron, systemd or
# Airflow. Paths come from the environment (defaults in brackets):
#   TIDINGS_HOME   the checkout with .venv           [/srv/tidings]
#   TIDINGS_INPUT  the articles folder               [/data/news]
#   TIDINGS_OUTPUT the output folder                 [/data/tidings]
#   TIDINGS_METADATA  a metadata CSV/TSV             [none]
#   TIDINGS_ALERT  a shell command run on failure, with the message as $1
#                  [none], e.g. 'mail -s "$1" ops@example.org </dev/null'
# Exit status: tidings' own; 3 (yesterday's run still holds the lock) is
# reported as 0, since the next night's run picks up what this one missed.
set -uo pipefail
home=${TIDINGS_HOME:-/srv/tidings}
args=(run --input "${TIDINGS_INPUT:-/data/news}" --output "${TIDINGS_OUTPUT:-/data/tidings}" --report)
if [ -n "${TIDINGS_METADATA:-}" ]; then
  args+=(--metadata "$TIDINGS_METADATA")
fi
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) tidings ${args[*]}"
"$home/.venv/bin/tidings" "${args[@]}"
code=$?
case $code in
  0) ;;
  3) echo "tidings: the previous run still holds the lock; skipped"; code=0 ;;
  *) if [ -n "${TIDINGS_ALERT:-}" ]; then
       bash -c "$TIDINGS_ALERT" tidings-alert \
         "tidings nightly run failed with exit $code on $(hostname)" || true
     fi ;;
esac
exit $code

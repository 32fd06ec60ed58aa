#!/usr/bin/env bash
# lab/run.sh [name…] — run lab scenarios (all of lab/scenarios/*.sh when no name is
# given) one after the other; each writes fixtures/scenarios/<name>/.
set -uo pipefail
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[[ $(id -u) -eq 0 ]] || { echo "lab/run.sh: run as root (php-fpm -R, nginx user switch, socket owners)" >&2; exit 2; }
for bin in nginx php-fpm8.2 curl node timeout flock; do
  command -v "$bin" >/dev/null || { echo "lab/run.sh: missing $bin (see lab/README.md)" >&2; exit 2; }
done

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for f in "$LAB_DIR"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

ok=(); failed=()
for n in "${names[@]}"; do
  n="${n%.sh}"
  script="$LAB_DIR/scenarios/$n.sh"
  [[ -f "$script" ]] || { echo "lab/run.sh: no scenario $n" >&2; failed+=("$n"); continue; }
  echo "=== $n" >&2
  start=$(date +%s)
  if timeout -k 10 300 bash "$script"; then ok+=("$n"); else failed+=("$n"); fi
  echo "=== $n finished in $(( $(date +%s) - start )) s" >&2
done
echo "passed: ${#ok[@]} (${ok[*]:-})" >&2
echo "failed: ${#failed[@]} (${failed[*]:-})" >&2
[[ ${#failed[@]} -eq 0 ]]

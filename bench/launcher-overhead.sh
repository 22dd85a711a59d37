#!/usr/bin/env bash
# Start-up overhead of codex-linux-sandbox on /bin/true, measured side by side with hyperfine -N:
# direct exec, the launcher alone (read-only, network off), plain bwrap, hardened bwrap, and
# hardened bwrap wrapping the launcher. Prints min/median per variant and the ratios to direct.
#
# usage: bench/launcher-overhead.sh [LAUNCHER] [RUNS]
#   LAUNCHER defaults to $CODEXSANDBOX_LAUNCHER, else it is published into a temp folder.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${2:-300}
work=$(mktemp -d /tmp/launcher-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v bwrap >/dev/null || need+=(bubblewrap)
if ((${#need[@]})); then apt-get install -y "${need[@]}" >/dev/null; fi

launcher=${1:-${CODEXSANDBOX_LAUNCHER:-}}
if [[ -z "$launcher" ]]; then
  dotnet publish "$repo/src/CodexSandbox.Launcher/CodexSandbox.Launcher.csproj" -c Release -r linux-x64 \
    -o "$work/bin" >/dev/null
  launcher="$work/bin/codex-linux-sandbox"
fi

ws="$work/ws"
mkdir -p "$ws"
bwrap_plain="bwrap --ro-bind / / --dev /dev --bind $ws $ws --unshare-net"
bwrap_hard="bwrap --ro-bind / / --dev /dev --proc /proc --bind $ws $ws --unshare-user --unshare-pid --unshare-net --new-session --die-with-parent --cap-drop ALL"
sandbox="$launcher --mode read-only --network off --"

hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/result.json" \
  -n direct "/bin/true" \
  -n launcher "$sandbox /bin/true" \
  -n bwrap "$bwrap_plain /bin/true" \
  -n bwrap-hardened "$bwrap_hard /bin/true" \
  -n bwrap-hardened+launcher "$bwrap_hard $sandbox /bin/true" >/dev/null

python3 - "$work/result.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["direct"]
def ms(x): return x * 1000
print(f"{'variant':26} {'min ms':>8} {'median ms':>10} {'x direct (median)':>18} {'+ms vs direct':>14}")
for name, r in results.items():
    print(f"{name:26} {ms(r['min']):8.2f} {ms(r['median']):10.2f} {r['median']/base['median']:18.2f} {ms(r['median']-base['median']):14.2f}")
hard, both = results["bwrap-hardened"], results["bwrap-hardened+launcher"]
print(f"launcher inside hardened bwrap adds {ms(both['median']-hard['median']):.2f} ms (median)")
PY

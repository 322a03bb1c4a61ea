#!/usr/bin/env bash
# Cascade hop latency between two deployments on loopback (province and city nodes, each its own
# process and store, real softphones and scripted venue terminals), by running the relay interop test
# several times: the province switches its broadcast ten times per run, and the first packet of each new
# source is timestamped on arrival at a provincial venue and at a city venue, one hop further.
# Prints the test's figures: switch-to-first-packet at no hop and one hop, the added latency of the
# hop, and the city's recovery after a kill -9 and restart. Usage: bench/cascade-latency.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
dotnet build tests/Interop.Tests -v quiet -nologo >/dev/null
for i in $(seq 1 "$runs"); do
  trx=$(mktemp --suffix=.trx)
  dotnet test tests/Interop.Tests --no-build --filter "FullyQualifiedName~CascadeRelayTests" \
    --logger "trx;LogFileName=$trx" >/dev/null || { echo "run $i failed; see $trx"; continue; }
  python3 - "$trx" <<'PY'
import re, sys
out = re.findall(r'<StdOut>(.*?)</StdOut>', open(sys.argv[1]).read(), re.S)
print("\n".join(l for l in "".join(out).splitlines() if "ms" in l and "xUnit" not in l))
PY
  rm -f "$trx"
done

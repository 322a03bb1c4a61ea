#!/usr/bin/env bash
# Cascade hop latency on loopback by running the cascade interop tests several times: the relay test
# (province and city nodes, each its own process and store, real softphones and scripted venue terminals)
# and the chain test (province → city → district). The province switches its broadcast ten times per run,
# and the first packet of each new source is timestamped on arrival at a venue of each level.
# Prints the tests' figures: switch-to-first-packet at no hop, one hop and two hops, the added latency of
# each hop, the cascaded roll call, and the city's recovery after a kill -9 and restart.
# Usage: bench/cascade-latency.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
dotnet build tests/Interop.Tests -v quiet -nologo >/dev/null
for i in $(seq 1 "$runs"); do
  trx=$(mktemp --suffix=.trx)
  dotnet test tests/Interop.Tests --no-build --filter "FullyQualifiedName~CascadeRelayTests|FullyQualifiedName~CascadeChainTests" \
    --logger "trx;LogFileName=$trx" >/dev/null || { echo "run $i failed; see $trx"; continue; }
  python3 - "$trx" <<'PY'
import re, sys
out = re.findall(r'<StdOut>(.*?)</StdOut>', open(sys.argv[1]).read(), re.S)
lines = "\n".join(out).replace("[xUnit", "\n[xUnit").splitlines()
print("\n".join(l for l in lines if (" ms" in l or "after the kill" in l) and not l.startswith("[xUnit")))
PY
  rm -f "$trx"
done

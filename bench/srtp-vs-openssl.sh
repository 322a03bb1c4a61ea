#!/usr/bin/env bash
# SRTP protect and unprotect (BenchmarkDotNet, bench/MediaBridge.Benchmarks) beside `openssl speed` for the same
# ciphers, run in one session on one machine, and the ratio of each pair. The machine is shared, so openssl speed
# runs before and after the .NET benchmarks and the two are averaged; both sides divide by wall-clock time.
#   bench/srtp-vs-openssl.sh            # BenchmarkDotNet's short job, 3 s per openssl figure
#   BDN_JOB=default OPENSSL_SECONDS=5 bench/srtp-vs-openssl.sh
#   BDN_FILTER='*SrtpBenchmarks*' bench/srtp-vs-openssl.sh   # a subset (BenchmarkDotNet --filter globs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
job=${BDN_JOB:-short}
read -r -a filter <<< "${BDN_FILTER:-*SrtpBenchmarks* *SrtpPrimitiveBenchmarks*}"
seconds=${OPENSSL_SECONDS:-3}
out=$(mktemp -d /tmp/srtp-vs-openssl.XXXXXX)

# ns per operation of one `openssl speed -mr` figure over $bytes-byte buffers.
speed() {
  local name=$1 bytes=$2
  shift 2
  openssl speed -elapsed -mr -seconds "$seconds" -bytes "$bytes" "$@" 2>/dev/null \
    | awk -F: -v n="$name" -v b="$bytes" '/^\+F:/ { printf "%s\t%d\t%.1f\n", n, b, b / $4 * 1e9 }'
}

openssl_round() {
  for bytes in 160 1200; do
    speed gcm "$bytes" -evp aes-128-gcm -aead
    speed ctr "$bytes" -evp aes-128-ctr
    speed hmac "$bytes" -hmac sha1
    # AES-CM SRTP authenticates the header and ROC too: 12 + payload + 4 bytes.
    speed hmac "$((bytes + 16))" -hmac sha1
  done
}

echo "$(openssl version); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
openssl_round > "$out/openssl-1.tsv"
(cd "$here/MediaBridge.Benchmarks" && dotnet run -c Release -- --filter "${filter[@]}" \
  --job "$job" --inProcess --exporters json --artifacts "$out/bdn" > "$out/bdn.log" 2>&1) || { tail -40 "$out/bdn.log"; exit 1; }
openssl_round > "$out/openssl-2.tsv"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" <<'PY'
import glob, json, sys
from collections import defaultdict

out = sys.argv[1]
ossl = defaultdict(list)
for f in ("openssl-1.tsv", "openssl-2.tsv"):
    for line in open(f"{out}/{f}"):
        name, size, ns = line.split("\t")
        ossl[(name, int(size))].append(float(ns))
ossl = {k: sum(v) / len(v) for k, v in ossl.items()}

ours = {}
for f in glob.glob(f"{out}/bdn/results/*-report-full*.json"):
    for b in json.load(open(f))["Benchmarks"]:
        params = dict(p.split("=") for p in b["Parameters"].split("&")) if b["Parameters"] else {}
        size = int(params.get("PayloadLength") or params.get("Bytes"))
        key = (b["Method"], params.get("Profile", ""), params.get("Provider", ""), size)
        ours[key] = (b["Statistics"]["Median"], b["Memory"]["BytesAllocatedPerOperation"])

def row(what, ns, alloc, reference, ref_ns):
    print(f"| {what} | {ns:8.0f} | {alloc} B | {reference} | {ref_ns:6.0f} | {ns / ref_ns:5.2f} |")

print("\n| .NET (median ns) | ns | allocated | openssl speed -elapsed (ns per op) | ns | ratio |")
print("|---|---|---|---|---|---|")
for size in (160, 1200):
    gcm, ctr, mac = ossl[("gcm", size)], ossl[("ctr", size)], ossl[("hmac", size)]
    cm = ctr + ossl[("hmac", size + 16)]
    for method, ref, ref_ns in (("GcmLibCrypto", "aes-128-gcm -aead", gcm), ("GcmManaged", "aes-128-gcm -aead", gcm),
                                ("CtrLibCrypto", "aes-128-ctr", ctr), ("CtrManaged", "aes-128-ctr", ctr),
                                ("HmacSha1LibCrypto", "hmac sha1", mac), ("HmacSha1Managed", "hmac sha1", mac)):
        if (k := (method, "", "", size)) in ours:
            row(f"{method} {size} B", ours[k][0], ours[k][1], ref, ref_ns)
    for profile, ref, ref_ns in (("AeadAes128Gcm", "aes-128-gcm -aead", gcm), ("AesCm128HmacSha1_80", "aes-128-ctr + hmac sha1", cm)):
        for provider in ("LibCrypto", "Managed"):
            p = ours.get(("Protect", profile, provider, size))
            both = ours.get(("ProtectThenUnprotect", profile, provider, size))
            rtcp = ours.get(("ProtectRtcp", profile, provider, size))
            if p:
                row(f"SRTP protect {profile} {provider} {size} B", p[0], p[1], ref, ref_ns)
            if p and both:
                row(f"SRTP unprotect (pair - protect) {profile} {provider} {size} B", both[0] - p[0], both[1], ref, ref_ns)
            if rtcp:
                row(f"SRTCP protect {profile} {provider} {12 + size} B", rtcp[0], rtcp[1], ref, ref_ns)
print(f"\nraw results: {out}")
PY

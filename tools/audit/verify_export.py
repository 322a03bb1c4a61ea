#!/usr/bin/env python3
"""Check a Command audit export (GET /api/audit/export) offline.

Checks the export's signature, recomputes every entry's SHA-256 hash and link from the hash before the range, and
checks that the chain reaches the signed anchor (a checkpoint or the head). Needs only the node's audit PUBLIC key:

    python3 tools/audit/verify_export.py audit.json --public-key KEY

KEY is the base64 SubjectPublicKeyInfo from GET /api/audit/checkpoints (publicKey), or a PEM file holding it.
Exit status 0 when the export holds, 1 when it does not, 2 for bad usage.
"""
import argparse
import base64
import datetime
import hashlib
import json
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

GENESIS = "0" * 64
EPOCH = datetime.datetime(1, 1, 1)
TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?(Z|[+-]\d\d:\d\d)$")


def ticks(text):
    """.NET UtcTicks of an ISO 8601 time, to the 100 ns the hashes use."""
    m = TIME.match(text)
    if not m:
        raise ValueError(f"not a time: {text}")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    delta = datetime.datetime(y, mo, d, h, mi, s) - EPOCH
    value = (delta.days * 86400 + delta.seconds) * 10**7 + int((m.group(7) or "").ljust(7, "0"))
    zone = m.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        value -= sign * (int(zone[1:3]) * 60 + int(zone[4:6])) * 60 * 10**7
    return value


def entry_hash(e):
    fields = [str(e["index"]), e["previousHash"], str(ticks(e["at"])), e["actor"], e["role"], e["action"],
              e["target"], str(e["outcome"]), e["detail"]]
    if e.get("entryId"):
        fields += [e["entryId"], e.get("kind") or "", e.get("completes") or "", e.get("parameters") or "", e.get("source") or ""]
    return hashlib.sha256("\n".join(fields).encode("utf-8")).hexdigest()


def verifies(key, data, signature):
    raw = base64.b64decode(signature)
    half = len(raw) // 2
    der = utils.encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def load_key(text):
    try:
        with open(text, "rb") as f:
            return serialization.load_pem_public_key(f.read())
    except OSError:
        return serialization.load_der_public_key(base64.b64decode(text))


def check(export, key):
    if not verifies(key, export["payload"].encode("utf-8"), export["signature"]):
        return "the export's signature does not verify with this key"
    doc = json.loads(export["payload"])
    index, previous = doc["firstIndex"], doc["previousHash"]
    for e in doc["entries"] + doc["continuation"]:
        if e["index"] != index:
            return f"entry {index}: it claims index {e['index']}"
        if e["previousHash"] != previous:
            return f"entry {index}: it does not link to the entry before it"
        if entry_hash(e) != e["hash"]:
            return f"entry {index}: its content does not match its hash"
        index, previous = index + 1, e["hash"]
    anchor = doc["anchor"]
    if anchor is None:
        return None if index == 0 else "the export has no signed anchor"
    head = "\n".join(["command-audit-head", str(anchor["count"]), anchor["hash"], str(ticks(anchor["at"]))]).encode("utf-8")
    if not verifies(key, head, anchor["signature"]):
        return "the anchor's signature does not verify with this key"
    if anchor["count"] != index or anchor["hash"] != previous:
        return f"the chain ends at {index} entries, the signed anchor at {anchor['count']}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", help="the file GET /api/audit/export returned")
    parser.add_argument("--public-key", help="the audit public key you were given (base64 SPKI or PEM file); "
                        "without it the key inside the export is used, which proves integrity only")
    args = parser.parse_args()
    with open(args.export, encoding="utf-8") as f:
        export = json.load(f)
    if not args.public_key:
        print("warning: no --public-key given; checking against the key inside the export", file=sys.stderr)
    key = load_key(args.public_key or export["publicKey"])
    problem = check(export, key)
    if problem:
        print(f"NOT INTACT: {problem}")
        return 1
    doc = json.loads(export["payload"])
    print(f"INTACT: {len(doc['entries'])} entries from index {doc['firstIndex']} ({doc['from']} to {doc['to']}), "
          f"chained to a signed anchor at {doc['anchor']['count'] if doc['anchor'] else 0} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())

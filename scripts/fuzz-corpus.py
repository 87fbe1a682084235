#!/usr/bin/env python3
"""Builds the fuzzers' starting corpora in OUT/<Harness>/ (scripts/fuzz.sh).

From the committed seeds (Tests/Fuzz/Seeds) and regressions, the repository's own fixtures and
scenarios, and ../shared/corpus when it is there: captures and flow logs as they are, frames cut out of classic
pcap files (a link-type byte first, as FuzzHarness.frameDecoder reads them), each snapshot folder
as one input with its files joined by NUL bytes (as FuzzHarness.snapshot splits them).
"""
import os
import shutil
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
# FuzzHarness.linkTypes: the index of each DLT value.
LINK_INDEX = {1: 0, 12: 1, 14: 2, 228: 3, 229: 4, 113: 5, 276: 6, 0: 7, 108: 8}
# The pcap LINKTYPE values libpcap maps to those DLT values.
FILE_TO_DLT = {101: 12}


def files(folder, suffixes):
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith(suffixes):
                yield os.path.join(base, name)


def frames(path, limit=40):
    """(DLT, frame bytes) of the first records of a classic pcap file, either byte order."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        return
    linktype = struct.unpack(order + "I", data[20:24])[0]
    dlt = FILE_TO_DLT.get(linktype, linktype)
    at = 24
    for _ in range(limit):
        if at + 16 > len(data):
            return
        caplen = struct.unpack(order + "I", data[at + 8:at + 12])[0]
        if at + 16 + caplen > len(data):
            return
        yield dlt, data[at + 16:at + 16 + caplen]
        at += 16 + caplen


def main(out):
    harnesses = ["FrameDecoder", "Capture", "Snapshot", "Scenario", "FlowFile", "FlowLog", "Summary"]
    for harness in harnesses:
        os.makedirs(os.path.join(out, harness), exist_ok=True)
        for kind in ("Seeds", "Regressions"):
            folder = os.path.join(ROOT, "Tests", "Fuzz", kind, harness)
            for path in files(folder, ("",)):
                if os.path.basename(path).startswith("."):
                    continue
                shutil.copy(path, os.path.join(out, harness, kind.lower() + "-" + os.path.basename(path)))
    logs = list(files(os.path.join(ROOT, "Tests", "FlowLogsTests", "Fixtures"), (".log", ".gz")))
    if os.path.isdir(SHARED):
        logs += list(files(os.path.join(SHARED, "flowlogs"), (".log", ".gz")))
    for n, path in enumerate(logs):
        shutil.copy(path, os.path.join(out, "FlowLog", "%03d-%s" % (n, os.path.basename(path))))
    captures = list(files(os.path.join(ROOT, "Tests", "CaptureReplayTests", "Fixtures"), (".pcap", ".pcapng")))
    if os.path.isdir(SHARED):
        captures += list(files(os.path.join(SHARED, "pcaps"), (".pcap", ".pcapng")))
    for n, path in enumerate(captures):
        shutil.copy(path, os.path.join(out, "Capture", "%03d-%s" % (n, os.path.basename(path))))
        for m, (dlt, frame) in enumerate(frames(path)):
            if dlt in LINK_INDEX:
                with open(os.path.join(out, "FrameDecoder", "%03d-%03d" % (n, m)), "wb") as f:
                    f.write(bytes([LINK_INDEX[dlt]]) + frame)
    snapshots = [os.path.join(ROOT, "Tests", "EC2SnapshotTests", "Fixtures", name) for name in ("seed-before", "seed-after")]
    for group in ("snapshots", "snapshots-moto-raw"):
        folder = os.path.join(SHARED, group)
        if os.path.isdir(folder):
            snapshots += [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if os.path.isdir(os.path.join(folder, name))]
    for n, folder in enumerate(snapshots):
        parts = []
        for path in files(folder, (".json",)):
            if not os.path.basename(path).startswith("_"):
                with open(path, "rb") as f:
                    parts.append(f.read())
        with open(os.path.join(out, "Snapshot", "%03d-%s" % (n, os.path.basename(folder))), "wb") as f:
            f.write(b"\0".join(parts))
    for path in files(os.path.join(ROOT, "Scenarios"), (".yaml",)):
        harness = "FlowFile" if os.path.basename(path) == "flows.yaml" else "Scenario"
        name = os.path.relpath(path, ROOT).replace("/", "-")
        shutil.copy(path, os.path.join(out, harness, name))
    for path in files(os.path.join(ROOT, "Tests", "ScenarioFormatTests", "Fixtures"), (".yaml",)):
        shutil.copy(path, os.path.join(out, "Scenario", "fixture-" + os.path.basename(path)))
    for harness in harnesses:
        print("%-13s %5d inputs" % (harness, len(os.listdir(os.path.join(out, harness)))))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: fuzz-corpus.py OUT")
    main(sys.argv[1])

#!/usr/bin/env python3
"""A plain Python reading of flow log files, the peer packet-path's flow-log replay is compared with.

usage: flowlog_parse_peer.py FOLDER

What a short script written by hand does: every *.log.gz under FOLDER, the header line giving the
fields, each record split on spaces, its numbers converted, and the records counted per action and
per (dstaddr, dstport): parsing and counting, no model. Prints JSON: records and seconds.
"""
import gzip
import json
import os
import sys
import time


def main():
    folder = sys.argv[1]
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names if f.endswith(".log.gz"))
    began = time.perf_counter()
    records = 0
    actions = {}
    destinations = {}
    for path in files:
        with gzip.open(path, "rt") as handle:
            fields = handle.readline().split()
            where = {name: index for index, name in enumerate(fields)}
            for line in handle:
                values = line.split()
                if values[where["log-status"]] != "OK":
                    continue
                records += 1
                action = values[where["action"]]
                actions[action] = actions.get(action, 0) + int(values[where["bytes"]])
                key = (values[where["dstaddr"]], int(values[where["dstport"]]), int(values[where["protocol"]]))
                destinations[key] = destinations.get(key, 0) + int(values[where["packets"]])
    print(json.dumps({"records": records, "seconds": time.perf_counter() - began}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""pytricia on the `bench lpm` files: the scripter's choice, for scale. Prints the same JSON keys."""
import json
import socket
import statistics
import sys
import time

import pytricia

routes, lookups, family = sys.argv[1], sys.argv[2], int(sys.argv[3])
width = 4 if family == 4 else 16
limit = 1_000_000
t0 = time.perf_counter()
trie = pytricia.PyTricia(32 if family == 4 else 128, socket.AF_INET if family == 4 else socket.AF_INET6)
with open(routes) as f:
    for line in f:
        line = line.split("#", 1)[0].split()
        if len(line) == 2:
            trie[line[0]] = int(line[1])
build = time.perf_counter() - t0
data = open(lookups, "rb").read()[: limit * width]
keys = [data[i : i + width] for i in range(0, len(data), width)]
checksum = 0
rates = []
for r in range(-1, 5):
    s = time.perf_counter()
    total = 0
    get = trie.get
    for k in keys:
        total += get(k, 0)
    elapsed = time.perf_counter() - s
    if r < 0:
        checksum = total
    else:
        rates.append(len(keys) / elapsed)
print(json.dumps({"buildSeconds": build, "structureBytes": None, "lookupsPerSecond": int(statistics.median(rates)),
                  "checksum": checksum, "lookups": len(keys)}))

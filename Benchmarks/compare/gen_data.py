#!/usr/bin/env python3
"""Deterministic benchmark data for Benchmarks/compare (nothing large is committed).

Writes into OUT_DIR:
  internet-v4.routes   900,000 IPv4 prefixes, prefix lengths as in docs/performance.md (a /24 majority, mean ~22.9;
                       0.6% longer than /24, which gives about the 5,155 tbl8 groups the shared anchors report)
  internet-v6.routes   200,000 IPv6 prefixes inside 2000::/3, /48 and /32 dominant (mean ~43)
  aws-v4.routes        1,000 routes shaped like an AWS route table: local, 0/0 -> igw, prefix-list entries,
                       peering and transit-gateway routes
  *.uniform.keys, *.zipf.keys   raw big-endian lookup addresses (IPv4 uniform over 2^32; IPv6 uniform over the
                       prefixes with random host bits; Zipf s=1.0 over prefixes)
Route lines are 'PREFIX NEXTHOP' (NEXTHOP 1..65535): the `packet-path bench lpm` contract.
"""
import ipaddress
import os
import sys

import numpy as np

V4_LENGTHS = {8: 0.0002, 9: 0.0002, 10: 0.0004, 11: 0.0008, 12: 0.0015, 13: 0.003, 14: 0.005, 15: 0.008,
              16: 0.014, 17: 0.01, 18: 0.017, 19: 0.03, 20: 0.045, 21: 0.05, 22: 0.11, 23: 0.09, 24: 0.6,
              25: 0.001, 26: 0.001, 27: 0.001, 28: 0.001, 29: 0.001, 30: 0.0005, 31: 0.0001, 32: 0.0004}
V6_LENGTHS = {19: 0.002, 20: 0.003, 24: 0.004, 28: 0.01, 29: 0.04, 30: 0.01, 32: 0.11, 33: 0.01, 34: 0.01,
              35: 0.01, 36: 0.04, 40: 0.07, 42: 0.01, 44: 0.08, 45: 0.01, 46: 0.03, 47: 0.03, 48: 0.45,
              52: 0.005, 56: 0.03, 60: 0.005, 64: 0.02, 128: 0.001}


def lengths(rng, table, n):
    keys = np.array(list(table.keys()))
    p = np.array(list(table.values()), dtype=float)
    return rng.choice(keys, size=n, p=p / p.sum())


def internet_v4(rng, n):
    out = {}
    while len(out) < n:
        ls = lengths(rng, V4_LENGTHS, n)
        addrs = rng.integers(1 << 24, 224 << 24, size=n, dtype=np.uint64)  # 1.0.0.0 .. 223.255.255.255
        for a, l in zip(addrs.tolist(), ls.tolist()):
            net = a & (((1 << 32) - 1) << (32 - l)) & 0xFFFFFFFF
            out[(net, l)] = 1 + (len(out) * 2654435761) % 4096
            if len(out) >= n:
                break
    return out


def internet_v6(rng, n):
    out = {}
    while len(out) < n:
        ls = lengths(rng, V6_LENGTHS, n)
        hi = rng.integers(0, 1 << 61, size=n, dtype=np.uint64)
        lo = rng.integers(0, 1 << 63, size=n, dtype=np.uint64)
        for h, lw, l in zip(hi.tolist(), lo.tolist(), ls.tolist()):
            a = (1 << 125) | (h << 64) | lw  # 2000::/3
            net = a & (((1 << 128) - 1) << (128 - l)) & ((1 << 128) - 1)
            out[(net, l)] = 1 + (len(out) * 2654435761) % 4096
            if len(out) >= n:
                break
    return out


def aws_v4(rng):
    out = {(10 << 24, 16): 1, (0, 0): 2}  # local 10.0.0.0/16, 0/0 -> igw
    s3 = ["52.216.0.0/15", "3.5.0.0/19", "54.231.0.0/16", "52.92.16.0/20", "18.34.0.0/19"]
    for c in s3:
        n = ipaddress.ip_network(c)
        out[(int(n.network_address), n.prefixlen)] = 3  # S3 prefix list -> vpce
    for c in ["3.218.182.0/24", "3.218.180.0/23", "52.94.0.0/22", "52.119.224.0/20"]:
        n = ipaddress.ip_network(c)
        out[(int(n.network_address), n.prefixlen)] = 4  # DynamoDB prefix list -> vpce
    for i in range(20):
        out[((10 << 24) | ((i + 1) << 16), 16)] = 5 + i % 3  # peering and TGW to other VPCs
    while len(out) < 1000:  # a customer prefix list of corporate ranges -> TGW / VGW
        l = int(rng.choice([24, 25, 26, 27, 28, 32, 22, 20]))
        a = int(rng.integers(1 << 24, 223 << 24))
        out[(a & (((1 << 32) - 1) << (32 - l)) & 0xFFFFFFFF, l)] = 8 + int(rng.integers(0, 4))
    return out


def write_routes(path, table, family):
    with open(path, "w") as f:
        for (net, l), hop in table.items():
            addr = ipaddress.IPv4Address(net) if family == 4 else ipaddress.IPv6Address(net)
            f.write(f"{addr}/{l} {hop}\n")


def zipf_keys(rng, table, n, width):
    prefixes = list(table.keys())
    ranks = rng.zipf(1.0001, size=n * 2)
    ranks = ranks[ranks <= len(prefixes)][:n] - 1
    order = rng.permutation(len(prefixes))
    out = []
    for r in ranks.tolist():
        net, l = prefixes[order[r]]
        host_bits = width - l
        host = int(rng.integers(0, 1 << min(host_bits, 62))) if host_bits > 0 else 0
        out.append(net | host)
    return out


def write_keys(path, keys, width):
    nbytes = width // 8
    with open(path, "wb") as f:
        f.write(b"".join(k.to_bytes(nbytes, "big") for k in keys))


def main():
    out_dir = sys.argv[1]
    scale = float(os.environ.get("PACKETPATH_BENCH_SCALE", "1"))
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20261129)
    v4 = internet_v4(rng, int(900_000 * scale))
    v6 = internet_v6(rng, int(200_000 * scale))
    aws = aws_v4(rng)
    write_routes(f"{out_dir}/internet-v4.routes", v4, 4)
    write_routes(f"{out_dir}/internet-v6.routes", v6, 6)
    write_routes(f"{out_dir}/aws-v4.routes", aws, 4)
    n4, n6 = int(10_000_000 * scale), int(4_000_000 * scale)
    uniform4 = rng.integers(0, 1 << 32, size=n4, dtype=np.uint64).astype(">u4").tobytes()
    for name in ["internet-v4", "aws-v4"]:
        with open(f"{out_dir}/{name}.uniform.keys", "wb") as f:
            f.write(uniform4)
    write_keys(f"{out_dir}/internet-v4.zipf.keys", zipf_keys(rng, v4, n4, 32), 32)
    write_keys(f"{out_dir}/aws-v4.zipf.keys", zipf_keys(rng, aws, n4, 32), 32)
    prefixes = list(v6.keys())
    picks = rng.integers(0, len(prefixes), size=n6)
    uniform6 = []
    for i in picks.tolist():
        net, l = prefixes[i]
        host_bits = 128 - l
        host = (int(rng.integers(0, 1 << 62)) << 62 | int(rng.integers(0, 1 << 62))) & ((1 << host_bits) - 1) if host_bits else 0
        uniform6.append(net | host)
    write_keys(f"{out_dir}/internet-v6.uniform.keys", uniform6, 128)
    write_keys(f"{out_dir}/internet-v6.zipf.keys", zipf_keys(rng, v6, n6, 128), 128)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Deterministic benchmark captures for Benchmarks/compare (nothing large is committed).

usage: gen_capture.py OUT_DIR [FRAMES]

Writes two classic pcap files (Ethernet, microseconds) of the same frames:
  trace-full.pcap   every frame whole: data segments up to 1,514 bytes, ACKs of 60, mean ~730 bytes
                    (the shared anchors' full-frame trace has a 731-byte mean)
  trace-hdr.pcap    the same frames cut at 96 bytes (snaplen 96, header-only, MAWI/CAIDA style)

The traffic is that of the bundled scenario Scenarios/seed/after.yaml (alpha5, 10.0.7.10, and its
IPv6 address): TCP connections to S3 and DynamoDB (gateway endpoints), to the Lambda interface
endpoint, to internet servers over IPv4 and IPv6, DNS to the VPC resolver, and unsolicited inbound
SYNs. Each connection has a handshake, request/response segments and a FIN exchange; about a
thousand connections are open at once and their packets interleave, as on a busy host, so the
flow table sees tens of thousands of connections in all.
"""
import random
import struct
import sys

ALPHA5_V4 = (10 << 24) | (0 << 16) | (7 << 8) | 10
ALPHA5_V6 = 0x24006500_21C2FE07_00000000_0000170A
MAC_HOST = bytes.fromhex("020000000010")
MAC_ROUTER = bytes.fromhex("020000000001")


def v4(a, b, c, d):
    return a << 24 | b << 16 | c << 8 | d


def destination(rng):
    """A destination address, port, protocol and family, drawn from the scenario's services."""
    r = rng.random()
    if r < 0.30:  # S3 (pl-63a5400a: 52.216.0.0/15), through the gateway endpoint
        return v4(52, 216 + rng.randrange(2), rng.randrange(256), 1 + rng.randrange(254)), 443, 6, 4
    if r < 0.40:  # DynamoDB (3.218.182.0/24, 52.94.0.0/22)
        if rng.random() < 0.5:
            return v4(3, 218, 182, 1 + rng.randrange(254)), 443, 6, 4
        return v4(52, 94, rng.randrange(4), 1 + rng.randrange(254)), 443, 6, 4
    if r < 0.50:  # Lambda through the interface endpoint's ENI
        return v4(10, 0, 7, 200), 443, 6, 4
    if r < 0.80:  # internet servers
        return v4(151, 101, rng.randrange(256), 1 + rng.randrange(254)), rng.choice([443, 80]), 6, 4
    if r < 0.90:  # internet over IPv6 (2a04:4e42::/32)
        return 0x2A044E42 << 96 | rng.getrandbits(64), 443, 6, 6
    return v4(10, 0, 0, 2), 53, 17, 4  # the VPC resolver (R12.1)


def ipv4_header(total, proto, src, dst, ident):
    header = struct.pack("!BBHHHBBHII", 0x45, 0, total, ident & 0xFFFF, 0x4000, 64, proto, 0, src, dst)
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return header[:10] + struct.pack("!H", ~s & 0xFFFF) + header[12:]


def frame(family, proto, src, dst, sport, dport, flags, payload, ident):
    if proto == 6:
        transport = struct.pack("!HHIIBBHHH", sport, dport, 1, 1, 0x50, flags, 65535, 0, 0)
    else:
        transport = struct.pack("!HHHH", sport, dport, 8 + payload, 0)
    if family == 4:
        ip = ipv4_header(20 + len(transport) + payload, proto, src, dst, ident)
        ethertype = 0x0800
    else:
        ip = struct.pack("!IHBB", 6 << 28, len(transport) + payload, proto, 64) + src.to_bytes(16, "big") + dst.to_bytes(16, "big")
        ethertype = 0x86DD
    outbound = src in (ALPHA5_V4, ALPHA5_V6)
    macs = MAC_ROUTER + MAC_HOST if not outbound else MAC_HOST + MAC_ROUTER
    data = macs + struct.pack("!H", ethertype) + ip + transport + bytes(payload)
    return data + bytes(max(0, 60 - len(data)))  # Ethernet minimum


def connection(rng, ident):
    """The frames of one connection, in order: (frame bytes)."""
    if rng.random() < 0.02:  # an unsolicited inbound SYN from the internet, dropped, retransmitted
        src = v4(198, 51, 100, 1 + rng.randrange(254))
        sport = 1024 + rng.randrange(60000)
        return [frame(4, 6, src, ALPHA5_V4, sport, 22, 0x02, 0, ident + i) for i in range(3)]
    dst, dport, proto, family = destination(rng)
    src = ALPHA5_V4 if family == 4 else ALPHA5_V6
    sport = 32768 + rng.randrange(28000)
    out = []
    if proto == 17:
        for i in range(1 + rng.randrange(3)):
            out.append(frame(family, 17, src, dst, sport, dport, 0, 30 + rng.randrange(30), ident + 2 * i))
            out.append(frame(family, 17, dst, src, dport, sport, 0, 60 + rng.randrange(200), ident + 2 * i + 1))
        return out
    mss = 1460 if family == 4 else 1440
    out.append(frame(family, 6, src, dst, sport, dport, 0x02, 0, ident))
    out.append(frame(family, 6, dst, src, dport, sport, 0x12, 0, ident))
    out.append(frame(family, 6, src, dst, sport, dport, 0x10, 0, ident))
    for _ in range(1 + int(rng.expovariate(1 / 3))):  # requests, each answered by a few full segments
        out.append(frame(family, 6, src, dst, sport, dport, 0x18, 100 + rng.randrange(400), ident))
        for _ in range(1 + int(rng.expovariate(1 / 4))):
            out.append(frame(family, 6, dst, src, dport, sport, 0x18 if rng.random() < 0.2 else 0x10, mss, ident))
            if rng.random() < 0.5:
                out.append(frame(family, 6, src, dst, sport, dport, 0x10, 0, ident))
    out.append(frame(family, 6, src, dst, sport, dport, 0x11, 0, ident))
    out.append(frame(family, 6, dst, src, dport, sport, 0x11, 0, ident))
    out.append(frame(family, 6, src, dst, sport, dport, 0x10, 0, ident))
    return out


def main():
    out_dir = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(20261129)
    pcap_header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    with open(f"{out_dir}/trace-full.pcap", "wb") as full, open(f"{out_dir}/trace-hdr.pcap", "wb") as hdr:
        full.write(pcap_header)
        hdr.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 96, 1))
        active = [iter(connection(rng, i * 16)) for i in range(1000)]
        opened = len(active)
        written = 0
        usec = 0
        while written < total:
            k = rng.randrange(len(active))
            data = next(active[k], None)
            if data is None:
                active[k] = iter(connection(rng, opened * 16))
                opened += 1
                continue
            usec += 1 + rng.randrange(20)
            seconds, micros = 1_767_225_600 + usec // 1_000_000, usec % 1_000_000
            full.write(struct.pack("<IIII", seconds, micros, len(data), len(data)) + data)
            cut = data[:96]
            hdr.write(struct.pack("<IIII", seconds, micros, len(cut), len(data)) + cut)
            written += 1
    print(f"{out_dir}/trace-full.pcap, trace-hdr.pcap: {written} frames, {opened} connections", file=sys.stderr)


if __name__ == "__main__":
    main()

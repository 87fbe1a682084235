#!/usr/bin/env python3
"""Deterministic VPC Flow Logs for Benchmarks/compare (nothing large is committed).

usage: gen_flowlogs.py OUT_DIR RECORDS INTERFACE_ID

Writes S3-style delivery files (gzip, the field-name header line first, 100,000 records each) in a
custom version-5 format, under OUT_DIR/AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/06/02/.
The traffic is that of the bundled scenario Scenarios/seed/after.yaml, logged at alpha5's interface
(INTERFACE_ID, 10.0.7.10): TCP connections to S3 and DynamoDB (gateway endpoints), to the Lambda
interface endpoint's address, to internet servers, DNS to the VPC resolver, pings, and their
replies as records of their own; a record per direction per one-minute window, ephemeral ports
drawn anew per connection (so few records share a 5-tuple), NODATA records now and then.
"""
import gzip
import os
import random
import sys

FORMAT = ("version account-id vpc-id subnet-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr "
          "srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path")
ALPHA5 = "10.0.7.10"
PER_FILE = 100_000


def peers(rng):
    """(address, port, protocol, traffic-path) of the peer of a new conversation."""
    kind = rng.random()
    if kind < 0.30:
        return "52.216.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)), 443, 6, 7    # S3, gateway endpoint
    if kind < 0.45:
        return "52.94.%d.%d" % (rng.randrange(4), rng.randrange(1, 255)), 443, 6, 7       # DynamoDB
    if kind < 0.55:
        return "10.0.7.200", 443, 6, 1                                                     # Lambda endpoint ENI
    if kind < 0.62:
        return "10.0.0.2", 53, 17, 1                                                       # the VPC resolver
    if kind < 0.65:
        return "1.1.1.1", 0, 1, 8                                                          # ping
    return "%d.%d.%d.%d" % (rng.choice([93, 104, 151, 185]), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)), 443, 6, 8


def main():
    out, total, interface = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(14)
    folder = os.path.join(out, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/06/02")
    os.makedirs(folder, exist_ok=True)
    start = 1748851800
    written = 0
    part = 0
    while written < total:
        count = min(PER_FILE, total - written)
        lines = [FORMAT]
        while len(lines) - 1 < count:
            window = start + (written + len(lines)) // 2000 * 60
            if rng.random() < 0.002:
                lines.append("5 123456789012 vpc-0a - %s - - - - - - - - - %d %d - NODATA - -" % (interface, window, window + 59))
                continue
            address, port, protocol, path = peers(rng)
            sport = rng.randrange(32768, 61000) if protocol != 1 else 0
            packets = rng.randrange(1, 40)
            size = packets * rng.randrange(60, 1400)
            common = "5 123456789012 vpc-0a subnet-0b %s" % interface
            lines.append("%s %s %s %s %s %d %d %d %d %d %d %d ACCEPT OK egress %d" % (
                common, ALPHA5, address, ALPHA5, address, sport, port, protocol, packets, size, window, window + 59, path))
            lines.append("%s %s %s %s %s %d %d %d %d %d %d %d ACCEPT OK ingress -" % (
                common, address, ALPHA5, address, ALPHA5, port, sport, protocol, packets, size * 3, window, window + 59))
        lines = lines[:count + 1]
        name = "123456789012_vpcflowlogs_us-east-1_fl-0bench_20250602T%04dZ_%08x.log.gz" % (part, part)
        with gzip.open(os.path.join(folder, name), "wt", compresslevel=6) as handle:
            handle.write("\n".join(lines) + "\n")
        written += count
        part += 1


if __name__ == "__main__":
    main()

#!/bin/sh
# Benchmarks/compare: packet-path against plain C and libpcap peers, in one run on the same data,
# with ratios (docs/performance.md). Installs its own Debian and PyPI packages. Data is generated
# deterministically into Benchmarks/compare/.data (git-ignored); PACKETPATH_BENCH_SCALE=0.1 makes it small;
# PACKETPATH_BENCH_ONLY=lpm, =replay or =flowlogs runs one of the three tables.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$here/.data"
bin="$here/.bin"
mkdir -p "$data" "$bin"

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=""
for p in gcc pkg-config libpcap-dev tcpdump python3-pip libdpdk-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null; fi
python3 -c "import numpy, pytricia" 2>/dev/null || python3 -m pip install -q numpy pytricia

[ -f "$data/internet-v6.zipf.keys" ] || python3 "$here/gen_data.py" "$data"
gcc -O2 -o "$bin/dir24_8" "$here/dir24_8.c"
gcc -O2 -o "$bin/pcap_loop" "$here/pcap_loop.c" -lpcap
dpdk=""
if gcc -O2 -o "$bin/dpdk_lpm" "$here/dpdk_lpm.c" $(pkg-config --cflags --libs libdpdk) 2>/dev/null; then dpdk="$bin/dpdk_lpm"; fi
(cd "$root" && swift build -c release --product packet-path >&2)
pp="$root/.build/release/packet-path"

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}x' if b else '-')" "$1" "$2"; }
mlps() { python3 -c "import sys; print(f'{float(sys.argv[1])/1e6:.1f}')" "$1"; }
wall() {  # best of 3 wall times of a command, in seconds
    best=""
    for i in 1 2 3; do
        s=$(python3 -c "import time; print(time.perf_counter())")
        "$@" > /dev/null 2>&1
        e=$(python3 -c "import time; print(time.perf_counter())")
        best=$(python3 -c "b='$best'; t=$e-$s; print(t if not b or t < float(b) else b)")
    done
    echo "$best"
}

if [ "${PACKETPATH_BENCH_ONLY:-lpm}" = lpm ]; then
echo "## LPM, million lookups per second (median), single core"
echo
echo "| table | keys | packet-path | C DIR-24-8 | DPDK rte_lpm / rte_lpm6 | DPDK rte_fib / rte_fib6 (bulk) | pytricia | packet-path / C | packet-path / rte_lpm | packet-path / rte_fib | checksums agree | packet-path build s | structure MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for table in internet-v4 aws-v4 internet-v6; do
    family=4; [ "$table" = internet-v6 ] && family=6
    for keys in uniform zipf; do
        r="$data/$table.routes"; k="$data/$table.$keys.keys"
        ours=$("$pp" bench lpm --routes "$r" --lookups "$k" --family $family --format json --repeat 7)
        c="-"; cc=""
        if [ $family = 4 ]; then c=$("$bin/dir24_8" "$r" "$k" 7); cc=$(field "$c" checksum); fi
        ours_rate=$(field "$ours" lookupsPerSecond)
        agree="yes"; [ -n "$cc" ] && { [ "$cc" = "$(field "$ours" checksum)" ] || agree=NO; }
        py=$(python3 "$here/pytricia_peer.py" "$r" "$k" $family)
        d="-"; d_rate="-"; d_ratio="-"
        if [ -n "$dpdk" ] && d=$("$dpdk" "$r" "$k" $family 7 2>/dev/null | tail -1) && [ -n "$d" ]; then
            d_rate=$(mlps "$(field "$d" lookupsPerSecond)"); d_ratio=$(ratio "$(field "$ours" lookupsPerSecond)" "$(field "$d" lookupsPerSecond)")
            [ "$(field "$d" checksum)" = "$(field "$ours" checksum)" ] || agree="NO (DPDK)"
        fi
        f="-"; f_rate="-"; f_ratio="-"
        if [ -n "$dpdk" ] && f=$("$dpdk" "$r" "$k" $family 7 fib 2>/dev/null | tail -1) && [ -n "$f" ]; then
            f_rate=$(mlps "$(field "$f" lookupsPerSecond)"); f_ratio=$(ratio "$(field "$ours" lookupsPerSecond)" "$(field "$f" lookupsPerSecond)")
            [ "$(field "$f" checksum)" = "$(field "$ours" checksum)" ] || agree="NO (rte_fib)"
        fi
        c_rate="-"; c_ratio="-"
        if [ "$c" != "-" ]; then c_rate=$(mlps "$(field "$c" lookupsPerSecond)"); c_ratio=$(ratio "$ours_rate" "$(field "$c" lookupsPerSecond)"); fi
        echo "| $table | $keys | $(mlps "$ours_rate") | $c_rate | $d_rate | $f_rate | $(mlps "$(field "$py" lookupsPerSecond)") | $c_ratio | $d_ratio | $f_ratio | $agree | $(python3 -c "print(f'{$(field "$ours" buildSeconds):.2f}')") | $(python3 -c "print(f'{$(field "$ours" structureBytes)/1048576:.1f}')") |"
    done
done

fi
echo
if [ "${PACKETPATH_BENCH_ONLY:-replay}" = replay ]; then
echo "## Replay, frames per second"
echo
echo "Captures from gen_capture.py (the bundled seed scenario's traffic, ~1,000 connections open at once,"
echo "tens of thousands in all). Bare loop and tcpdump: median of 5; packet-path: best of 3 whole runs"
echo "(start-up and topology load included)."
echo
[ -f "$data/trace-hdr.pcap" ] || python3 "$here/gen_capture.py" "$data" "$(python3 -c "print(int(1_000_000 * float('${PACKETPATH_BENCH_SCALE:-1}')))")"
echo "| capture | peer | frames/s | vs bare pcap_next_ex loop |"
echo "|---|---|---|---|"
for trace in full hdr; do
    capture="$data/trace-$trace.pcap"
    loop=$("$bin/pcap_loop" "$capture" 5)
    frames=$(field "$loop" frames)
    loop_rate=$(field "$loop" framesPerSecond)
    rate() { python3 -c "print(int($frames / $1))"; }
    echo "| $trace | bare C pcap_next_ex loop | $loop_rate | 1.00x |"
    # The same loop reading through a 1 MiB stdio buffer, as packet-path does (CaptureInput).
    buffered=$(field "$("$bin/pcap_loop" "$capture" 5 1048576)" framesPerSecond)
    echo "| $trace | bare C pcap_next_ex loop, 1 MiB stdio buffer | $buffered | $(ratio "$buffered" "$loop_rate") |"
    td=$(rate "$(wall tcpdump -r "$capture" -w /dev/null)")
    echo "| $trace | tcpdump -r FILE -w /dev/null | $td | $(ratio "$td" "$loop_rate") |"
    for run in "summary 1" "summary $(nproc)" "csv 1" "csv $(nproc)" "jsonl 1" "jsonl $(nproc)"; do
        set -- $run
        r=$(rate "$(wall "$pp" replay "$capture" --topology "$root/Scenarios/seed/after.yaml" --format "$1" --jobs "$2")")
        eval "rate_${1}_$2=$r"
        echo "| $trace | packet-path replay --format $1 --jobs $2 | $r | $(ratio "$r" "$loop_rate") |"
    done
    echo "| $trace | --jobs $(nproc) / --jobs 1, summary | | $(eval ratio "\$rate_summary_$(nproc)" "\$rate_summary_1") |"
    # The same capture gzip-compressed: decompressed into a temporary file first (CaptureInput).
    [ -f "$capture.gz" ] || gzip -c "$capture" > "$capture.gz"
    gz=$(rate "$(wall "$pp" replay "$capture.gz" --topology "$root/Scenarios/seed/after.yaml" --format summary --jobs 1)")
    echo "| $trace | packet-path replay FILE.pcap.gz --format summary --jobs 1 | $gz | $(ratio "$gz" "$loop_rate") |"
    echo "| $trace | .pcap.gz / .pcap, summary --jobs 1 | | $(ratio "$gz" "$rate_summary_1") |"
done
echo
echo "($(nproc) cores; $(date -u +%Y-%m-%d))"
fi
echo
if [ "${PACKETPATH_BENCH_ONLY:-flowlogs}" = flowlogs ]; then
echo "## Flow logs, records per second (one core)"
echo
echo "S3-style gzip files from gen_flowlogs.py (alpha5's traffic in Scenarios/seed/after.yaml, a custom"
echo "version-5 format, 100,000 records a file). Best of 3 whole runs, start-up included."
echo
records=$(python3 -c "print(int(1_000_000 * float('${PACKETPATH_BENCH_SCALE:-1}')))")
logs="$data/flowlogs-$records"
if [ ! -d "$logs" ]; then
    interface=$("$pp" trace --topology "$root/Scenarios/seed/after.yaml" --from alpha5 --to s3 --format json \
        | python3 -c "import json,sys; print(json.load(sys.stdin)['packet']['path'][0]['id'])")
    python3 "$here/gen_flowlogs.py" "$logs" "$records" "$interface"
fi
count=$(find "$logs" -name '*.log.gz' -exec sh -c 'gzip -dc "$1" | tail -n +2' _ {} \; | wc -l)
rate() { python3 -c "print(int($count / $1))"; }
zc=$(rate "$(wall sh -c "find '$logs' -name '*.log.gz' -exec gzip -dc {} + | wc -l")")
echo "| peer | records/s | vs zcat \\| wc -l |"
echo "|---|---|---|"
echo "| zcat FILES \\| wc -l (decompress and count lines) | $zc | 1.00x |"
best=""
for i in 1 2 3; do
    t=$(field "$(python3 "$here/flowlog_parse_peer.py" "$logs")" seconds)
    best=$(python3 -c "b='$best'; t=$t; print(t if not b or t < float(b) else b)")
done
py=$(rate "$best")
echo "| plain Python: split, convert, count per action and destination | $py | $(ratio "$py" "$zc") |"
for run in "summary 1" "summary $(nproc)" "summary-json 1" "csv 1" "jsonl 1"; do
    set -- $run
    r=$(rate "$(wall "$pp" replay "$logs" --topology "$root/Scenarios/seed/after.yaml" --format "$1" --jobs "$2")")
    echo "| packet-path replay --format $1 --jobs $2 (parse, judge, compare) | $r | $(ratio "$r" "$zc") |"
done
# The summary document lists every conversation by default; --top 10 keeps the list short.
r=$(rate "$(wall "$pp" replay "$logs" --topology "$root/Scenarios/seed/after.yaml" --format summary-json --top 10 --jobs 1)")
echo "| packet-path replay --format summary-json --top 10 --jobs 1 | $r | $(ratio "$r" "$zc") |"
echo
echo "($count records; $(date -u +%Y-%m-%d))"
fi

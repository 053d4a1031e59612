#!/usr/bin/env bash
# Make the capture fixtures in fixtures/ from real TCP traffic.
#
# Usage (as root, from anywhere; paths are relative to the repo root):
#     sudo scripts/make-fixtures.sh            # make all captures
#     sudo scripts/make-fixtures.sh multi      # make only the ones named
#
# Topology, rebuilt from scratch for every capture (so no socket state such as
# TIME_WAIT carries over between captures or re-runs):
#
#   [client ns] eth0 ==veth== vc [switch ns: bridge br0] vs ==veth== eth0 [server ns]
#     10.99.0.1 / fd00:99::1                                10.99.0.2 / fd00:99::2
#
# The switch namespace exists so that packets can later be dropped there with
# nftables.  Offloads are off on every veth end, so frames are wire-sized and
# carry valid checksums.  tcpdump runs in the client namespace.  The peers are
# scripts/fixture-peers/peer.py, which pause between steps so that the packet
# order is fixed; each capture is then checked against the packet sequence that
# its hand-written fixtures/<name>.expected.json was derived from, and made
# again (up to 3 times) if the timing came out differently.
#
# Needs: root, iproute2, ethtool, tcpdump, tshark, editcap, python3.
set -euo pipefail

cd "$(dirname "$0")/.."
PEER=scripts/fixture-peers/peer.py
OUT=fixtures

PROG=make-fixtures
TOOLS="ip ethtool tcpdump tshark editcap python3 timeout"
# die, root and tool checks, $TMP, the namespace topology (topo_up, topo_down,
# cleanup on exit), wait_for, tcpdump_start/stop, signature, ports, norm
. scripts/fixture-lib.sh

# capture NAME IFACE FAMILY SCENARIO SPORT [SPORT2]
capture_once() {
    local name=$1 iface=$2 fam=$3 scen=$4 sport=$5 sport2=${6:-}
    local caddr saddr dport=$PORT pcap="$TMP/$name"
    if [[ $fam == 6 ]]; then caddr=$C6; saddr=$S6; else caddr=$C4; saddr=$S4; fi
    [[ $scen == refused ]] && dport=$CLOSED_PORT
    topo_up
    rm -f "$pcap" "$TMP"/server.* "$TMP"/tcpdump.*
    if [[ $scen != refused ]]; then
        ip netns exec "$NS" python3 "$PEER" server "$scen" "$saddr" "$PORT" \
            >"$TMP/server.out" 2>"$TMP/server.err" &
        PIDS+=($!); local spid=$!
        wait_for "$TMP/server.out" listening "the server to listen"
    fi
    tcpdump_start "$NC" "$iface" "$pcap"
    sleep 0.3
    timeout 20 ip netns exec "$NC" python3 "$PEER" client "$scen" "$caddr" "$sport" "$saddr" "$dport" $sport2 \
        || die "$name: client failed"
    if [[ $scen != refused ]]; then
        wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    fi
    sleep 0.3
    tcpdump_stop
    PIDS=()
    topo_down
    [[ -s $pcap ]] || die "$name: empty capture"
    # link type in the pcap file header (written in host byte order)
    local lt want_lt=1
    [[ $iface == any ]] && want_lt=276      # LINKTYPE_LINUX_SLL2
    lt=$(od -An -tu4 -j20 -N4 "$pcap" | tr -d ' ')
    [[ $lt == "$want_lt" ]] || die "$name: link type $lt, expected $want_lt"
}

# The packet sequences the expected files were written from: one token per
# frame, srcport>dstport:flags:payload-length (see fixtures/README.md).
HS="{c}>{s}:S:0 {s}>{c}:SA:0 {c}>{s}:A:0"                    # handshake
EX="{c}>{s}:PA:42 {s}>{c}:A:0 {s}>{c}:PA:96 {c}>{s}:A:0"     # request, response
CLIENT_CLOSE="{c}>{s}:FA:0 {s}>{c}:A:0 {s}>{c}:FA:0 {c}>{s}:A:0"
SERVER_CLOSE="{s}>{c}:FA:0 {c}>{s}:A:0 {c}>{s}:FA:0 {s}>{c}:A:0"
declare -A WANT
WANT[http-client-close.pcap]=$(ports 40001 8080 "$HS $EX $CLIENT_CLOSE")
WANT[http-server-close.pcap]=$(ports 40002 8080 "$HS $EX $SERVER_CLOSE")
WANT[http-three-way-close.pcap]=$(ports 40003 8080 "$HS $EX {c}>{s}:FA:0 {s}>{c}:FA:0 {c}>{s}:A:0")
WANT[refused.pcap]=$(ports 40004 8081 "{c}>{s}:S:0 {s}>{c}:RA:0")
WANT[half-close.pcap]=$(ports 40005 8080 "$HS {c}>{s}:PA:42 {s}>{c}:A:0 {c}>{s}:FA:0 {s}>{c}:A:0
    {s}>{c}:PA:45 {c}>{s}:A:0 {s}>{c}:PA:39 {c}>{s}:A:0 {s}>{c}:PA:39 {c}>{s}:A:0
    {s}>{c}:FA:0 {c}>{s}:A:0")
WANT[rst-abort.pcap]=$(ports 40006 8080 "$HS $EX {c}>{s}:RA:0")
WANT[ipv6.pcap]=$(ports 40007 8080 "$HS $EX $CLIENT_CLOSE")
WANT[any-sll2.pcap]=$(ports 40008 8080 "$HS $EX $CLIENT_CLOSE")
WANT[multi.pcap]="$(ports 40101 8080 "$HS") $(ports 40102 8080 "$HS")
    $(ports 40101 8080 "{c}>{s}:PA:42 {s}>{c}:A:0") $(ports 40102 8080 "{c}>{s}:PA:42 {s}>{c}:A:0")
    $(ports 40101 8080 "{s}>{c}:PA:96 {c}>{s}:A:0") $(ports 40102 8080 "{s}>{c}:PA:96 {c}>{s}:A:0")
    $(ports 40101 8080 "{s}>{c}:FA:0 {c}>{s}:A:0") $(ports 40102 8080 "{s}>{c}:FA:0 {c}>{s}:A:0")
    $(ports 40101 8080 "{c}>{s}:FA:0 {s}>{c}:A:0") $(ports 40102 8080 "{c}>{s}:FA:0 {s}>{c}:A:0")
    $(ports 40101 8080 "$HS $EX $SERVER_CLOSE")"

capture() {
    local name=$1 try sig
    for try in 1 2 3; do
        capture_once "$@"
        sig=$(signature "$TMP/$name")
        [[ $sig == "$(norm "${WANT[$name]}")" ]] && break
        echo "$name: attempt $try: packet sequence differs from the reference:" >&2
        echo "  got:  $sig" >&2
        echo "  want: $(norm "${WANT[$name]}")" >&2
        [[ $try == 3 ]] && die "$name: could not reproduce the reference packet sequence"
    done
    cp "$TMP/$name" "$OUT/$name"
    echo "made $OUT/$name ($(tshark -r "$OUT/$name" 2>/dev/null | wc -l) packets, link type $(od -An -tu4 -j20 -N4 "$OUT/$name" | tr -d ' '))"
}

ALL="http-client-close http-server-close http-three-way-close refused half-close rst-abort ipv6 any-sll2 multi"
SELECTED=" ${*:-$ALL} "
for x in $SELECTED; do
    [[ " $ALL " == *" $x "* ]] || die "unknown capture '$x' (known: $ALL)"
done
sel() { [[ $SELECTED == *" $1 "* ]]; }

mkdir -p "$OUT"
if sel http-client-close; then
    capture http-client-close.pcap eth0 4 client-close 40001
    editcap -F pcapng "$OUT/http-client-close.pcap" "$OUT/http-client-close.pcapng"
    editcap -F nsecpcap "$OUT/http-client-close.pcap" "$OUT/http-client-close-ns.pcap"
    echo "made $OUT/http-client-close.pcapng and $OUT/http-client-close-ns.pcap (format copies)"
fi
sel http-server-close    && capture http-server-close.pcap    eth0 4 server-close    40002
sel http-three-way-close && capture http-three-way-close.pcap eth0 4 three-way-close 40003
sel refused              && capture refused.pcap              eth0 4 refused         40004
sel half-close           && capture half-close.pcap           eth0 4 half-close      40005
sel rst-abort            && capture rst-abort.pcap            eth0 4 rst-abort       40006
sel ipv6                 && capture ipv6.pcap                 eth0 6 client-close    40007
sel any-sll2             && capture any-sll2.pcap             any  4 client-close    40008
sel multi                && capture multi.pcap                eth0 4 multi           40101 40102
echo "done"

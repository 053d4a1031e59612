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

die() { echo "make-fixtures: $*" >&2; exit 1; }

[[ ${EUID:-$(id -u)} -eq 0 ]] || die "must run as root (creates network namespaces and runs tcpdump); try: sudo $0"
for t in ip ethtool tcpdump tshark editcap python3 timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
[[ -f $PEER ]] || die "missing $PEER"

TMP=$(mktemp -d)
TAG="tcpfx$$"
NC="$TAG-client"; NM="$TAG-switch"; NS="$TAG-server"
PIDS=()

C4=10.99.0.1; S4=10.99.0.2
C6=fd00:99::1; S6=fd00:99::2
PORT=8080           # server port
CLOSED_PORT=8081    # nothing listens here

topo_down() {
    local p ns
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
    for ns in "$NC" "$NS" "$NM"; do
        if ip netns list | grep -qw "^$ns"; then
            for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
            ip netns del "$ns" 2>/dev/null || true
        fi
    done
}

cleanup() {
    local rc=$?
    topo_down
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

offloads_off() { # ns dev
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 \
        || ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off
}

topo_up() {
    topo_down
    ip netns add "$NC"; ip netns add "$NM"; ip netns add "$NS"
    # the switch: a plain learning bridge, no STP delay, no IP of its own
    ip netns exec "$NM" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$NM" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$NM" link add vc type veth peer name eth0 netns "$NC"
    ip -n "$NM" link add vs type veth peer name eth0 netns "$NS"
    ip -n "$NM" link set vc master br0
    ip -n "$NM" link set vs master br0
    offloads_off "$NM" vc; offloads_off "$NM" vs
    offloads_off "$NC" eth0; offloads_off "$NS" eth0
    ip -n "$NC" addr add "$C4/24" dev eth0
    ip -n "$NC" addr add "$C6/64" dev eth0 nodad
    ip -n "$NS" addr add "$S4/24" dev eth0
    ip -n "$NS" addr add "$S6/64" dev eth0 nodad
    local ns
    for ns in "$NC" "$NM" "$NS"; do ip -n "$ns" link set lo up; done
    ip -n "$NM" link set vc up; ip -n "$NM" link set vs up; ip -n "$NM" link set br0 up
    ip -n "$NC" link set eth0 up; ip -n "$NS" link set eth0 up
    # Make sure the path works before capturing: a UDP datagram to a closed port
    # must come back as ICMP port unreachable.  (This also fills the ARP and
    # neighbour caches; neither ARP/ND nor this probe is in the captures, whose
    # filter is "tcp".)
    local i
    for i in $(seq 50); do
        ip netns exec "$NC" python3 "$PEER" probe "$S4" && ip netns exec "$NC" python3 "$PEER" probe "$S6" && return 0
        sleep 0.1
    done
    die "veth/bridge path does not work"
}

wait_for() { # file pattern what
    local i
    for i in $(seq 100); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    die "timed out waiting for $3"
}

# Packet signature of a capture: srcport>dstport:flags:payload-length per frame.
signature() {
    tshark -r "$1" -T fields -e tcp.srcport -e tcp.dstport -e tcp.flags.str -e tcp.len 2>/dev/null |
    awk -F'\t' '{ s = "";
           if (index($3, "S")) s = s "S"; if (index($3, "F")) s = s "F"; if (index($3, "R")) s = s "R";
           if (index($3, "P")) s = s "P"; if (index($3, "A")) s = s "A";
           printf "%s%s>%s:%s:%s", (NR > 1 ? " " : ""), $1, $2, s, $4 }
         END { print "" }'
}

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
    ip netns exec "$NC" tcpdump -i "$iface" --immediate-mode -U -Z root -w "$pcap" tcp \
        >"$TMP/tcpdump.out" 2>"$TMP/tcpdump.err" &
    PIDS+=($!); local tpid=$!
    wait_for "$TMP/tcpdump.err" "listening on" "tcpdump to start"
    sleep 0.3
    timeout 20 ip netns exec "$NC" python3 "$PEER" client "$scen" "$caddr" "$sport" "$saddr" "$dport" $sport2 \
        || die "$name: client failed"
    if [[ $scen != refused ]]; then
        wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    fi
    sleep 0.3
    kill -INT "$tpid"
    wait "$tpid" || true
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
ports() { local x=${3//\{c\}/$1}; echo "${x//\{s\}/$2}"; } # ports CPORT SPORT TEMPLATE
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
norm() { tr -s '[:space:]' ' ' <<<"$1" | sed 's/^ //; s/ $//'; }

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

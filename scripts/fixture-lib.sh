# Shared setup for the capture-fixture scripts (make-fixtures.sh,
# make-anomaly-fixtures.sh, make-case-fixtures.sh).  Source it from the repo
# root, after setting:
#
#   PROG   name used in error messages
#   PEER   the peer program whose "probe" command checks the path
#   TOOLS  the commands the script needs (checked here)
#
# It checks for root and the tools, makes a temporary directory ($TMP), and
# defines the three-namespace topology, rebuilt from scratch by topo_up:
#
#   [client ns] eth0 ==veth== vc [switch ns: bridge br0] vs ==veth== eth0 [server ns]
#     10.99.0.1 / fd00:99::1                                10.99.0.2 / fd00:99::2
#
# Offloads are off on every veth end.  Namespaces ($NC, $NM, $NS) and the
# processes in $PIDS are removed by topo_down, which also runs on exit,
# error and Ctrl-C.  At the end: the nftables helpers that drop chosen data
# segments (block, drop_blocks, nft_in) and tshark_json / flag_counts, which
# write and count the tcp.analysis flags of a capture.

die() { echo "$PROG: $*" >&2; exit 1; }

[[ ${EUID:-$(id -u)} -eq 0 ]] || die "must run as root (creates network namespaces and runs tcpdump); try: sudo $0"
for t in $TOOLS; do
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

# tcpdump_start NS IFACE PCAP [OPTION...]: capture TCP on IFACE in namespace
# NS into PCAP, with any extra tcpdump options; returns once tcpdump listens.
# Its pid is in $TPID (and in $PIDS).  Stop it with tcpdump_stop.
tcpdump_start() {
    ip netns exec "$1" tcpdump -i "$2" --immediate-mode -U -Z root "${@:4}" -w "$3" tcp \
        >"$TMP/tcpdump.out" 2>"$TMP/tcpdump.err" &
    PIDS+=($!); TPID=$!
    wait_for "$TMP/tcpdump.err" "listening on" "tcpdump to start"
}

tcpdump_stop() {
    kill -INT "$TPID"
    wait "$TPID" || true
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

ports() { local x=${3//\{c\}/$1}; echo "${x//\{s\}/$2}"; } # ports CPORT SPORT TEMPLATE
norm() { tr -s '[:space:]' ' ' <<<"$1" | sed 's/^ //; s/ $//'; }

# ------------------------------------------------ drops and tshark verdicts
# (shared by make-anomaly-fixtures.sh and make-case-fixtures.sh)

# nft match for the data segment that starts block N of the bulk response:
# the block marker "BLKnnnnn" right after the 32-byte TCP header (with the
# timestamp option).
block() { printf '@th,256,64 0x%s' "$(printf 'BLK%05d' "$1" | od -An -tx1 | tr -d ' \n')"; }

# Rules dropping the first copy of some server data segments (blocks).
drop_blocks() { # family hook block...
    local fam=$1 hook=$2 b; shift 2
    echo "table $fam drops {"
    echo "  chain c { type filter hook $hook priority 0; policy accept;"
    for b in "$@"; do
        echo "    ip saddr $S4 tcp sport $PORT $(block "$b") quota until 2000 bytes counter drop"
    done
    echo "  }"
    echo "}"
}

nft_in() { ip netns exec "$1" nft -f -; } # ns < ruleset

# The tcp.analysis flags of every frame, as JSON (see the README).
TSHARK_FLAGS="retransmission fast_retransmission spurious_retransmission out_of_order lost_segment
    ack_lost_segment duplicate_ack zero_window zero_window_probe zero_window_probe_ack window_full
    window_update keep_alive keep_alive_ack reused_ports"
tshark_json() { # pcap made-sentence
    local f fields=(-e frame.number) tv
    for f in $TSHARK_FLAGS; do fields+=(-e "tcp.analysis.$f"); done
    fields+=(-e tcp.analysis.duplicate_ack_num -e tcp.checksum.status)
    tv=$(tshark -v 2>/dev/null | head -1)
    tshark -r "$1" -o tcp.check_checksum:TRUE -T fields -E separator=/t "${fields[@]}" 2>/dev/null |
    python3 -c '
import json, sys
names, capture, version, made = sys.argv[1].split(), sys.argv[2], sys.argv[3], sys.argv[4]
frames = {}
for line in sys.stdin:
    col = line.rstrip("\n").split("\t")
    got = [n for n, v in zip(names, col[1:]) if v != ""]
    if col[len(names) + 1] != "":
        got.append("duplicate_ack_num=" + col[len(names) + 1])
    if col[len(names) + 2] == "0":          # tcp.checksum.status: 0 = bad
        got.append("checksum_bad")
    if got:
        frames[col[0]] = got
head = json.dumps({"capture": capture, "tshark": version, "made": made})[:-1]
lines = ["  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in frames.items()]
print(head + ", \"frames\": {" + ("\n" + ",\n".join(lines) + "\n" if lines else "") + "}}")
' "$TSHARK_FLAGS" "$(basename "$1")" "$tv" "$2"
}

# Count of each flag in a tshark.json file: "flag=N ..." (sorted).
flag_counts() {
    python3 -c '
import json, sys, collections
c = collections.Counter()
for v in json.load(open(sys.argv[1]))["frames"].values():
    for f in v:
        c[f.split("=")[0]] += 1
print(" ".join("%s=%d" % kv for kv in sorted(c.items())) or "no flags")
' "$1"
}

# Makes the captures named on the command line, or all of them: `capture NAME.pcap` for each
# name of $1 selected, in $1's order. Dies on an unknown name, and at the end if a capture
# could not be reproduced (the caller's capture() adds its name to $FAILED).
make_selected() { # all-names [selected-names...]
    local all=$1 x
    shift
    local selected=" ${*:-$all} "
    for x in $selected; do
        [[ " $all " == *" $x "* ]] || die "unknown capture '$x' (known: $all)"
    done
    for x in $all; do
        if [[ $selected == *" $x "* ]]; then capture "$x.pcap"; fi
    done
    [[ -z $FAILED ]] || die "could not reproduce:$FAILED"
    echo "done"
}

# Shared setup for the capture-fixture scripts (make-fixtures.sh,
# make-anomaly-fixtures.sh).  Source it from the repo root, after setting:
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
# error and Ctrl-C.

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

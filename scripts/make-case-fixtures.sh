#!/usr/bin/env bash
# Make the tracker-case captures in fixtures/cases/ from real TCP traffic.
#
# Usage (as root, from anywhere; paths are relative to the repo root):
#     sudo scripts/make-case-fixtures.sh                      # all captures
#     sudo scripts/make-case-fixtures.sh simultaneous-close   # only the ones named
#
# Same topology as make-fixtures.sh and make-anomaly-fixtures.sh
# (scripts/fixture-lib.sh): client, switch and server namespaces, rebuilt for
# every capture, offloads off.  The peers are scripts/fixture-peers/case-peer.py.
#
#   simultaneous-close   12 connections whose FINs cross, captured on the
#                        server.  The switch does not bridge here: the relay
#                        scripts/fixture-peers/relay.py forwards every frame
#                        20 ms late (netem and nfqueue are not available), and
#                        both peers close at a shared CLOCK_MONOTONIC time
#                        (the client 10 ms after the server), so each FIN
#                        leaves before the other one arrives.
#   loss-after-capture   bulk transfer (400 blocks), 50 chosen data segments
#                        dropped in the switch; captured on the server (the
#                        sender), i.e. before the drops.
#   loss-before-capture  the same transfer, 40 other chosen segments dropped in
#                        the switch; captured on the client (the receiver),
#                        i.e. after the drops.
#   port-reuse-after-rst three pairs of connections, each pair from one fixed
#                        client port, captured on the server: the client
#                        aborts with RST and connects again from the same
#                        port 20 s later; the server closes first and the
#                        client connects again while the server is in
#                        TIME_WAIT; the client closes first and connects
#                        again while it is in TIME_WAIT itself
#                        (net.ipv4.tcp_tw_reuse=1 in the client namespace,
#                        port_reuse_up).  About 30 s.
#   relay-copies         a bulk transfer (200 blocks) through the relay
#                        (20 ms), captured on both of its ports (tcpdump on
#                        vc and on vs in the switch namespace, merged by time
#                        with mergecap): every packet is in the capture twice,
#                        20 ms apart, with many packets of both sides between
#                        the copies (relay_copies_once).  Needs mergecap.
#   injected-rst         three connections with a series of requests and
#                        responses, captured on the server; the switch
#                        bridges as usual, and
#                        scripts/fixture-peers/inject-rst.py (AF_PACKET in the
#                        switch namespace) forges RSTs in the client's name
#                        out of vs, with seq taken from the live connection:
#                        out of the server's window and in it but not exactly
#                        RCV.NXT (first connection), exactly RCV.NXT (second);
#                        the third ends with the client's own RST
#                        (injected_rst_once).
#
# Drops are nftables rules in the switch (bridge family, forward hook) that
# match the block marker of one chosen segment and let later copies through
# (drop_blocks in fixture-lib.sh), so the same segments are dropped on every
# run.  For the loss captures a second tcpdump (snap length 128) runs on the
# other host at the same time; scripts/case-facts.py compares the two captures
# (which segments were lost on the path, which frames are resends) and checks
# the result against the nftables counters.
#
# For every capture NAME this writes fixtures/cases/NAME.pcap,
# NAME.pcap.tshark.json (the tcp.analysis flags per frame, as in
# make-anomaly-fixtures.sh), NAME.other-side.pcap (the second capture, loss
# captures only) and NAME.pcap.facts.txt (the output of case-facts.py, from
# which the hand-written NAME.pcap.expected.json was checked).  A capture must
# pass the checks of case-facts.py and tcpdump must have lost no packets, else
# it is made again (up to $TRIES times, default 5).  KEEP=DIR keeps the
# captures of failed attempts there.
#
# Needs: root, iproute2, ethtool, nft, tcpdump, tshark, python3.
set -euo pipefail

cd "$(dirname "$0")/.."
PROG=make-case-fixtures
PEER=scripts/fixture-peers/peer.py
CPEER=scripts/fixture-peers/case-peer.py
RELAY=scripts/fixture-peers/relay.py
FACTS=scripts/case-facts.py
OUT=${OUT:-fixtures/cases}   # OUT=DIR writes the files elsewhere
TOOLS="ip ethtool nft tcpdump tshark python3 timeout"
TRIES=${TRIES:-5}
# die, root and tool checks, $TMP, the namespace topology (topo_up, topo_down,
# cleanup on exit), wait_for, tcpdump_start/stop, block, drop_blocks, nft_in,
# tshark_json, flag_counts
. scripts/fixture-lib.sh
for f in "$CPEER" "$RELAY" "$FACTS"; do [[ -f $f ]] || die "missing $f"; done

RELAY_DELAY_MS=20
BULK_BLOCKS=400                 # 400 x 1448 = 579,200 bytes
# Blocks whose first copy the switch drops, chosen once with Python's
#   sorted(random.Random(SEED).sample(range(10, 390), N))
# (SEED 9293, N 50 and SEED 793, N 40).
AFTER_BLOCKS="12 23 27 31 42 45 60 67 69 73 76 87 88 90 93 99 121 129 154 179 201 202 233 242
    248 266 267 274 276 283 301 303 304 315 317 327 328 329 332 335 347 351 354 363 366 368 374
    376 379 389"
BEFORE_BLOCKS="24 33 39 50 58 59 69 88 104 106 110 112 141 147 189 194 201 206 239 241 243 244
    254 271 282 286 293 296 297 299 308 310 323 325 343 345 348 354 366 368"

# As make-anomaly-fixtures.sh's "bulk" tuning: the receiver acks every segment
# at once (route option quickack) and has room for all data without reading;
# the sender's sendall() copies everything at once, so every segment is one
# whole block.
tune_bulk() {
    ip -n "$NC" route add "$S4/32" dev eth0 quickack 1
    ip netns exec "$NC" sysctl -qw net.ipv4.tcp_rmem="4096 2097152 8388608"
    ip netns exec "$NS" sysctl -qw net.ipv4.tcp_wmem="4096 1048576 4194304"
}

# The switch without its bridge: relay.py forwards between vc and vs.
relay_up() {
    ip -n "$NM" link set vc nomaster
    ip -n "$NM" link set vs nomaster
    ip netns exec "$NM" python3 "$RELAY" vc vs "$RELAY_DELAY_MS" >"$TMP/relay.out" 2>"$TMP/relay.err" &
    PIDS+=($!)
    wait_for "$TMP/relay.out" relaying "the relay to start"
    local i
    for i in $(seq 20); do
        ip netns exec "$NC" python3 "$PEER" probe "$S4" && return 0
        sleep 0.1
    done
    die "the relay does not forward"
}

# port-reuse-after-rst: the client may take over its own TIME_WAIT tuple
# (Linux: more than 1 s after its last timestamp, ISN above the old one).
port_reuse_up() {
    ip netns exec "$NC" sysctl -qw net.ipv4.tcp_tw_reuse=1
}

ns_of() { case $1 in client) echo "$NC" ;; server) echo "$NS" ;; *) echo "$NM" ;; esac; }

# relay-copies: the relay's two ports captured at once and merged, so each
# packet is seen entering the switch and again 20 ms later leaving it.  Leaves
# $TMP/NAME.pcap and the two tcpdump reports, as capture_once does.
COPIES_BLOCKS=200               # 200 x 1448 = 289,600 bytes
relay_copies_once() { # NAME.pcap
    local name=$1 pcap="$TMP/$1" vc vs spid cpid
    command -v mergecap >/dev/null || die "missing tool: mergecap (it comes with tshark)"
    rm -f "$pcap" "$pcap".* "$TMP"/server.* "$TMP"/client.* "$TMP"/tcpdump.* "$TMP"/copies.*
    topo_up
    tune_bulk
    relay_up
    tcpdump_start "$NM" vc "$TMP/copies.vc.pcap"; vc=$TPID; mv "$TMP/tcpdump.err" "$TMP/copies.vc.err"
    tcpdump_start "$NM" vs "$TMP/copies.vs.pcap"; vs=$TPID
    sleep 0.3
    ip netns exec "$NS" python3 "$CPEER" server copies "$S4" "$PORT" "$COPIES_BLOCKS" \
        >"$TMP/server.out" 2>"$TMP/server.err" &
    PIDS+=($!); spid=$!
    wait_for "$TMP/server.out" listening "the server to listen"
    timeout 60 ip netns exec "$NC" python3 "$CPEER" client copies "$C4" 42401 "$S4" "$PORT" "$COPIES_BLOCKS" \
        >"$TMP/client.out" 2>"$TMP/client.err" &
    PIDS+=($!); cpid=$!
    wait "$cpid" || { cat "$TMP/client.err" >&2; die "$name: client failed"; }
    wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    sleep 0.3
    kill -INT "$vc" "$vs"; wait "$vc" || true; wait "$vs" || true
    cp "$TMP/copies.vc.err" "$TMP/$name.tcpdump.err"
    cp "$TMP/tcpdump.err" "$TMP/$name.other.tcpdump.err"
    mergecap -F pcap -w "$pcap" "$TMP/copies.vc.pcap" "$TMP/copies.vs.pcap"
    PIDS=()
    topo_down
    [[ -s $pcap ]] || die "$name: empty capture"
}

# injected-rst: the injector sniffs on vc (both directions) and sends its RSTs
# out of vs, so they reach the server (and the capture on its eth0) without
# passing the bridge.  INJECT_PLAN is PORT:K:OFFSET per RST: 0.1 s after the
# client's request K on PORT, seq = the server's RCV.NXT + OFFSET.  Leaves
# $TMP/NAME.pcap and its tcpdump report, as capture_once does.
INJECT=scripts/fixture-peers/inject-rst.py
INJECT_PORT=42501
INJECT_PLAN="42501:3:1073741824 42501:5:1000 42502:3:0"
injected_rst_once() { # NAME.pcap
    local name=$1 pcap="$TMP/$1" ipid spid cpid i
    [[ -f $INJECT ]] || die "missing $INJECT"
    rm -f "$pcap" "$pcap".* "$TMP"/server.* "$TMP"/client.* "$TMP"/tcpdump.* "$TMP"/inject.*
    topo_up
    # shellcheck disable=SC2086
    ip netns exec "$NM" python3 "$INJECT" vc vs $INJECT_PLAN >"$TMP/inject.out" 2>"$TMP/inject.err" &
    PIDS+=($!); ipid=$!
    wait_for "$TMP/inject.out" sniffing "the injector to start"
    tcpdump_start "$NS" eth0 "$pcap"
    sleep 0.3
    ip netns exec "$NS" python3 "$CPEER" server injectrst "$S4" "$PORT" \
        >"$TMP/server.out" 2>"$TMP/server.err" &
    PIDS+=($!); spid=$!
    wait_for "$TMP/server.out" listening "the server to listen"
    timeout 60 ip netns exec "$NC" python3 "$CPEER" client injectrst "$C4" "$INJECT_PORT" "$S4" "$PORT" \
        >"$TMP/client.out" 2>"$TMP/client.err" &
    PIDS+=($!); cpid=$!
    wait "$cpid" || { cat "$TMP/client.err" >&2; die "$name: client failed"; }
    wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    for i in $(seq 20); do kill -0 "$ipid" 2>/dev/null || break; sleep 0.1; done
    wait "$ipid" || { cat "$TMP/inject.out" "$TMP/inject.err" >&2; die "$name: the injector did not send every RST"; }
    sleep 0.3
    tcpdump_stop
    cp "$TMP/tcpdump.err" "$TMP/$name.tcpdump.err"
    PIDS=()
    topo_down
    [[ -s $pcap ]] || die "$name: empty capture"
}

# capture_once NAME.pcap: one run; leaves $TMP/NAME.pcap (+ $TMP/NAME.other-side.pcap) and the
# tcpdump reports $TMP/NAME.tcpdump.err (+ .other.tcpdump.err), the nft
# counters in $TMP/NAME.nft.
capture_once() {
    if [[ $1 == relay-copies.pcap ]]; then relay_copies_once "$1"; return; fi
    if [[ $1 == injected-rst.pcap ]]; then injected_rst_once "$1"; return; fi
    local name=$1 pcap="$TMP/$1" scen arg capns otherns="" t0 cport
    rm -f "$pcap" "$pcap".* "$TMP/${name%.pcap}.other-side.pcap" "$TMP"/server.* "$TMP"/client.* "$TMP"/tcpdump.*
    topo_up
    case $name in
        simultaneous-close.pcap)
            scen=simclose; capns=server; cport=42001
            relay_up
            ;;
        loss-after-capture.pcap)
            scen=bulk; arg=$BULK_BLOCKS; capns=server; otherns=client; cport=42101
            tune_bulk
            # shellcheck disable=SC2086
            nft_in "$NM" <<<"$(drop_blocks bridge forward $AFTER_BLOCKS)"
            ;;
        loss-before-capture.pcap)
            scen=bulk; arg=$BULK_BLOCKS; capns=client; otherns=server; cport=42201
            tune_bulk
            # shellcheck disable=SC2086
            nft_in "$NM" <<<"$(drop_blocks bridge forward $BEFORE_BLOCKS)"
            ;;
        port-reuse-after-rst.pcap)
            scen=portreuse; arg=20; capns=server; cport=42301
            port_reuse_up
            ;;
        *) die "unknown capture $name" ;;
    esac
    local otpid=""
    if [[ -n $otherns ]]; then
        tcpdump_start "$(ns_of "$otherns")" eth0 "$TMP/${name%.pcap}.other-side.pcap" -s 128
        otpid=$TPID; mv "$TMP/tcpdump.err" "$TMP/other.tcpdump.err"
    fi
    tcpdump_start "$(ns_of "$capns")" eth0 "$pcap"
    sleep 0.3
    if [[ $scen == simclose ]]; then
        t0=$(python3 -c 'import time; print("%.6f" % (time.monotonic() + 1.5))')
        arg=$t0
    fi
    ip netns exec "$NS" python3 "$CPEER" server "$scen" "$S4" "$PORT" "$arg" \
        >"$TMP/server.out" 2>"$TMP/server.err" &
    PIDS+=($!); local spid=$!
    wait_for "$TMP/server.out" listening "the server to listen"
    timeout 60 ip netns exec "$NC" python3 "$CPEER" client "$scen" "$C4" "$cport" "$S4" "$PORT" "$arg" \
        >"$TMP/client.out" 2>"$TMP/client.err" &
    PIDS+=($!); local cpid=$!
    wait "$cpid" || { cat "$TMP/client.err" >&2; die "$name: client failed"; }
    wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    sleep 0.3
    tcpdump_stop
    cp "$TMP/tcpdump.err" "$TMP/$name.tcpdump.err"
    if [[ -n $otpid ]]; then
        kill -INT "$otpid"; wait "$otpid" || true
        cp "$TMP/other.tcpdump.err" "$TMP/$name.other.tcpdump.err"
    fi
    if [[ $scen == bulk ]]; then
        ip netns exec "$NM" nft list table bridge drops >"$TMP/$name.nft"
    fi
    PIDS=()
    topo_down
    [[ -s $pcap ]] || die "$name: empty capture"
}

declare -A MADE
MADE[simultaneous-close.pcap]="12 connections, one after the other, each a request (42 bytes) and a response (96 bytes), then both peers close at the same moment (the server 10 ms before the client) while the switch relays every frame 20 ms late, so the FINs cross; captured on the server."
MADE[loss-after-capture.pcap]="Bulk transfer server to client (400 MSS-sized segments, 579,200 bytes, SACK on); the first copy of 50 chosen segments dropped in the switch, after the capture point; captured on the server (the sender)."
MADE[port-reuse-after-rst.pcap]="Three pairs of connections, each pair from one fixed client port (SO_REUSEADDR), each connection a request (42 bytes) and a response (96 bytes): 42301 aborted by the client with RST (SO_LINGER {1,0}), then the same port again 20 s later; 42302 closed by the server first, then the same port again 2.5 s later while the server is in TIME_WAIT; 42303 closed by the client first, then the same port again 2.5 s later while the client is in TIME_WAIT (tcp_tw_reuse=1); captured on the server."
MADE[relay-copies.pcap]="Bulk transfer server to client (200 MSS-sized segments, 289,600 bytes) through the switch namespace, which relays every frame 20 ms late; captured on both ports of the relay (tcpdump on each, merged by time), so every packet is in the capture twice, 20 ms apart; the server closes first with shutdown(), the client after reading everything."
MADE[injected-rst.pcap]="Three connections from client ports 42501-42503, each a series of requests (100 bytes) answered by responses (60 bytes), 0.2 s apart; a raw-socket script in the switch forges RST+ACKs in the client's name (IPv4 ID 0xdead, TTL 255, no DF, no options) with seq from the live connection: in 42501 one out of the server's window (RCV.NXT + 2^30) and one in it (RCV.NXT + 1000), after which the client keeps sending and closes with FIN; in 42502 one with seq exactly RCV.NXT, after which the client's next request gets the server's RST; 42503 ends with the client's own RST (SO_LINGER {1,0}); captured on the server."
MADE[loss-before-capture.pcap]="Bulk transfer server to client (400 MSS-sized segments, 579,200 bytes, SACK on); the first copy of 40 chosen segments dropped in the switch, before the capture point; captured on the client (the receiver)."

lost_ok() { # name: tcpdump(s) lost nothing
    local f
    for f in "$TMP/$1.tcpdump.err" "$TMP/$1.other.tcpdump.err"; do
        [[ -f $f ]] || continue
        grep -q "^0 packets dropped by kernel" "$f" || { echo "tcpdump lost packets: $(grep dropped "$f" | tr '\n' ' ')"; return 1; }
    done
}

FAILED=""
capture() { # name
    local name=$1 try case=${1%.pcap} other=() drops
    for ((try = 1; try <= TRIES; try++)); do
        capture_once "$name"
        other=(); [[ -f $TMP/$case.other-side.pcap ]] && other=(--other "$TMP/$case.other-side.pcap")
        drops=""
        case $case in
            loss-after-capture) drops=$AFTER_BLOCKS ;;
            loss-before-capture) drops=$BEFORE_BLOCKS ;;
        esac
        tshark_json "$TMP/$name" "${MADE[$name]}" >"$TMP/$name.tshark.json"
        if ! lost_ok "$name" >"$TMP/why" || ! python3 "$FACTS" "$case" "$TMP/$name" "${other[@]}" \
                --tshark "$TMP/$name.tshark.json" --dropped "$(norm "$drops")" --nft "$TMP/$name.nft" \
                >"$TMP/$name.facts.txt" 2>>"$TMP/why"; then
            echo "$name: attempt $try: $(tr '\n' ' ' <"$TMP/why")" >&2
            if [[ -n ${KEEP:-} ]]; then cp "$TMP/$name" "$KEEP/$name.attempt$try"; fi
            continue
        fi
        mkdir -p "$OUT"
        cp "$TMP/$name" "$OUT/$name"
        cp "$TMP/$name.tshark.json" "$OUT/$name.tshark.json"
        cp "$TMP/$name.facts.txt" "$OUT/$name.facts.txt"
        if [[ -n ${other[*]} ]]; then cp "$TMP/$case.other-side.pcap" "$OUT/"; fi
        echo "made $OUT/$name ($(tshark -r "$OUT/$name" 2>/dev/null | wc -l) packets; $(flag_counts "$OUT/$name.tshark.json"))"
        return 0
    done
    echo "$name: not made (the files in $OUT are unchanged)" >&2
    FAILED+=" $name"
}

ALL="simultaneous-close loss-after-capture loss-before-capture port-reuse-after-rst relay-copies injected-rst"
make_selected "$ALL" "$@"

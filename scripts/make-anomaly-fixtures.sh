#!/usr/bin/env bash
# Make the anomaly captures in fixtures/anomalies/ from real TCP traffic.
#
# Usage (as root, from anywhere; paths are relative to the repo root):
#     sudo scripts/make-anomaly-fixtures.sh                 # all captures
#     sudo scripts/make-anomaly-fixtures.sh keepalive ...   # only the ones named
#
# Same topology as make-fixtures.sh (scripts/fixture-lib.sh): client, switch
# (bridge) and server namespaces, rebuilt for every capture, offloads off.
# Packets are dropped with nftables, either in the switch (bridge family,
# forward hook) or in the client's IPv4 input hook, by rules that match one
# chosen packet (a data segment by the block marker the server writes at the
# start of every MSS-sized block, or the first SYN, SYN-ACK or FIN by its
# flags) and let later copies through (a byte quota), so the drops are the
# same on every run.  The peers are scripts/fixture-peers/anomaly-peer.py.
#
# For every capture NAME this writes fixtures/anomalies/NAME.pcap and
# NAME.pcap.tshark.json (the tcp.analysis flags tshark sets per frame).  The
# hand-written NAME.pcap.expected.json next to them was derived from the
# packet sequence in WANT[NAME] below (direction, flags and payload length of
# every frame; in the bulk transfers only the number of the data and ACK
# frames between handshake and close is fixed).  A new capture must fit that
# sequence, show the tshark flags in MUST[NAME] and have lost no packets in
# tcpdump, else it is made again (up to $TRIES times, default 5).  A capture
# that still does not fit is not written (its old files stay as they are),
# and the script ends with an error after trying the others.
#
# Timing-dependent choices (see fixtures/anomalies/README.md): the peers use
# CUBIC; the bulk and slow-reader receivers ack every segment at once (route
# option quickack), so no delayed-ACK timer decides the packet order.
#
# Needs: root, iproute2, ethtool, nft, tcpdump, tshark, python3.
set -euo pipefail

cd "$(dirname "$0")/.."
PROG=make-anomaly-fixtures
PEER=scripts/fixture-peers/peer.py
APEER=scripts/fixture-peers/anomaly-peer.py
OUT=fixtures/anomalies
TOOLS="ip ethtool nft tcpdump tshark python3 timeout mkfifo"
TRIES=${TRIES:-5}
# die, root and tool checks, $TMP, the namespace topology (topo_up, topo_down,
# cleanup on exit), wait_for, tcpdump_start/stop, signature, ports, norm;
# block, drop_blocks, nft_in, tshark_json, flag_counts
. scripts/fixture-lib.sh
[[ -f $APEER ]] || die "missing $APEER"

# ------------------------------------------------------------------ helpers

# The bulk receiver gets a large buffer, so the 300 KB fit without reading,
# and acks every segment at once (route option quickack: no delayed-ACK
# timer, whose firing would make the packet order depend on timing); the bulk
# sender gets a large send buffer, so sendall() copies it all at once and
# every segment is one whole block.  (The peers set CUBIC on their sockets.)
tune() { # kind
    [[ $1 == plain ]] || ip -n "$NC" route add "$S4/32" dev eth0 quickack 1
    if [[ $1 == bulk ]]; then
        ip netns exec "$NC" sysctl -qw net.ipv4.tcp_rmem="4096 2097152 8388608"
        ip netns exec "$NS" sysctl -qw net.ipv4.tcp_wmem="4096 1048576 4194304"
    fi
}

# A rule dropping only the first packet that matches MATCH (in the switch).
drop_first() { # match
    echo "table bridge drops {"
    echo "  chain c { type filter hook forward priority 0; policy accept;"
    echo "    $1 quota until 100 bytes counter drop"
    echo "  }"
    echo "}"
}

# ------------------------------------------------------------------ captures
#
# Each capture is described by variables set in conf_NAME:
#   SCEN     the peer scenario           CPORT  the client port
#   CAPNS    where tcpdump runs: client, server or switch
#   CAPIF    the interface tcpdump captures on (eth0; "any" in the switch)
#   KIND     plain, quickack or bulk (see tune)
#   RULES    nftables rules (or empty)
#   RULENS   where RULES go: switch or client
#   SYNCS    the client's sync points; at each, hook_NAME_TAG runs (if defined)
#   LATE     1: tcpdump starts at the first sync point, not before the client
#   SETUP    extra commands run after topo_up
#   MADE     one sentence for the tshark.json file

conf_defaults() {
    SCEN=client-close; CPORT=0; CAPNS=client; KIND=plain; RULES=""; RULENS=switch
    SYNCS=""; LATE=0; SETUP=":"; MADE=""; TDOPTS=""; CAPIF=eth0
}

LOSS_BLOCKS="40 100 101 160"

conf_loss_switch() {
    SCEN=bulk; CPORT=41001; KIND=bulk
    RULES=$(drop_blocks bridge forward $LOSS_BLOCKS)
    MADE="Bulk transfer server to client (210 MSS-sized segments, SACK on); the first copy of the segments carrying blocks $LOSS_BLOCKS dropped in the switch; captured on the client."
}
conf_loss_switch_sender() {
    conf_loss_switch; CPORT=41002; CAPNS=server
    MADE="Bulk transfer server to client (210 MSS-sized segments, SACK on); the first copy of the segments carrying blocks $LOSS_BLOCKS dropped in the switch; captured on the server (the sender)."
}
conf_loss_receiver_input() {
    SCEN=bulk; CPORT=41003; KIND=bulk; RULENS=client
    RULES=$(drop_blocks ip input $LOSS_BLOCKS)
    MADE="Bulk transfer server to client (210 MSS-sized segments, SACK on); the first copy of the segments carrying blocks $LOSS_BLOCKS dropped by nftables in the client's input hook, after tcpdump saw them; captured on the client."
}
conf_ack_loss_spurious() {
    SCEN=ack-loss; CPORT=41004; SYNCS="established received"
    MADE="The server sends 10 segments; every pure ACK from the client is dropped in the switch from before the request until 0.4 s after the client has read all data, so the server retransmits data the client already has; captured on the client."
}
hook_ack_loss_spurious_established() {
    nft_in "$NM" <<EOF
table bridge drops {
  chain c { type filter hook forward priority 0; policy accept;
    ip saddr $C4 tcp dport $PORT tcp flags & (fin|syn|rst|psh) == 0 counter drop
  }
}
EOF
}
hook_ack_loss_spurious_received() {
    sleep 0.4
    ip netns exec "$NM" nft delete table bridge drops
}
conf_syn_retransmission() {
    CPORT=41005
    RULES=$(drop_first "ip saddr $C4 tcp dport $PORT tcp flags & (syn|ack) == syn")
    MADE="HTTP-like exchange, client closes first; the client's first SYN dropped in the switch; captured on the client."
}
conf_synack_retransmission() {
    CPORT=41006
    RULES=$(drop_first "ip saddr $S4 tcp sport $PORT tcp flags & (syn|ack) == syn|ack")
    MADE="HTTP-like exchange, client closes first; the server's first SYN-ACK dropped in the switch; captured on the client."
}
conf_zero_window() {
    SCEN=slow-read; CPORT=41007; KIND=quickack
    SETUP='ip netns exec "$NC" sysctl -qw net.ipv4.tcp_window_scaling=0'
    MADE="The client (SO_RCVBUF 65536, window scaling off, ACK for every segment) reads nothing for 2 s while the server sends 200 KiB, then reads 16 KiB every 50 ms; captured on the client."
}
conf_keepalive() {
    SCEN=keepalive; CPORT=41008
    MADE="HTTP-like exchange, then 3.5 s idle with SO_KEEPALIVE, TCP_KEEPIDLE 1 s and TCP_KEEPINTVL 1 s on the client, then the client closes; captured on the client."
}
conf_midstream() {
    SCEN=midstream; CPORT=41009; SYNCS="exchanged"; LATE=1
    MADE="Two request/response rounds; tcpdump started on the client after the first round, so the capture starts mid-connection; the client closes first."
}
conf_checksum_offload() {
    CPORT=41010; CAPNS=server
    SETUP='ip netns exec "$NS" ethtool -K eth0 tx on >/dev/null'
    MADE="HTTP-like exchange, client closes first; captured on the server with TX checksum offload on on its veth, so its outgoing frames carry partial checksums."
}
conf_tso_oversized() {
    SCEN=bulk; CPORT=41011; KIND=bulk; CAPNS=server
    SETUP='ip netns exec "$NS" ethtool -K eth0 tx on sg on tso on gso on >/dev/null'
    TDOPTS="-B 65536"
    MADE="Bulk transfer server to client (304,080 bytes); captured on the server with TSO/GSO and TX checksum offload on on its veth, so the capture holds multi-segment frames larger than the MSS with partial checksums."
}
conf_fin_retransmission() {
    CPORT=41012
    RULES=$(drop_first "ip saddr $C4 tcp dport $PORT tcp flags & fin == fin")
    MADE="HTTP-like exchange, client closes first; the client's first FIN dropped in the switch; captured on the client."
}
conf_rst_in_window() {
    SCEN=rst-inject; CPORT=41013
    MADE="HTTP-like exchange; then a RST+ACK crafted with a raw socket in the client namespace, seq 1000 above what the server expects (in its window, not exact), which the server answers with a challenge ACK; then the client aborts with SO_LINGER {1, 0}; captured on the client."
}
conf_capture_duplicate() {
    CPORT=41014; CAPNS=switch; CAPIF=any
    MADE="HTTP-like exchange, client closes first; captured in the switch namespace on -i any, so every packet is recorded twice: as it enters the bridge by one veth and as it leaves by the other."
}

capture_once() { # name
    local name=$1 base=${1%.pcap} pcap="$TMP/$1" fn tag hook
    fn=${base//-/_}
    conf_defaults; "conf_$fn"
    topo_up
    tune "$KIND"
    eval "$SETUP"
    if [[ -n $RULES ]]; then
        if [[ $RULENS == client ]]; then nft_in "$NC" <<<"$RULES"; else nft_in "$NM" <<<"$RULES"; fi
    fi
    rm -f "$pcap" "$TMP"/server.* "$TMP"/client.* "$TMP"/tcpdump.*
    ip netns exec "$NS" python3 "$APEER" server "$SCEN" "$S4" "$PORT" \
        >"$TMP/server.out" 2>"$TMP/server.err" &
    PIDS+=($!); local spid=$!
    wait_for "$TMP/server.out" listening "the server to listen"
    local capns=$NC
    [[ $CAPNS == server ]] && capns=$NS
    [[ $CAPNS == switch ]] && capns=$NM
    (( LATE )) || { tcpdump_start "$capns" "$CAPIF" "$pcap" $TDOPTS; sleep 0.3; }
    mkfifo "$TMP/client.in"
    timeout 30 ip netns exec "$NC" python3 "$APEER" client "$SCEN" "$C4" "$CPORT" "$S4" "$PORT" \
        <"$TMP/client.in" >"$TMP/client.out" 2>"$TMP/client.err" &
    PIDS+=($!); local cpid=$!
    exec 7>"$TMP/client.in"
    for tag in $SYNCS; do
        wait_for "$TMP/client.out" "^$tag\$" "the client to reach '$tag'"
        if (( LATE )) && [[ $tag == "${SYNCS%% *}" ]]; then tcpdump_start "$capns" "$CAPIF" "$pcap" $TDOPTS; sleep 0.3; fi
        hook="hook_${fn}_$tag"
        if declare -F "$hook" >/dev/null; then "$hook"; fi
        echo go >&7
    done
    wait "$cpid" || { cat "$TMP/client.err" >&2; die "$name: client failed"; }
    exec 7>&-
    wait "$spid" || { cat "$TMP/server.err" >&2; die "$name: server failed"; }
    sleep 0.3
    tcpdump_stop
    cp "$TMP/tcpdump.err" "$TMP/$name.tcpdump.err"
    PIDS=()
    topo_down
    [[ -s $pcap ]] || die "$name: empty capture"
}

# ------------------------------------------------------ reference sequences
# One token per frame: srcport>dstport:flags:payload-length, as in
# make-fixtures.sh but without the PSH flag (where Linux sets PSH in a bulk
# transfer depends on how fast the sender's copy runs).  A token "...N" stands
# for N frames that are plain data or ACK segments (no SYN, FIN or RST) whose
# order and sizes may differ between runs: in the bulk transfers the
# interleaving of data and ACKs at the capture point varies, while the number
# of frames, the handshake and the close do not.  The expected files depend
# only on the latter.
#
# MUST[NAME] lists tshark flags that must occur at least once ("!flag": must
# not occur); "oversized" means a frame with more TCP payload than the MSS.
declare -A WANT MUST
HS="{c}>{s}:S:0 {s}>{c}:SA:0 {c}>{s}:A:0"                    # handshake
EX="{c}>{s}:A:42 {s}>{c}:A:0 {s}>{c}:A:96 {c}>{s}:A:0"       # request, response
CLIENT_CLOSE="{c}>{s}:FA:0 {s}>{c}:A:0 {s}>{c}:FA:0 {c}>{s}:A:0"
rep() { local i out=""; for ((i = 0; i < $1; i++)); do out+=" $2"; done; echo "$out"; } # rep N TOKENS
twice() { local t out=""; for t in $1; do out+=" $t $t"; done; echo "$out"; } # twice TOKENS: each token doubled
REQ="{c}>{s}:A:42 {s}>{c}:A:0"                                # request, its ACK
WANT[loss-switch.pcap]=$(ports 41001 8080 "$HS $REQ ...420 $CLIENT_CLOSE")
WANT[loss-switch-sender.pcap]=$(ports 41002 8080 "$HS $REQ ...424 $CLIENT_CLOSE")
WANT[loss-receiver-input.pcap]=$(ports 41003 8080 "$HS $REQ ...424 $CLIENT_CLOSE")
WANT[ack-loss-spurious.pcap]=$(ports 41004 8080 "$HS $REQ $(rep 12 "{s}>{c}:A:1448 {c}>{s}:A:0") $CLIENT_CLOSE")
WANT[syn-retransmission.pcap]=$(ports 41005 8080 "{c}>{s}:S:0 $HS $EX $CLIENT_CLOSE")
WANT[synack-retransmission.pcap]=$(ports 41006 8080 "{c}>{s}:S:0 $HS {s}>{c}:SA:0 {c}>{s}:A:0 $EX $CLIENT_CLOSE")
WANT[zero-window.pcap]=$(ports 41007 8080 "$HS $REQ ...261 $CLIENT_CLOSE")
WANT[keepalive.pcap]=$(ports 41008 8080 "$HS $EX $(rep 3 "{c}>{s}:A:0 {s}>{c}:A:0") $CLIENT_CLOSE")
WANT[midstream.pcap]=$(ports 41009 8080 "$EX $CLIENT_CLOSE")
WANT[checksum-offload.pcap]=$(ports 41010 8080 "$HS $EX $CLIENT_CLOSE")
WANT[tso-oversized.pcap]=$(ports 41011 8080 "$HS $REQ ...232 $CLIENT_CLOSE")
WANT[fin-retransmission.pcap]=$(ports 41012 8080 "$HS $EX {c}>{s}:FA:0 $CLIENT_CLOSE")
WANT[capture-duplicate.pcap]=$(ports 41014 8080 "$(twice "$HS $EX $CLIENT_CLOSE")")
WANT[rst-in-window.pcap]=$(ports 41013 8080 "$HS $EX {c}>{s}:RA:0 {s}>{c}:A:0 {c}>{s}:RA:0")
MUST[loss-switch.pcap]="lost_segment duplicate_ack fast_retransmission"
MUST[loss-switch-sender.pcap]="duplicate_ack fast_retransmission !lost_segment"
MUST[loss-receiver-input.pcap]="duplicate_ack fast_retransmission !lost_segment"
MUST[ack-loss-spurious.pcap]="spurious_retransmission"
MUST[syn-retransmission.pcap]="retransmission"
MUST[synack-retransmission.pcap]="retransmission"
MUST[zero-window.pcap]="zero_window keep_alive window_update window_full"
MUST[keepalive.pcap]="keep_alive keep_alive_ack"
MUST[midstream.pcap]="!lost_segment !ack_lost_segment"
MUST[checksum-offload.pcap]="checksum_bad"
MUST[tso-oversized.pcap]="checksum_bad oversized"
MUST[fin-retransmission.pcap]="retransmission"
MUST[rst-in-window.pcap]="duplicate_ack"
MUST[capture-duplicate.pcap]="retransmission"

sig_nopush() { signature "$1" | sed 's/:\([SFRA]*\)P\([SFRA]*\):/:\1\2:/g'; }

# sig_match GOT WANT: exit 0 if the signature GOT fits the reference WANT.
sig_match() {
    python3 -c '
import re, sys
got, want = sys.argv[1].split(), sys.argv[2].split()
i = 0
for w in want:
    m = re.fullmatch(r"\.\.\.(\d+)", w)
    if m:
        part = got[i:i + int(m.group(1))]
        if len(part) < int(m.group(1)) or any(re.search("[SFR]", t.split(":")[1]) for t in part):
            sys.exit(1)
        i += len(part)
    elif i < len(got) and got[i] == w:
        i += 1
    else:
        sys.exit(1)
sys.exit(0 if i == len(got) else 1)
' "$1" "$2"
}

# must_check PCAP JSON LIST: print what of LIST is not so (nothing if all is).
must_check() {
    local pcap=$1 json=$2 item flag have
    for item in $3; do
        flag=${item#!}
        if [[ $flag == oversized ]]; then
            have=$(tshark -r "$pcap" -Y "tcp.len > $MSS" 2>/dev/null | wc -l)
        else
            have=$(grep -c "\"$flag[\"=]" "$json" || true)
        fi
        if [[ $item == !* ]]; then
            (( have == 0 )) || echo "unwanted $flag"
        else
            (( have > 0 )) || echo "no $flag"
        fi
    done
}
MSS=1448

FAILED=""
capture() { # name
    local name=$1 try sig want miss
    want=$(norm "${WANT[$name]}")
    for ((try = 1; try <= TRIES; try++)); do
        capture_once "$name"
        sig=$(sig_nopush "$TMP/$name")
        tshark_json "$TMP/$name" "$MADE" >"$TMP/$name.tshark.json"
        miss=$(must_check "$TMP/$name" "$TMP/$name.tshark.json" "${MUST[$name]}")
        if ! grep -q "^0 packets dropped by kernel" "$TMP/$name.tcpdump.err"; then
            echo "$name: attempt $try: tcpdump lost packets: $(grep dropped "$TMP/$name.tcpdump.err" | tr '\n' ' ')" >&2
        elif ! sig_match "$sig" "$want"; then
            echo "$name: attempt $try: packet sequence differs from the reference:" >&2
            echo "  got:  $sig" >&2
            echo "  want: $want" >&2
        elif [[ -n $miss ]]; then
            echo "$name: attempt $try: tshark flags: $(echo $miss)" >&2
        else
            mkdir -p "$OUT"
            cp "$TMP/$name" "$OUT/$name"
            cp "$TMP/$name.tshark.json" "$OUT/$name.tshark.json"
            echo "made $OUT/$name ($(tshark -r "$OUT/$name" 2>/dev/null | wc -l) packets; $(flag_counts "$OUT/$name.tshark.json"))"
            return 0
        fi
    done
    echo "$name: not made (the files in $OUT are unchanged)" >&2
    FAILED+=" $name"
}

ALL="loss-switch loss-switch-sender loss-receiver-input ack-loss-spurious syn-retransmission
     synack-retransmission zero-window keepalive midstream checksum-offload tso-oversized
     fin-retransmission rst-in-window capture-duplicate"
ALL=$(norm "$ALL")
make_selected "$ALL" "$@"

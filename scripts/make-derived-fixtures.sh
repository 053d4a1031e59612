#!/usr/bin/env bash
# Captures derived from the real ones in fixtures/ by cutting packets out with editcap: for
# cases where what a capture misses is the point (a capture filter, a busy SPAN port).
#
# Usage (as root, like the other fixture scripts): sudo scripts/make-derived-fixtures.sh
#
# capture-missed-data.pcap: fixtures/anomalies/loss-switch.pcap without ten consecutive data
# segments of the server (its frames 150, 152, … 168): the client's ACKs of them stay, so
# each acknowledges bytes the capture never shows.
#
# Needs: editcap and tshark (Wireshark), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
PROG=make-derived-fixtures
PEER=scripts/fixture-peers/peer.py
TOOLS="editcap tshark python3"
. scripts/fixture-lib.sh

out=fixtures/cases/capture-missed-data.pcap
editcap -F pcap fixtures/anomalies/loss-switch.pcap "$out" $(seq 150 2 168)
tshark_json "$out" "fixtures/anomalies/loss-switch.pcap without the server's data frames 150, 152, ... 168 (editcap): the client's ACKs of those ten segments stay in the capture." >"$out.tshark.json"
echo "$PROG: wrote $out and its tshark verdict"

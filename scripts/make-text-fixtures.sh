#!/usr/bin/env bash
# Render every capture in fixtures/ as tcpdump text, in the forms users save or paste:
#
#     scripts/make-text-fixtures.sh
#
# writes fixtures/text/<capture>.<variant>.txt, e.g. http-client-close.pcap.num-tt.txt:
#
#   n       tcpdump -n            relative numbers, time of day
#   S       tcpdump -n -S         absolute numbers
#   v       tcpdump -n -v         two-line packets (IPv4 header, then the TCP line), checksums
#   tttt    tcpdump -n -tttt      date and time
#   e       tcpdump -n -e         link-layer prefix (MAC addresses, ethertype)
#   num-tt  tcpdump -# -n -tt     packet numbers, epoch seconds
#   nano    tcpdump -n --nano     nanosecond stamps (the nanosecond capture only)
#
# any-sll2.pcap gives the -i any forms (interface and direction before the IP keyword; the
# interface name is looked up on the machine that prints, so it may differ elsewhere).
# tcpdump's stderr line ("reading from file ...") is kept, as in `tcpdump ... > x.txt 2>&1`.
# TZ=UTC, so -tttt prints UTC, which is how tcptrace-explain reads it.
#
# The equivalence test (test/text/equivalence.test.ts) checks that each text gives the
# same report as its capture. Made with tcpdump 4.99.3; other versions print slightly
# differently (see the spec, tcpdump-text.md §8), so re-render only with that version.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=fixtures/text
WANT_VERSION=4.99.3

command -v tcpdump >/dev/null || { echo "make-text-fixtures: tcpdump is not installed" >&2; exit 1; }
version=$(tcpdump --version 2>&1 | sed -n 's/^tcpdump version \([^ ]*\).*/\1/p')
if [[ $version != "$WANT_VERSION" ]]; then
    echo "make-text-fixtures: tcpdump $version is installed; the committed texts were made with $WANT_VERSION" >&2
fi

VARIANTS=(
    "n|-n"
    "S|-n -S"
    "v|-n -v"
    "tttt|-n -tttt"
    "e|-n -e"
    "num-tt|-# -n -tt"
)

mkdir -p "$OUT"
export TZ=UTC
count=0
for capture in fixtures/*.pcap fixtures/*.pcapng; do
    base=$(basename "$capture")
    variants=("${VARIANTS[@]}")
    [[ $base == *-ns.pcap ]] && variants+=("nano|-n --nano")
    for variant in "${variants[@]}"; do
        name=${variant%%|*}
        read -r -a options <<<"${variant#*|}"
        tcpdump "${options[@]}" -r "$capture" >"$OUT/$base.$name.txt" 2>&1
        count=$((count + 1))
    done
done
echo "make-text-fixtures: $count texts in $OUT/"

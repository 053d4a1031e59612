// Why a printed packet did not become a Segment: the keys of SourceStats.skipReasons.
// Those the capture reader has too are shared, so both inputs report alike.

export { SKIP_BAD_TCP, SKIP_IPV4_FRAGMENT, SKIP_NOT_TCP, SKIP_TRUNCATED } from '../capture/skip.js';

export const SKIP_QUIET = 'tcpdump -q line (no flags or numbers)';
export const SKIP_UNPARSABLE = 'unreadable TCP line';
export const SKIP_UNKNOWN_SERVICE = 'port printed as an unknown service name';

// Why a packet record did not become a Segment: the keys of SourceStats.skipReasons.
// Few and stable: they appear in the JSON report.

export const SKIP_NOT_IP = 'not IP';
export const SKIP_NOT_TCP = 'not TCP';
export const SKIP_IPV4_FRAGMENT = 'IPv4 non-first fragment';
export const SKIP_IPV6_FRAGMENT = 'IPv6 non-first fragment';
export const SKIP_TRUNCATED = 'truncated before TCP header';
export const SKIP_BAD_IP = 'bad IP header';
export const SKIP_BAD_TCP = 'bad TCP header';

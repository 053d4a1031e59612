// Without -n tcpdump prints a TCP port as the first name the printing machine's services
// database has for it (addrtoname.c tcpport_string()). The names below are the common ones
// (Debian's /etc/services, plus the BSD/macOS names that differ; spec §2).

const SERVICE_PORTS: ReadonlyMap<string, number> = new Map([
  ['ftp-data', 20],
  ['ftp', 21],
  ['ssh', 22],
  ['telnet', 23],
  ['smtp', 25],
  ['domain', 53],
  ['http', 80],
  ['www', 80],
  ['www-http', 80],
  ['kerberos', 88],
  ['pop3', 110],
  ['sunrpc', 111],
  ['epmap', 135],
  ['netbios-ssn', 139],
  ['imap2', 143],
  ['imap', 143],
  ['bgp', 179],
  ['ldap', 389],
  ['https', 443],
  ['microsoft-ds', 445],
  ['submissions', 465],
  ['urd', 465],
  ['submission', 587],
  ['ipp', 631],
  ['ldaps', 636],
  ['imaps', 993],
  ['pop3s', 995],
  ['socks', 1080],
  ['ms-sql-s', 1433],
  ['pptp', 1723],
  ['nfs', 2049],
  ['mysql', 3306],
  ['ms-wbt-server', 3389],
  ['postgresql', 5432],
  ['amqp', 5672],
  ['rfb', 5900],
  ['x11', 6000],
  ['redis', 6379],
  ['irdmi', 8000],
  ['http-alt', 8080],
  ['cslistener', 9000],
]);

/** The port of a service name tcpdump may print, or undefined. */
export function servicePort(name: string): number | undefined {
  return SERVICE_PORTS.get(name.toLowerCase());
}

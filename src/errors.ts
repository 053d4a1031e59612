/**
 * Input that cannot be read or is damaged. `where` says where: "byte 1234" or "line 17".
 * Exit 2 with one line naming the input and the place.
 */
export class InputError extends Error {
  override name = 'InputError';
  readonly input: string;
  readonly where: string | undefined;
  constructor(input: string, message: string, where?: string) {
    super(message);
    this.input = input;
    this.where = where;
  }

  /** "capture.pcap: byte 1234: record length 4294967295 exceeds ..." */
  line(): string {
    return this.where === undefined
      ? `${this.input}: ${this.message}`
      : `${this.input}: ${this.where}: ${this.message}`;
  }
}

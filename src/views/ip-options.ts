/**
 * The global options of `ip` (ip/ip.c main()) that change what the simulated views print.
 */
export interface IpOptions {
  /** `-4` / `-f inet` (4), `-6` / `-f inet6` (6), `-0` / `-f link` ("link"), or none. */
  readonly family: 4 | 6 | "link" | undefined;
  /** `-br` / `-brief`. */
  readonly brief: boolean;
  /** `-o` / `-oneline`: records on one line, inner newlines printed as `\`. */
  readonly oneline: boolean;
}

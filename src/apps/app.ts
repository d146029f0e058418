/**
 * What a simulated command-line tool is: a function started with its argv on one host, writing
 * to stdout/stderr and finishing with an exit code — possibly much later in virtual time (ping
 * waits for replies, curl for its connection). Tools never touch packets directly; they use the
 * socket layer (sock/) like real programs do.
 */
import type { Netns } from "../netns/netns.js";
import type { World } from "../sim/world.js";

export interface AppIo {
  readonly world: World;
  readonly ns: Netns;
  /** Standard input (from `echo … |` in the command line), empty otherwise. */
  readonly stdin: string;
  out(text: string): void;
  err(text: string): void;
  /** Ends the tool; later calls are ignored. */
  exit(code: number): void;
  readonly exited: boolean;
}

export type App = (argv: readonly string[], io: AppIo) => void;

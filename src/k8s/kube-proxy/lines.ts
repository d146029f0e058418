/**
 * The four buffers kube-proxy fills during a sync and concatenates into one iptables-restore
 * input (pkg/proxy/util LineBuffer): filter chain lines, filter rules, nat chain lines, nat rules.
 * A line is its words joined by single spaces; a word may be a list of words (spliced in).
 */

export type Word = string | readonly string[];

export class Lines {
  private readonly lines: string[] = [];

  write(...words: readonly Word[]): void {
    this.lines.push(words.flat().join(" "));
  }

  /** `:NAME - [0:0]`, utiliptables.MakeChainLine. */
  chain(name: string): void {
    this.lines.push(`:${name} - [0:0]`);
  }

  get count(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.map((l) => `${l}\n`).join("");
  }
}

export interface RestoreBuffers {
  readonly filterChains: Lines;
  readonly filterRules: Lines;
  readonly natChains: Lines;
  readonly natRules: Lines;
}

export function restoreBuffers(): RestoreBuffers {
  return { filterChains: new Lines(), filterRules: new Lines(), natChains: new Lines(), natRules: new Lines() };
}

/** Double-quoted, as kube-proxy writes comments that contain spaces (`"<sp> cluster IP"`). */
export const quoted = (text: string): string => `"${text}"`;

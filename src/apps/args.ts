/**
 * Small getopt-style helpers for the simulated tools: each tool declares which short/long
 * options take a value, and unknown options are reported the way the real tool would.
 */
export interface ParsedArgs {
  readonly flags: Map<string, string | true>;
  readonly positional: string[];
  readonly unknown: string[];
}

/** `withValue`: options that take an argument (e.g. ["-c", "-W", "--max-time"]). Short options may be glued (`-c1`). */
export function parseArgs(argv: readonly string[], withValue: readonly string[], known: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (withValue.includes(name)) flags.set(name, eq > 0 ? a.slice(eq + 1) : (argv[++i] ?? ""));
      else if (known.includes(name)) flags.set(name, true);
      else unknown.push(name);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // A cluster of short options: -sS, -nv, -c1.
      for (let j = 1; j < a.length; j++) {
        const name = `-${a[j]}`;
        if (withValue.includes(name)) {
          const rest = a.slice(j + 1);
          flags.set(name, rest.length > 0 ? rest : (argv[++i] ?? ""));
          break;
        }
        if (known.includes(name)) flags.set(name, true);
        else unknown.push(name);
      }
      continue;
    }
    positional.push(a);
  }
  return { flags, positional, unknown };
}

export function num(v: string | true | undefined, fallback: number): number {
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** strerror() text for the errnos the packet path produces. */
export const STRERROR: Readonly<Record<string, string>> = {
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EINVAL: "Invalid argument",
  ECONNRESET: "Connection reset by peer",
  EMSGSIZE: "Message too long",
  ENOPROTOOPT: "Protocol not available",
  EHOSTDOWN: "Host is down",
  ENONET: "Machine is not on the network",
  EOPNOTSUPP: "Operation not supported",
  EPROTO: "Protocol error",
};

export function strerror(errno: string): string {
  return STRERROR[errno] ?? errno;
}

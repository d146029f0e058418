/**
 * The trace as data (DESIGN.md §4, after Batfish's trace → hop → step): every decision the
 * packet path takes is a typed step, and a packet's fate is a typed disposition with a place.
 * Text and JSON are rendered from these values; nothing about a packet lives only in a log line.
 */
export interface Trace {
  readonly id: number;
  /** The packet as it was first sent (tcpdump-style line). */
  readonly packet: string;
  /** What sent it: `ping`, `curl`, `icmp error`, `tcp reset`, `arp` … */
  readonly origin: string;
  /** The trace whose packet caused this one (an ICMP error, an RST, a reply), if any. */
  readonly cause?: number;
  /** The trace this one was copied from when a bridge flooded the frame, if any. */
  readonly forkOf?: number;
  readonly startMs: number;
  readonly hops: Hop[];
  disposition?: Disposition;
}

export interface Hop {
  /** The network namespace (host, pod, gateway) the packet is in. */
  readonly node: string;
  readonly steps: Step[];
}

export type Step =
  | { readonly kind: "send"; readonly app: string; readonly packet: string }
  | { readonly kind: "enter-dev"; readonly dev: string; readonly ms: number; readonly packet: string }
  | { readonly kind: "exit-dev"; readonly dev: string; readonly packet: string }
  | {
      readonly kind: "bridge";
      readonly bridge: string;
      readonly action: "learn" | "fdb-hit" | "flood" | "local" | "hairpin-drop";
      readonly mac: string;
      readonly port?: string;
      readonly ports?: readonly string[];
    }
  | {
      readonly kind: "nf";
      readonly hook: string;
      readonly table: string;
      readonly chain: string;
      readonly rule?: number;
      readonly text?: string;
      readonly verdict: string;
    }
  | {
      /** A `statistic --mode random` test: its probability as iptables-save prints it, and the branch taken. */
      readonly kind: "nf-random";
      readonly table: string;
      readonly chain: string;
      readonly rule: number;
      readonly probability: string;
      readonly taken: boolean;
      readonly how: "sampled" | "pinned" | "scripted";
    }
  | {
      readonly kind: "conntrack";
      readonly hook: string;
      /** new / established / reply / related / invalid / untracked / attached / confirmed / clash. */
      readonly action: string;
      /** The connection as `conntrack -L` shows its original direction. */
      readonly tuple?: string;
      readonly state?: string;
      readonly why?: string;
    }
  | {
      readonly kind: "nat";
      readonly hook: string;
      /** DNAT / SNAT / MASQUERADE / REDIRECT when a rule set the binding; `un-DNAT` / `un-SNAT` for replies; `DNAT (established)` … */
      readonly what: string;
      readonly diffs: readonly { readonly field: string; readonly from: string; readonly to: string }[];
    }
  | {
      readonly kind: "route";
      /** `input` for a received packet (ip_route_input), `output` for a locally sent one. */
      readonly direction: "input" | "output";
      readonly table: string;
      readonly matched: string;
      readonly type: string;
      readonly result: string;
      /** The route as `ip route get` would show the decision. */
      readonly text: string;
    }
  | { readonly kind: "neigh"; readonly dev: string; readonly ip: string; readonly result: "hit" | "incomplete" | "resolved" | "failed"; readonly mac?: string; readonly state?: string }
  | { readonly kind: "vxlan-fdb"; readonly dev: string; readonly mac: string; readonly dst?: string; readonly entry: string }
  | { readonly kind: "encap"; readonly dev: string; readonly vni: number; readonly outer: string }
  | { readonly kind: "encap-bypass"; readonly dev: string; readonly to: string; readonly why: string }
  | { readonly kind: "decap"; readonly dev: string; readonly vni: number }
  | { readonly kind: "ttl"; readonly from: number; readonly to: number }
  | { readonly kind: "icmp-sent"; readonly type: number; readonly code: number; readonly name: string; readonly from: string; readonly to: string; readonly trace?: number }
  | { readonly kind: "icmp-suppressed"; readonly why: string }
  | { readonly kind: "deliver"; readonly to: string }
  | { readonly kind: "note"; readonly text: string };

export type StepKind = Step["kind"];

/** Where a decision was taken: `node1 ip_forward`, `pod1 ip_route_output`… */
export interface Place {
  readonly node: string;
  readonly stage: string;
}

export type Disposition =
  | { readonly kind: "delivered"; readonly at: Place; readonly to: string }
  | { readonly kind: "no-route"; readonly at: Place; readonly reason: string; readonly errno: string }
  | { readonly kind: "route-rejected"; readonly at: Place; readonly routeType: string; readonly errno: string }
  | { readonly kind: "ttl-exceeded"; readonly at: Place }
  | { readonly kind: "neigh-failed"; readonly at: Place; readonly ip: string; readonly dev: string }
  | { readonly kind: "no-listener"; readonly at: Place; readonly proto: string; readonly port: number }
  | { readonly kind: "forwarding-disabled"; readonly at: Place }
  | { readonly kind: "martian"; readonly at: Place; readonly reason: string }
  | { readonly kind: "not-for-us"; readonly at: Place; readonly reason: string }
  | { readonly kind: "nf-drop"; readonly at: Place; readonly rule: string }
  | { readonly kind: "nf-reject"; readonly at: Place; readonly rule: string; readonly with: string }
  | { readonly kind: "exits-world"; readonly at: Place; readonly dev: string }
  | { readonly kind: "link-down"; readonly at: Place; readonly dev: string }
  | { readonly kind: "consumed"; readonly at: Place; readonly by: string }
  | { readonly kind: "dropped"; readonly at: Place; readonly reason: string };

export type DispositionKind = Disposition["kind"];

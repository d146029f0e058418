/**
 * The structured form's `devices:` — steps 1 and 2 of structured.ts's order.
 *
 * Owns turning each device entry into `ip link add` (ops/link.ts): devices of every namespace in
 * file order, vxlan last so its underlay exists whatever the map order; a veth creates its peer
 * at once, and the peer's own entry (if any, `peer` pointing back) then sets its mac/mtu/up;
 * `lo` may be listed to change its mtu or state. Devices default to up. `master:` and
 * `hairpin:` are handed to validate.ts for step 3, once every bridge exists.
 */
import type { Builder } from "./builder.js";
import { addDevice, setMac, setMtu, setUp, type NewDevice } from "./ops/link.js";
import { findDev, findNs, type WorldDraft } from "./ops/world.js";
import { deviceSchema, type DeviceInput } from "./schema.js";
import type { NsInput } from "./structured.js";
import { deviceNameText, peerText, VXLAN_DEFAULT_PORT } from "./values.js";
import type { Path } from "./yaml-positions.js";
import { check } from "./zod-issues.js";

/** A declared `master:` or `hairpin:` to resolve once all devices exist. */
export interface Enslavement {
  readonly ns: string;
  readonly dev: string;
  readonly path: Path;
  readonly master?: string;
  readonly hairpin?: readonly string[];
}

function baseOf(b: Builder, name: string, d: Exclude<DeviceInput, { type: "loopback" }>, path: Path) {
  return {
    name,
    up: d.up ?? true,
    at: b.src.at(path, "key"),
    ...(d.mac !== undefined ? { mac: d.mac } : {}),
    ...(d.mtu !== undefined ? { mtu: d.mtu } : {}),
  };
}

/** The peer's own entry, when its veth was already created from the other end. */
function restate(b: Builder, ns: string, name: string, d: DeviceInput & { type: "veth" }, path: Path): void {
  const at = b.src.at(path, "key");
  b.apply(ns, path, (w: WorldDraft) => {
    const nsd = findNs(w, ns);
    const dev = nsd === undefined ? undefined : findDev(nsd, name);
    if (dev !== undefined) dev.at = at;
    return (d.mac !== undefined ? setMac(w, ns, name, d.mac) : undefined) ??
      (d.mtu !== undefined ? setMtu(w, ns, name, d.mtu) : undefined) ??
      setUp(w, ns, name, d.up ?? true);
  });
}

function declareDevice(b: Builder, ns: NsInput, name: string, raw: unknown, later: { vxlans: (() => void)[]; links: Enslavement[] }): void {
  const path: Path = [...ns.path, "devices", name];
  const { sink, src } = b;
  const n = deviceNameText(name);
  if (!n.ok) {
    sink.add(n.code, n.message, src.at(path, "key"));
    sink.markBroken(ns.name, name);
    return;
  }
  const d = check(deviceSchema, raw, path, src, sink);
  if (d === undefined) {
    sink.markBroken(ns.name, name);
    return;
  }
  if (d.type === "loopback") {
    if (name !== "lo") {
      sink.add("bad-value", `"type": loopback is only for lo; "${name}" needs nic, veth, bridge or vxlan`, src.at([...path, "type"]));
      sink.markBroken(ns.name, name);
      return;
    }
    b.apply(ns.name, path, (w) => (d.mtu !== undefined ? setMtu(w, ns.name, "lo", d.mtu) : undefined) ?? setUp(w, ns.name, "lo", d.up ?? true));
    return;
  }
  if (d.type !== "bridge" && d.master !== undefined) later.links.push({ ns: ns.name, dev: name, path, master: d.master });
  if (d.type === "bridge" && d.hairpin !== undefined) later.links.push({ ns: ns.name, dev: name, path, hairpin: d.hairpin });
  const base = baseOf(b, name, d, path);
  let dev: NewDevice;
  switch (d.type) {
    case "nic":
      dev = { ...base, kind: "nic", segment: d.segment };
      break;
    case "bridge":
      dev = { ...base, kind: "bridge" };
      break;
    case "vxlan": {
      const v: NewDevice = {
        ...base,
        kind: "vxlan",
        vxlan: {
          vni: d.id,
          dstport: d.dstport ?? VXLAN_DEFAULT_PORT,
          learning: d.learning ?? true,
          ...(d.local !== undefined ? { local: d.local } : {}),
          ...(d.dev !== undefined ? { dev: d.dev } : {}),
        },
      };
      later.vxlans.push(() => {
        if (!b.apply(ns.name, path, (w) => addDevice(w, ns.name, v), { name: { path: [], part: "key" } })) sink.markBroken(ns.name, name);
      });
      return;
    }
    case "veth": {
      const p = peerText(d.peer, ns.name);
      if (!p.ok) {
        sink.add(p.code, `"peer": ${p.message}`, src.at([...path, "peer"]));
        sink.markBroken(ns.name, name);
        return;
      }
      const existing = b.world.namespaces.find((x) => x.name === ns.name)?.devices.find((x) => x.name === name);
      if (existing?.kind === "veth") {
        if (existing.peer.netns === p.value.netns && existing.peer.name === p.value.name) {
          restate(b, ns.name, name, d, path);
          return;
        }
        sink.add(
          "veth-peer-mismatch",
          `"${ns.name}/${name}" was created as the peer of ${existing.peer.netns}/${existing.peer.name}; its "peer" must say ${existing.peer.netns}/${existing.peer.name}, found ${d.peer}`,
          src.at([...path, "peer"]),
        );
        return;
      }
      dev = { ...base, kind: "veth", peer: { ...p.value, up: true } };
      break;
    }
  }
  const fields = { name: { path: [], part: "key" as const }, netns: { path: ["peer"] } };
  if (!b.apply(ns.name, path, (w) => addDevice(w, ns.name, dev), fields)) sink.markBroken(ns.name, name);
}

/** Steps 1 and 2; returns the masters and hairpin lists for step 3. */
export function applyDevices(b: Builder, namespaces: readonly NsInput[]): Enslavement[] {
  const later = { vxlans: [] as (() => void)[], links: [] as Enslavement[] };
  for (const ns of namespaces) {
    for (const [name, raw] of Object.entries(ns.sections.devices ?? {})) declareDevice(b, ns, name, raw, later);
  }
  for (const make of later.vxlans) make();
  return later.links;
}


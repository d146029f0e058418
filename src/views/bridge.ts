/**
 * `bridge fdb show [dev D | br B] [dynamic]` and `bridge fdb get MAC br B` (iproute2 6.1):
 * bridge FDB entries (`MAC dev PORT master BR [permanent]`) and vxlan entries
 * (`MAC dst A self permanent`); with `dev D` the `dev D` part is left out, as iproute2 does.
 * The kernel's own multicast entries (33:33:…) and per-vlan entries are not modelled.
 */
import { formatIpv4 } from "../core/ip.js";
import type { App } from "../apps/app.js";
import type { Device } from "../netns/device.js";

export const bridgeApp: App = (argv, io) => {
  const args = argv.slice(1);
  if (!(args[0] !== undefined && "fdb".startsWith(args[0]))) {
    io.err(`Object "${args[0] ?? ""}" is unknown, try "bridge help".\n`);
    io.exit(255);
    return;
  }
  const verb = args[1] ?? "show";
  const opt = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const devName = opt("dev");
  const brName = opt("br");
  const dynamicOnly = args.includes("dynamic");
  const lines: { mac: string; text: (withDev: boolean) => string; dev: Device; br?: Device; permanent: boolean }[] = [];
  for (const dev of io.ns.devices.values()) {
    if (dev.kind === "bridge") {
      for (const [mac, e] of dev.fdb) {
        if (e.port === dev) continue;
        lines.push({ mac, dev: e.port, br: dev, permanent: e.permanent, text: (w) => `${mac}${w ? ` dev ${e.port.name}` : ""} master ${dev.name}${e.permanent ? " permanent" : ""}` });
      }
    }
    if (dev.vxlan) {
      for (const [mac, dsts] of dev.vxlan.fdb) {
        for (const d of dsts) lines.push({ mac, dev, permanent: true, text: (w) => `${mac}${w ? ` dev ${dev.name}` : ""} dst ${formatIpv4(d)} self permanent` });
      }
    }
  }
  const pick = lines.filter((l) => (devName === undefined || l.dev.name === devName) && (brName === undefined || l.br?.name === brName) && (!dynamicOnly || !l.permanent));
  if (verb === "get") {
    const mac = args[2]?.toLowerCase();
    const hit = pick.find((l) => l.mac === mac);
    if (!hit) {
      io.err("Error: Fdb entry not found.\n");
      io.exit(2);
      return;
    }
    io.out(`${hit.text(true)}\n`);
    io.exit(0);
    return;
  }
  io.out(pick.map((l) => `${l.text(devName === undefined)}\n`).join(""));
  io.exit(0);
};

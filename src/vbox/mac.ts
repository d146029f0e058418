/**
 * Guest NIC MACs. VirtualBox generates each adapter's MAC at random inside its own OUI 08:00:27
 * (Main's generateMACAddress); here the three random bytes come from the model's seed, one
 * stream per VM and adapter, so adding a VM never changes another's MAC.
 */
import type { Mac } from "../core/ip.js";
import { parseMac } from "../core/ip.js";
import { makeRng } from "../core/rng.js";

export const VBOX_OUI = "08:00:27";

export function vboxMac(seed: string, vm: string, adapter: number): Mac {
  const rng = makeRng(seed).fork(`vbox/mac/${vm}/${adapter}`);
  const tail = [0, 1, 2].map(() => rng.int(0, 255).toString(16).padStart(2, "0"));
  return `${VBOX_OUI}:${tail.join(":")}` as Mac;
}

/** `--macaddress<N>` takes 12 hex digits (080027AABBCC); the colon form is accepted too. Unicast only. */
export function parseVboxMac(text: string): Mac | undefined {
  const colon = /^[0-9a-fA-F]{12}$/.test(text) ? text.match(/../g)!.join(":") : text;
  const mac = parseMac(colon);
  return mac !== undefined && (parseInt(mac.slice(0, 2), 16) & 1) === 0 ? mac : undefined;
}

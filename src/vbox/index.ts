/** VirtualBox networks as builders: a VboxModel in, WorldSpec pieces out. */
export type * from "./model.js";
export { buildVboxNetworks, vboxWorld } from "./build.js";
export type { GuestAddress, VboxNetworks } from "./build.js";
export { guestIfName } from "./names.js";
export { vboxMac } from "./mac.js";

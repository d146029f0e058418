/** Types for cidr-matcher 2.x, which ships none: only the calls the LPM benchmark makes. */
declare module "cidr-matcher" {
  export default class CidrMatcher {
    constructor(cidrs?: readonly string[]);
    addNetworkClass(cidr: string): void;
    /** True when the address lies in any of the networks (membership only; no match is named). */
    contains(addr: string): boolean;
  }
}

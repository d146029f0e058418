/**
 * The file:line klog prints for each flanneld message this builder reproduces, for one
 * flannel release: v0.26.0 (the image the stock kube-flannel.yml shipped in late 2024).
 *
 * `seen` sites appear verbatim in a real v0.26.0 pod log (kube-flannel-ds, Oct 2024: main.go:211
 * CLI flags, kube.go:669/636 node annotations, match.go:211/264/286, vxlan.go:141/155,
 * iptables.go:125/226, main.go:410/414/466). `derived` sites were counted in flannel's source
 * from those anchors: main.go in v0.26.0 is the later main.go less the two-line
 * `runtime.GOOS != "windows"` wrapper around the br_netfilter check (main.go:466/410 and the
 * E…main.go:267 br_netfilter line of that era agree), and match.go is the v0.2x match.go plus
 * the `runtime` import and the four-line Windows check before the ifcanreach log (+5, which
 * the seen match.go:211/264/286 confirm). Other releases move these numbers; the texts are the same.
 */
export interface LogSite {
  readonly file: string;
  readonly line: number;
  readonly provenance: "seen" | "derived";
}

const site = (file: string, line: number, provenance: LogSite["provenance"]): LogSite => ({ file, line, provenance });

export const FLANNEL_VERSION = "v0.26.0";

export const SITES = {
  cliFlags: site("main.go", 211, "seen"),
  storedPublicIpAnnotations: site("kube.go", 669, "seen"),
  storedMacAnnotations: site("kube.go", 636, "seen"),
  searchingByIp: site("match.go", 74, "derived"),
  ifCanReach: site("match.go", 206, "derived"),
  defaultInterface: site("match.go", 211, "seen"),
  usingInterface: site("match.go", 264, "seen"),
  usingExternalAddress: site("match.go", 282, "derived"),
  defaultingExternalAddress: site("match.go", 286, "seen"),
  noValidInterface: site("main.go", 301, "derived"),
  ifaceNoMatch: site("main.go", 309, "derived"),
  ifaceRegexNoMatch: site("main.go", 322, "derived"),
  ifaceCanReachNoMatch: site("main.go", 334, "derived"),
  noMatchingInterface: site("main.go", 340, "derived"),
  registerNetworkError: site("main.go", 357, "derived"),
  foundNetworkConfig: site("main.go", 466, "seen"),
  vxlanConfig: site("vxlan.go", 141, "seen"),
  vtepMacSet: site("vxlan.go", 155, "seen"),
  publicIpOverwrite: site("kube.go", 370, "derived"),
  masqRules: site("iptables.go", 125, "seen"),
  forwardPolicy: site("iptables.go", 226, "seen"),
  wroteSubnetFile: site("main.go", 410, "seen"),
  runningBackend: site("main.go", 414, "seen"),
} as const;

/**
 * The node annotations the kube subnet manager reads and writes (pkg/subnet/kube/annotations.go):
 * their names under `--kube-annotation-prefix` (default flannel.alpha.coreos.com), and the
 * VtepMAC flanneld reads back from `backend-data` when it restarts (GetStoredMacAddresses).
 */
import type { Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";

export interface AnnotationKeys {
  readonly kubeSubnetManager: string;
  readonly backendData: string;
  readonly backendType: string;
  readonly publicIp: string;
  readonly nodePublicIp: string;
  readonly publicIpOverwrite: string;
}

/** newAnnotations(prefix): at most one slash; `fqdn` becomes `fqdn/`, `fqdn/x` becomes `fqdn/x-`. */
export function annotationKeys(prefix: string, at: Position): Result<AnnotationKeys> {
  const slashes = [...prefix].filter((c) => c === "/").length;
  const bad = (message: string) => fail<AnnotationKeys>([{ code: "bad-annotation-prefix", at, message: `--kube-annotation-prefix ${JSON.stringify(prefix)}: ${message}` }]);
  if (slashes > 1) return bad("subnet/kube: prefix can contain at most single slash");
  let p = slashes === 0 ? prefix + "/" : prefix;
  if (!p.endsWith("/") && !p.endsWith("-")) p += "-";
  // Go's regexp.MatchString is unanchored at the start: only the suffix has to fit.
  if (!/(?:[a-z0-9_-]+\.)+[a-z0-9_-]+\/(?:[a-z0-9_-]+-)?$/.test(p)) return bad("subnet/kube: prefix must be in a format: fqdn/[0-9a-z-_]*");
  return ok({
    kubeSubnetManager: p + "kube-subnet-manager",
    backendData: p + "backend-data",
    backendType: p + "backend-type",
    publicIp: p + "public-ip",
    nodePublicIp: p + "node-public-ip",
    publicIpOverwrite: p + "public-ip-overwrite",
  });
}

/**
 * GetStoredMacAddresses: the raw prefix + `/backend-data` (not the normalised key), trimmed of
 * `"` and `}` and split on `:"` — string surgery, not JSON, exactly as flanneld does it.
 */
export function storedVtepMac(annotations: Readonly<Record<string, string>>, rawPrefix: string): string {
  const data = annotations[`${rawPrefix}/backend-data`];
  if (data === undefined) return "";
  let s = data;
  while (s.length > 0 && (s[0] === '"' || s[0] === "}")) s = s.slice(1);
  while (s.length > 0 && (s.endsWith('"') || s.endsWith("}"))) s = s.slice(0, -1);
  const parts = s.split(':"');
  return parts.length === 2 ? parts[1]! : "";
}

/**
 * Chain names: SHA-256 → padded standard base32 → first 16 characters, over the exact inputs of
 * research/kube-proxy.md §3 (every vector of its table; those seen upstream matched upstream).
 */
import { describe, expect, it } from "vitest";
import { base32, chainHash, endpointChainName, serviceChainNames, servicePortName } from "../../../src/k8s/kube-proxy/chain-names.js";

/** [exact hash input, 16-character hash] from the notes' table. */
const VECTORS: readonly (readonly [string, string])[] = [
  ["ns1/svc1:p80tcp", "XPGD46QRK7WJZT7O"],
  ["ns1/svc1:p80tcp10.180.0.1:80", "SXIVWICOYRO3J4NJ"],
  ["ns2/svc2:p80tcp", "GNZBNJ2PO5MGZ6GT"],
  ["ns2/svc2:p80tcp10.180.0.2:80", "RS4RBKLTHTF2IUXJ"],
  ["ns3/svc3:p80tcp", "X27LE4BHSL4DOUIK"],
  ["ns3/svc3:p80tcp10.180.0.3:80", "OYPFS5VJICHGATKP"],
  ["ns4/svc4:p80tcp", "4SW47YFZTEDKD3PK"],
  ["ns4/svc4:p80tcp10.180.0.4:80", "UKSFD7AGPMPPLUHC"],
  ["ns4/svc4:p80tcp10.180.0.5:80", "C6EBXVWJJZMIWKLZ"],
  ["ns5/svc5:p80tcp", "NUKIZ6OKUXPJNT4C"],
  ["ns5/svc5:p80tcp10.180.0.3:80", "I77PXRDZVX7PMWMN"],
  ["ns2/svc2:p8080tcp", "2VJB64SDSIJUP5T6"],
  ["ns1/svc1:p80tcp10.0.1.1:80", "SNQ3ZNILQDEJNDQO"],
  ["ns2/svc2:p8080tcp10.0.2.1:8080", "UHEGFW77JX3KXTOV"],
  ["ns3/svc3:p80tcp10.0.3.1:80", "BSWRHOQ77KEXZLNL"],
  ["ns3/svc3:p80tcp10.0.3.2:80", "DKCFIS26GWF2WLWC"],
  ["ns3/svc3:p80tcp10.0.3.3:80", "JVVZVJ7BSEPPRNBS"],
  ["ns4/svc4:p80tcp10.0.4.1:80", "AYCN5HPXMIRJNJXU"],
  ["ns4/svc4:p8082tcp", "EBDQOQU5SJFXRIL3"],
  ["ns1/svc1:p80tcp10.0.0.0:80", "DKGQUZGBKLTPAR56"],
  ["ns3/svc3:p8081tcp203.0.113.4:8081", "RUVVH7YV3PHQBDOS"],
  ["ns4/svc4:p8082tcp10.4.0.1:8082", "SU5STNODRYEWJAUF"],
  ["default/kubernetes:httpstcp", "NPX46M4PTMTKRN6Y"],
  ["kube-system/kube-dns:dnsudp", "TCOU7JCQXEZGVUNU"],
  ["kube-system/kube-dns:dns-tcptcp", "ERIFXISQEP7F7OF4"],
  ["ns1/svc1tcp", "AQI2S6QIMU7PVVRP"],
  ["ns1/svc1:p80udp", "OJWW7NSBVZTDHXNW"],
  ["ns1/svc1:p80tcp[fd00:10:180::1]:80", "OGYCNMB4EMRUSJ6N"],
  // §10.3 and the three-endpoint scenario.
  ["default/web:httptcp", "CDGGSHYLG3RE2FKL"],
  ["default/web:httptcp10.244.1.5:8080", "AFGSLHOD2HFNCBX4"],
  ["default/web:httptcp10.244.2.7:8080", "2RIJ5GIYXEFH6G4D"],
  ["default/web:httptcp10.244.2.9:8080", "THARIHPKCFHZIRHI"],
];

describe("kube-proxy chain names", () => {
  it.each(VECTORS)("sha256(%j) → %s", (input, hash) => {
    expect(chainHash(input)).toBe(hash);
  });

  it("base32 is RFC 4648's standard alphabet with padding (Go's StdEncoding)", () => {
    const enc = (s: string): string => base32(new TextEncoder().encode(s));
    expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(enc)).toEqual(["", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"]);
  });

  it("service chains share one hash; the protocol is lower-cased and appended; an unnamed port adds no colon", () => {
    expect(serviceChainNames(servicePortName("ns2", "svc2", "p80"), "TCP")).toEqual({
      cluster: "KUBE-SVC-GNZBNJ2PO5MGZ6GT",
      local: "KUBE-SVL-GNZBNJ2PO5MGZ6GT",
      external: "KUBE-EXT-GNZBNJ2PO5MGZ6GT",
      firewall: "KUBE-FW-GNZBNJ2PO5MGZ6GT",
    });
    expect(servicePortName("ns1", "svc1", "")).toBe("ns1/svc1");
    expect(serviceChainNames("ns1/svc1", "tcp").cluster).toBe("KUBE-SVC-AQI2S6QIMU7PVVRP");
    expect(endpointChainName("ns5/svc5:p80", "tcp", "10.180.0.3:80")).toBe("KUBE-SEP-I77PXRDZVX7PMWMN");
    // Same endpoint, another Service: another chain.
    expect(endpointChainName("ns3/svc3:p80", "tcp", "10.180.0.3:80")).toBe("KUBE-SEP-OYPFS5VJICHGATKP");
  });

  it("names fit iptables' 28-character limit", () => {
    const c = serviceChainNames("a-very-long-namespace-name/and-a-long-service-name:port-name", "sctp");
    for (const n of Object.values(c)) expect(n.length).toBeLessThanOrEqual(25);
  });
});

import { describe, expect, it } from "vitest";
import { cliFlagsEntry, DEFAULT_OPTS, parseFlannelArgs } from "../../../src/k8s/flannel/flags.js";
import { renderLog } from "../../../src/k8s/flannel/klog.js";

const parse = (args: string[], env: Record<string, string> = {}) => parseFlannelArgs(args, env, { file: "kube-flannel.yml", line: 190, column: 9 });
const opts = (args: string[], env: Record<string, string> = {}) => {
  const r = parse(args, env);
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value.opts;
};

describe("flanneld's command line (Go flag package, flanneld v0.26.0)", () => {
  it("prints the stock DaemonSet's flags exactly as a real v0.26.0 pod did (kube-flannel-ds, Oct 2024)", () => {
    const line = renderLog([cliFlagsEntry(opts(["--ip-masq", "--kube-subnet-mgr"]))], { pid: 1, startUs: Date.UTC(2024, 9, 23, 17, 50, 34) * 1000 + 765594, stepUs: 0 });
    expect(line).toEqual([
      "I1023 17:50:34.765594       1 main.go:211] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] ifaceRegex:[] ipMasq:true ifaceCanReach: subnetFile:/run/flannel/subnet.env publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 iptablesResyncSeconds:5 iptablesForwardRules:true netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}",
    ]);
  });

  it("collects repeated --iface and --iface-regex in order, in any spelling", () => {
    const o = opts(["--iface=enp0s8", "-iface", "eth1", "--iface-regex=^192\\.168", "--iface", "10.0.0.1"]);
    expect(o.iface).toEqual(["enp0s8", "eth1", "10.0.0.1"]);
    expect(o.ifaceRegex).toEqual(["^192\\.168"]);
    expect(cliFlagsEntry(o).message).toContain(" iface:[enp0s8 eth1 10.0.0.1] ifaceRegex:[^192\\.168] ");
  });

  it("reads bools the way strconv.ParseBool does; a bare bool flag never takes the next word", () => {
    expect(opts(["--ip-masq=false"]).ipMasq).toBe(false);
    expect(opts(["--iptables-forward-rules=F"]).iptablesForwardRules).toBe(false);
    const r = parse(["--ip-masq", "false", "--iface=enp0s8"]);
    // "false" is not a flag: parsing stops there and --iface is never seen.
    expect(r.ok && r.value.opts.ipMasq).toBe(true);
    expect(r.ok && r.value.opts.iface).toEqual([]);
    expect(r.ok && r.value.ignored).toEqual(["false", "--iface=enp0s8"]);
  });

  it("stops at `--`", () => {
    const r = parse(["--ip-masq", "--", "--iface=enp0s8"]);
    expect(r.ok && r.value.ignored).toEqual(["--iface=enp0s8"]);
  });

  it("reads ints as strconv.ParseInt(v, 0, 64)", () => {
    expect(opts(["--healthz-port=0x1F90"]).healthzPort).toBe(8080);
    expect(opts(["--iptables-resync", "10"]).iptablesResyncSeconds).toBe(10);
  });

  it("falls back to FLANNELD_* variables for flags the command line left unset", () => {
    expect(opts(["--kube-subnet-mgr"], { FLANNELD_IFACE: "enp0s8", FLANNELD_IP_MASQ: "true" })).toMatchObject({ iface: ["enp0s8"], ipMasq: true });
    expect(opts(["--iface=eth1"], { FLANNELD_IFACE: "enp0s8" }).iface).toEqual(["eth1"]);
  });

  it("reports what flanneld would refuse, with its own message, as typed issues", () => {
    const at = { file: "kube-flannel.yml", line: 190, column: 9 };
    expect(parse(["--ip-masq", "--ifac=enp0s8"])).toEqual({
      ok: false,
      issues: [{ code: "unknown-flag", at, message: 'args[1] "--ifac=enp0s8": flanneld exits 2: flag provided but not defined: -ifac' }],
    });
    expect(parse(["--iface"])).toMatchObject({ ok: false, issues: [{ code: "flag-needs-argument", message: 'args[0] "--iface": flanneld exits 2: flag needs an argument: -iface' }] });
    expect(parse(["--ip-masq=yes"])).toMatchObject({ ok: false, issues: [{ code: "bad-flag-value", message: 'args[0] "--ip-masq=yes": flanneld exits 2: invalid boolean value "yes" for -ip-masq: parse error' }] });
    expect(parse(["--healthz-port=80a"])).toMatchObject({ ok: false, issues: [{ code: "bad-flag-value", message: 'args[0] "--healthz-port=80a": flanneld exits 2: invalid value "80a" for flag -healthz-port: parse error' }] });
    expect(parse(["---iface=x"])).toMatchObject({ ok: false, issues: [{ code: "flag-syntax", message: 'args[0] "---iface=x": flanneld exits 2: bad flag syntax: ---iface=x' }] });
    expect(parse(["--help"])).toMatchObject({ ok: false, issues: [{ code: "flag-help" }] });
    expect(parse(["--version"])).toMatchObject({ ok: false, issues: [{ code: "flag-version" }] });
  });

  it("accepts klog's copied flags (-v=2) without treating them as flanneld options", () => {
    expect(opts(["-v=2", "--vmodule", "kube=4"])).toEqual(DEFAULT_OPTS);
  });
});

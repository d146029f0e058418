/**
 * Hand-written cases for semantics a random rule rarely hits: INVALID packets (an answer whose
 * request was not tracked), RELATED ICMP errors (including a REJECT's own error, which leaves
 * through OUTPUT), what FORWARD sees after DNAT, conntrack status bits set by NAT before the
 * reply arrives, marks being per packet (not on replies, not on later packets when set in nat),
 * goto/RETURN, kube-proxy's ClusterIP and NodePort chains in its restore form, rulesets the
 * kernel refuses, and restore-form spellings that iptables-save prints differently.
 */
import type { NfCase } from "./case.js";
import { rulesetText } from "./case.js";
import { mkCase, rule } from "./gen.js";
import { CLIENT, CLOSED_UDP, POD2, ROUTER_IN, ROUTER_OUT, SERVER, SERVER2, http, ping, tcp, udp, zudp } from "./probes.js";

const REJ = "-j REJECT --reject-with icmp-port-unreachable";

const KUBE_CLUSTER_IP = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-POD2 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-WEB - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-SVC-WEB
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-POD2 -s 10.0.3.3/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-POD2 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.0.3.3:80
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-WEB ! -s 10.0.3.0/24 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-WEB -m comment --comment "default/web:http -> 10.0.3.3:80" -j KUBE-SEP-POD2
COMMIT
`;

export function handCases(): NfCase[] {
  return [
    mkCase("invalid-synack", ["conntrack --ctstate INVALID", "NOTRACK"], rulesetText({
      raw: { rules: [rule("PREROUTING", { i: "eth1", p: "tcp" }, [], "-j NOTRACK")] },
      filter: { rules: [rule("FORWARD", {}, ["-m conntrack --ctstate INVALID"], "-j DROP")] },
    }), [tcp("client", SERVER, 9000)], { note: "the SYN is untracked, so the server's SYN-ACK has no entry: INVALID" }),
    mkCase("invalid-echo-reply", ["state --state INVALID", "CT --notrack"], rulesetText({
      raw: { rules: [rule("PREROUTING", { i: "eth1", p: "icmp" }, [], "-j CT --notrack")] },
      filter: { rules: [rule("FORWARD", {}, ["-m state --state INVALID"], REJ)] },
    }), [ping("client", SERVER)], { note: "an echo reply without a tracked request is INVALID" }),
    mkCase("invalid-accepted", ["conntrack --ctstate INVALID", "NOTRACK"], rulesetText({
      raw: { rules: [rule("PREROUTING", { i: "eth1", p: "tcp" }, [], "-j NOTRACK")] },
      filter: { rules: [rule("FORWARD", {}, ["-m conntrack --ctstate UNTRACKED"], "-j ACCEPT"), rule("FORWARD", {}, ["-m conntrack ! --ctstate INVALID"], REJ)] },
    }), [tcp("client", SERVER, 9000)], { note: "untracked one way, INVALID the other, and nothing else matches" }),
    mkCase("related-icmp-dropped", ["conntrack --ctstate RELATED", "DROP"], rulesetText({
      filter: { rules: [rule("FORWARD", { p: "icmp" }, ["-m conntrack --ctstate RELATED"], "-j DROP")] },
    }), [zudp("client", SERVER, CLOSED_UDP), ping("client", SERVER)], { note: "the server's port-unreachable is RELATED; the echo reply is ESTABLISHED" }),
    mkCase("reject-error-is-related-in-output", ["REJECT", "conntrack --ctstate RELATED", "OUTPUT"], rulesetText({
      filter: { rules: [rule("FORWARD", { p: "tcp" }, ["-m tcp --dport 9001"], REJ), rule("OUTPUT", { p: "icmp" }, ["-m conntrack --ctstate RELATED"], "-j DROP")] },
    }), [tcp("client", SERVER, 9001), tcp("client", SERVER, 9000)], { note: "a REJECT's ICMP error leaves through the router's OUTPUT, RELATED to the rejected connection" }),
    mkCase("related-error-after-dnat", ["DNAT", "RELATED", "udp"], rulesetText({
      nat: { rules: [rule("PREROUTING", { d: `${SERVER}/32`, p: "udp" }, ["-m udp --dport 5000"], `-j DNAT --to-destination ${SERVER2}:${CLOSED_UDP}`)] },
    }), [zudp("client", SERVER, 5000), udp("client", SERVER, 5000)], { note: "the port-unreachable from 10.0.2.3:5002 reaches the client un-NATed as 10.0.2.2:5000" }),
    mkCase("forward-sees-dnat-destination", ["DNAT", "-d", "tcp --dport"], rulesetText({
      nat: { rules: [rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${SERVER2}:9001`)] },
      filter: { rules: [rule("FORWARD", { d: `${SERVER}/32` }, [], "-j REJECT --reject-with icmp-net-unreachable"), rule("FORWARD", { d: `${SERVER2}/32`, p: "tcp" }, ["-m tcp --dport 9001"], "-j REJECT --reject-with icmp-host-unreachable")] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001)]),
    mkCase("ctorig-after-dnat", ["conntrack --ctorigdst", "conntrack --ctorigdstport", "DNAT"], rulesetText({
      nat: { rules: [rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${SERVER2}:9001`)] },
      filter: { rules: [rule("FORWARD", {}, [`-m conntrack --ctorigdst ${SERVER} --ctorigdstport 9000`], "-j REJECT --reject-with icmp-admin-prohibited")] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER2, 9001)]),
    mkCase("ctstate-dnat", ["conntrack --ctstate DNAT", "DNAT"], rulesetText({
      nat: { rules: [rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${SERVER2}`)] },
      filter: { rules: [rule("FORWARD", {}, ["-m conntrack --ctstate DNAT"], REJ)] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER2, 9000)]),
    mkCase("ctstate-snat-reply", ["conntrack --ctstate SNAT", "MASQUERADE"], rulesetText({
      nat: { rules: [rule("POSTROUTING", { o: "eth2" }, [], "-j MASQUERADE")] },
      filter: { rules: [rule("FORWARD", {}, ["-m conntrack --ctstate SNAT"], "-j DROP")] },
    }), [tcp("client", SERVER, 9000)], { note: "SNAT is set on the entry in POSTROUTING of the first packet: the SYN passes FORWARD, the SYN-ACK does not" }),
    mkCase("ctdir-reply", ["conntrack --ctdir REPLY"], rulesetText({
      filter: { rules: [rule("FORWARD", { p: "tcp" }, ["-m conntrack --ctdir REPLY", "-m tcp --sport 9001"], "-j DROP")] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001)]),
    mkCase("mark-not-on-reply", ["MARK --set-mark", "mark"], rulesetText({
      mangle: { rules: [rule("PREROUTING", { i: "eth1" }, [], "-j MARK --set-xmark 0x1/0xffffffff")] },
      filter: { rules: [rule("FORWARD", { i: "eth2" }, ["-m mark --mark 0x1"], "-j DROP"), rule("FORWARD", { i: "eth1", p: "tcp" }, ["-m mark ! --mark 0x1", "-m tcp --dport 9001"], REJ)] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001)], { note: "marks belong to packets: the server's replies arrive unmarked" }),
    mkCase("mark-in-nat-first-packet-only", ["MARK in nat PREROUTING", "mark"], rulesetText({
      nat: { rules: [rule("PREROUTING", { p: "tcp" }, [], "-j MARK --set-xmark 0x2/0xffffffff")] },
      filter: { rules: [rule("FORWARD", { i: "eth1", p: "tcp" }, ["-m mark ! --mark 0x2"], "-j DROP")] },
    }), [tcp("client", SERVER, 9000)], { note: "no rule here needs conntrack (no NAT target, no conntrack/state match), so the kernel tracks nothing in this namespace and nat chains never run: the SYN is unmarked" }),
    mkCase("mark-in-nat-conntrack-on", ["MARK in nat PREROUTING", "mark", "conntrack --ctstate INVALID"], rulesetText({
      nat: { rules: [rule("PREROUTING", { p: "tcp" }, [], "-j MARK --set-xmark 0x2/0xffffffff")] },
      filter: { rules: [rule("INPUT", {}, ["-m conntrack --ctstate INVALID"], "-j DROP"), rule("FORWARD", { i: "eth1", p: "tcp" }, ["-m mark ! --mark 0x2"], "-j DROP")] },
    }), [tcp("client", SERVER, 9000)], { note: "an unrelated conntrack rule turns tracking on: nat now sees the first packet only, so the SYN passes marked and the client's ACK is dropped unmarked" }),
    mkCase("mark-mangle-before-filter", ["MARK in mangle FORWARD", "mark", "table order"], rulesetText({
      mangle: { rules: [rule("FORWARD", { d: `${SERVER2}/32` }, [], "-j MARK --set-xmark 0x10/0x10")] },
      filter: { rules: [rule("FORWARD", {}, ["-m mark --mark 0x10/0x10"], "-j REJECT --reject-with icmp-host-prohibited")] },
    }), [tcp("client", SERVER2, 9000), ping("client", SERVER2), tcp("client", SERVER, 9000)]),
    mkCase("goto-return-to-caller-of-caller", ["goto", "RETURN", "jump"], rulesetText({
      filter: { chains: ["A", "B"], rules: [rule("FORWARD", { p: "tcp" }, [], "-j A"), rule("FORWARD", { p: "tcp" }, ["-m tcp --dport 9001"], REJ), rule("A", {}, [], "-g B"), rule("A", {}, [], "-j DROP"), rule("B", {}, [], "-j RETURN")] },
    }), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001)], { note: "RETURN from a chain entered by goto returns past the rule that jumped to the goto's caller" }),
    mkCase("goto-from-builtin-return-is-policy", ["goto", "RETURN", "policy"], rulesetText({
      filter: { chains: ["A"], rules: [rule("FORWARD", { p: "tcp" }, [], "-g A"), rule("FORWARD", {}, [], REJ), rule("A", {}, [], "-j RETURN")] },
    }), [tcp("client", SERVER, 9000), ping("client", SERVER)]),
    mkCase("return-in-builtin", ["RETURN in FORWARD", "policy DROP"], rulesetText({
      filter: { policies: { FORWARD: "DROP" }, rules: [rule("FORWARD", { p: "icmp" }, [], "-j ACCEPT"), rule("FORWARD", {}, [], "-j RETURN"), rule("FORWARD", {}, [], "-j ACCEPT")] },
    }), [ping("client", SERVER), tcp("client", SERVER, 9000)]),
    mkCase("kube-proxy-cluster-ip", ["kube-proxy", "MARK --or-mark", "MARK --xor-mark", "MASQUERADE --random-fully", "addrtype", "DNAT", "comment"], KUBE_CLUSTER_IP,
      [http("client", "10.96.0.10"), http("pod1", "10.96.0.10"), http("router", "10.96.0.10"), http("client", ROUTER_IN, 30080), http("client", ROUTER_OUT, 30080)],
      { form: "restore", ports: "any", note: "kube-proxy's restore text (--or-mark / --xor-mark spellings); pod1 → pod2 through the ClusterIP needs br_netfilter for the reply to be un-DNATed" }),
    mkCase("kube-proxy-nodeport-to-server", ["addrtype --dst-type LOCAL", "DNAT", "nat PREROUTING", "user chain"], rulesetText({
      nat: { chains: ["KUBE-NODEPORTS"], rules: [rule("PREROUTING", {}, ["-m addrtype --dst-type LOCAL"], "-j KUBE-NODEPORTS"), rule("KUBE-NODEPORTS", { p: "tcp" }, ["-m tcp --dport 30090"], `-j DNAT --to-destination ${SERVER}:9000`)] },
    }), [tcp("client", ROUTER_IN, 30090), tcp("client", ROUTER_OUT, 30090), tcp("pod1", "10.0.3.1", 30090), tcp("client", SERVER, 30090)]),
    mkCase("limit-iface-in", ["addrtype --limit-iface-in", "INPUT"], rulesetText({
      filter: { rules: [rule("INPUT", { p: "tcp" }, ["-m addrtype --dst-type LOCAL --limit-iface-in"], "-j REJECT --reject-with tcp-reset")] },
    }), [tcp("client", ROUTER_IN, 9000), tcp("client", ROUTER_OUT, 9000)], { note: "10.0.2.1 is local, but not on eth1 where the packet came in" }),
    mkCase("output-dnat-reroute-to-pod", ["DNAT in nat OUTPUT", "reroute"], rulesetText({
      nat: { rules: [rule("OUTPUT", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${POD2}:9000`)] },
    }), [tcp("router", SERVER, 9000), tcp("router", SERVER, 9001)], { note: "the source chosen for the original route (10.0.2.1) stays after the reroute to br0" }),
    mkCase("output-dnat-to-loopback", ["DNAT in nat OUTPUT", "127.0.0.1"], rulesetText({
      nat: { rules: [rule("OUTPUT", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], "-j DNAT --to-destination 127.0.0.1:2222")] },
    }), [tcp("router", SERVER, 9000)]),
    mkCase("redirect-udp", ["REDIRECT", "udp"], rulesetText({
      nat: { rules: [rule("PREROUTING", { p: "udp" }, ["-m udp --dport 5000"], "-j REDIRECT")] },
    }), [udp("client", SERVER, 5000)], { note: "REDIRECT goes to the incoming interface's primary address (10.0.1.1), where the router's udp listener is bound" }),
    mkCase("snat-then-filter-in-postrouting-order", ["SNAT", "MASQUERADE", "first match wins in nat"], rulesetText({
      nat: { rules: [rule("POSTROUTING", { s: "10.0.1.2/32", o: "eth2", p: "tcp" }, [], "-j SNAT --to-source 10.0.2.1:6500"), rule("POSTROUTING", { o: "eth2" }, [], "-j MASQUERADE")] },
    }), [tcp("client", SERVER, 9000), http("client", SERVER, 80, "10.0.1.3"), tcp("pod1", SERVER, 9001)]),
    mkCase("output-drop-own-traffic", ["DROP in OUTPUT", "-o"], rulesetText({ filter: { rules: [rule("OUTPUT", { o: "eth2" }, [], "-j DROP")] } }),
      [ping("router", SERVER), udp("router", SERVER, 5000), zudp("router", SERVER, 5000), tcp("router", SERVER, 9000)],
      { note: "a locally sent packet dropped in OUTPUT fails its sendmsg() with EPERM: nc -zuv exits 1 at once; ping finds no ICMP error in its error queue and stays silent; TCP retransmits" }),
    mkCase("output-reject-own-traffic", ["REJECT in OUTPUT", "-o"], rulesetText({ filter: { rules: [rule("OUTPUT", { o: "eth2" }, [], "-j REJECT --reject-with icmp-port-unreachable")] } }),
      [ping("router", SERVER), udp("router", SERVER, 5000), zudp("router", SERVER, 5000), tcp("router", SERVER, 9000), http("router", SERVER)],
      { note: "the REJECT's ICMP error reaches the sender before sendmsg() returns EPERM: ping prints both" }),
    mkCase("restore-form-spellings", ["-s host bits", "-p 6", "--dport open range", "--icmp-type name", "--set-mark"], [
      "*mangle", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]",
      "-A PREROUTING -p icmp -j MARK --set-mark 3", "COMMIT",
      "*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -s 10.0.1.77/24 -p 6 --dport 9001: -j REJECT --reject-with tcp-reset",
      "-A FORWARD -p icmp --icmp-type echo-request -m mark --mark 3 -j REJECT --reject-with host-prohib",
      "COMMIT", "",
    ].join("\n"), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9002), ping("client", SERVER)], { form: "restore" }),
    mkCase("refused-drop-in-nat", ["kernel refuses"], rulesetText({ nat: { rules: [rule("PREROUTING", { p: "tcp" }, [], "-j DROP")] } }), [tcp("client", SERVER, 9000)], { note: "iptables refuses DROP in the nat table" }),
    // Counters: what `iptables -L -v -x` / `iptables-save -c` show after traffic. ICMP echo and the
    // nat table (first packets only) keep packet counts independent of TCP's ACK timing.
    mkCase("counters-filter", ["counters", "iptables -L -v -x", "user chain", "RETURN"], rulesetText({
      filter: {
        chains: ["PINGS"],
        rules: [
          rule("INPUT", { p: "icmp" }, [], "-j PINGS"),
          rule("FORWARD", { p: "icmp" }, [], "-j PINGS"),
          rule("FORWARD", { d: `${SERVER}/32`, p: "icmp" }, [], "-j ACCEPT"),
          rule("FORWARD", { s: `${SERVER}/32`, p: "icmp" }, [], "-j ACCEPT"),
          rule("FORWARD", { p: "icmp" }, [], "-j DROP"),
          rule("PINGS", { s: `${CLIENT}/32` }, [], "-j RETURN"),
          rule("PINGS", {}, []),
        ],
      },
    }), [ping("client", ROUTER_IN), ping("client", SERVER), ping("client", POD2), ping("client", SERVER),
      { netns: "router", command: "iptables -L FORWARD -n -v -x" }, { netns: "router", command: "iptables -L PINGS -n -v -x --line-numbers" }],
      { note: "a rule without a target only counts. Every rule tests -p icmp and no policy counter is read: a late packet of an earlier case's TCP connection may still pass the router" }),
    mkCase("counters-kube-proxy", ["counters", "iptables -t nat -L -v -x", "iptables-save -c", "policy counters", "kube-proxy"], KUBE_CLUSTER_IP,
      [http("client", "10.96.0.10"), http("client", "10.96.0.10"), http("router", "10.96.0.10"), http("client", ROUTER_IN, 30080),
        { netns: "router", command: "iptables -t nat -L -n -v -x" }, { netns: "router", command: "iptables-save -c -t nat" }],
      { form: "restore", ports: "any", note: "the nat table counts each connection's first packet only" }),
    mkCase("physdev-out-routed", ["physdev --physdev-out"], rulesetText({ filter: { rules: [rule("FORWARD", {}, ["-m physdev --physdev-out vp2"], "-j DROP")] } }), [tcp("client", POD2, 9000), tcp("pod1", POD2, 9000)], { note: "--physdev-out without --physdev-is-bridged: 6.18 with iptables-nft takes the rule; it never matches routed traffic" }),
  ];
}

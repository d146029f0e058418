/**
 * `cat` (apps/cat.ts) over a simulated host's files: contents in order, GNU cat's messages for
 * missing files and directories, stdin, and the exit status.
 */
import { describe, expect, it } from "vitest";
import { CLUSTER_WORLD } from "./cluster.js";
import { run } from "./worlds.js";

const SUBNET_ENV = "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
const NODE_RESOLV = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n";

describe("cat", () => {
  it("prints a node's and a pod's files", () => {
    expect(run(CLUSTER_WORLD, "master1", "cat /run/flannel/subnet.env")).toEqual({ stdout: SUBNET_ENV, stderr: "", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "master1", "cat /run/flannel/subnet.env /etc/resolv.conf")).toEqual({ stdout: SUBNET_ENV + NODE_RESOLV, stderr: "", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "kubia-nwjcc", "cat /etc/resolv.conf").stdout).toBe(
      "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
    );
  });

  it("files live per host: worker1 has no subnet.env here", () => {
    expect(run(CLUSTER_WORLD, "worker1", "cat /run/flannel/subnet.env")).toEqual({
      stdout: "",
      stderr: "cat: /run/flannel/subnet.env: No such file or directory\n",
      exitCode: 1,
    });
  });

  it("goes on past a missing file or a directory and exits 1", () => {
    expect(run(CLUSTER_WORLD, "master1", "cat /nope /run/flannel /etc/resolv.conf")).toEqual({
      stdout: NODE_RESOLV,
      stderr: "cat: /nope: No such file or directory\ncat: /run/flannel: Is a directory\n",
      exitCode: 1,
    });
  });

  it("reads stdin for - or no operand; -- ends the options", () => {
    expect(run(CLUSTER_WORLD, "master1", "echo hello | cat")).toEqual({ stdout: "hello\n", stderr: "", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "master1", "echo hello | cat - /etc/resolv.conf")).toEqual({ stdout: `hello\n${NODE_RESOLV}`, stderr: "", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "master1", "cat -- -n")).toEqual({ stdout: "", stderr: "cat: -n: No such file or directory\n", exitCode: 1 });
  });

  it("options: -u is accepted, others are refused, unknown ones get getopt's complaint", () => {
    expect(run(CLUSTER_WORLD, "master1", "cat -u /etc/resolv.conf").stdout).toBe(NODE_RESOLV);
    expect(run(CLUSTER_WORLD, "master1", "cat -n /etc/resolv.conf")).toEqual({ stdout: "", stderr: "cat: podpath: option -n is not simulated\n", exitCode: 1 });
    expect(run(CLUSTER_WORLD, "master1", "cat -z /etc/resolv.conf")).toEqual({
      stdout: "",
      stderr: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n",
      exitCode: 1,
    });
  });
});

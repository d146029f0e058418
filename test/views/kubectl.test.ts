/**
 * `kubectl get` / `kubectl logs` (apps/kubectl.ts, views/kubectl-get.ts) on the three-VM cluster
 * of cluster.ts: the server-side tables as kubectl v1.30 lays them out, the namespace and
 * selector rules, the error texts and exit codes, and the connection refusal when the world
 * has no API server.
 */
import { describe, expect, it } from "vitest";
import { runOn } from "../../src/sim/exec.js";
import { CLUSTER, CLUSTER_WORLD, NO_CLUSTER_WORLD } from "./cluster.js";
import { build, lines, run } from "./worlds.js";

const ok = (...ls: string[]) => ({ stdout: lines(...ls), stderr: "", exitCode: 0 });

const DEFAULT_PODS = [
  "NAME          READY   STATUS              RESTARTS   AGE",
  "kubia-m4x2t   0/1     ContainerCreating   0          5s",
  "kubia-nwjcc   1/1     Running             0          10m",
  "kubia-zcpbb   1/1     Running             0          45s",
];

describe("kubectl get pods", () => {
  it("lists the default namespace by name, under every spelling of the type", () => {
    for (const cmd of ["kubectl get pods", "kubectl get pod", "kubectl get po", "kubectl get Pods", "kubectl get pods -n default", "kubectl --namespace=default get po"]) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual(ok(...DEFAULT_PODS));
    }
  });

  it("-o wide adds IP, NODE, NOMINATED NODE and READINESS GATES, <none> where empty", () => {
    const want = ok(
      "NAME          READY   STATUS              RESTARTS   AGE   IP            NODE      NOMINATED NODE   READINESS GATES",
      "kubia-m4x2t   0/1     ContainerCreating   0          5s    <none>        worker2   <none>           <none>",
      "kubia-nwjcc   1/1     Running             0          10m   10.244.1.27   worker1   <none>           <none>",
      "kubia-zcpbb   1/1     Running             0          45s   10.244.2.11   worker2   <none>           <none>",
    );
    for (const cmd of ["kubectl get pods -o wide", "kubectl get pods -owide", "kubectl get pods -o=wide", "kubectl get pods --output wide", "kubectl get pods --output=wide"]) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual(want);
    }
  });

  it("-A puts NAMESPACE first and sorts by namespace, then name; restarts show when they happened", () => {
    const want = ok(
      "NAMESPACE      NAME                              READY   STATUS              RESTARTS       AGE    IP            NODE      NOMINATED NODE   READINESS GATES",
      "default        kubia-m4x2t                       0/1     ContainerCreating   0              5s     <none>        worker2   <none>           <none>",
      "default        kubia-nwjcc                       1/1     Running             0              10m    10.244.1.27   worker1   <none>           <none>",
      "default        kubia-zcpbb                       1/1     Running             0              45s    10.244.2.11   worker2   <none>           <none>",
      "kube-flannel   kube-flannel-ds-7xk2p             1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
      "kube-flannel   kube-flannel-ds-bq5mz             1/1     Running             2 (3h5m ago)   2d3h   10.0.2.15     worker1   <none>           <none>",
      "kube-flannel   kube-flannel-ds-qh8wd             1/1     Running             0              47h    10.0.2.15     worker2   <none>           <none>",
      "kube-system    coredns-7db6d8ff4d-5k8vx          1/1     Running             0              25d    10.244.0.2    master1   <none>           <none>",
      "kube-system    coredns-7db6d8ff4d-xz9lq          1/1     Running             0              25d    10.244.0.3    master1   <none>           <none>",
      "kube-system    etcd-master1                      1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
      "kube-system    kube-apiserver-master1            1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
      "kube-system    kube-controller-manager-master1   1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
      "kube-system    kube-proxy-4xj9w                  1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
      "kube-system    kube-proxy-8hlnm                  1/1     Running             0              2d3h   10.0.2.15     worker1   <none>           <none>",
      "kube-system    kube-proxy-tc2vz                  1/1     Running             0              47h    10.0.2.15     worker2   <none>           <none>",
      "kube-system    kube-scheduler-master1            1/1     Running             0              25d    10.0.2.15     master1   <none>           <none>",
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -A -o wide")).toEqual(want);
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods --all-namespaces -owide -n kube-system")).toEqual(want);
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -Aowide")).toEqual(want);
  });

  it("-n and -l narrow the list", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -n kube-flannel")).toEqual(
      ok(
        "NAME                    READY   STATUS    RESTARTS       AGE",
        "kube-flannel-ds-7xk2p   1/1     Running   0              25d",
        "kube-flannel-ds-bq5mz   1/1     Running   2 (3h5m ago)   2d3h",
        "kube-flannel-ds-qh8wd   1/1     Running   0              47h",
      ),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -A -l k8s-app=kube-dns --no-headers")).toEqual(
      ok("kube-system   coredns-7db6d8ff4d-5k8vx   1/1   Running   0     25d", "kube-system   coredns-7db6d8ff4d-xz9lq   1/1   Running   0     25d"),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -l app!=kubia,!k8s-app -A").stdout).toBe(
      lines(
        "NAMESPACE      NAME                              READY   STATUS    RESTARTS       AGE",
        "kube-flannel   kube-flannel-ds-7xk2p             1/1     Running   0              25d",
        "kube-flannel   kube-flannel-ds-bq5mz             1/1     Running   2 (3h5m ago)   2d3h",
        "kube-flannel   kube-flannel-ds-qh8wd             1/1     Running   0              47h",
        "kube-system    etcd-master1                      1/1     Running   0              25d",
        "kube-system    kube-apiserver-master1            1/1     Running   0              25d",
        "kube-system    kube-controller-manager-master1   1/1     Running   0              25d",
        "kube-system    kube-scheduler-master1            1/1     Running   0              25d",
      ),
    );
  });

  it("an empty result says so on stderr and exits 0", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -n nope")).toEqual({ stdout: "", stderr: "No resources found in nope namespace.\n", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -l app=kubia,tier")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -A -l app=nothing")).toEqual({ stdout: "", stderr: "No resources found\n", exitCode: 0 });
  });

  it("by name, in the order asked; a missing one is NotFound and exit 1", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pod kubia-zcpbb")).toEqual(ok("NAME          READY   STATUS    RESTARTS   AGE", "kubia-zcpbb   1/1     Running   0          45s"));
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods/kubia-zcpbb po/kubia-nwjcc")).toEqual(
      ok("NAME          READY   STATUS    RESTARTS   AGE", "kubia-zcpbb   1/1     Running   0          45s", "kubia-nwjcc   1/1     Running   0          10m"),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pod nope kubia-nwjcc")).toEqual({
      stdout: lines("NAME          READY   STATUS    RESTARTS   AGE", "kubia-nwjcc   1/1     Running   0          10m"),
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
      exitCode: 1,
    });
    // Pods live in a namespace: kube-dns's pods are not in default.
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pod coredns-7db6d8ff4d-5k8vx")).toEqual({
      stdout: "",
      stderr: 'Error from server (NotFound): pods "coredns-7db6d8ff4d-5k8vx" not found\n',
      exitCode: 1,
    });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pod kubia-zcpbb -l app=kubia")).toEqual({
      stdout: "",
      stderr: "error: name cannot be provided when a selector is specified\n",
      exitCode: 1,
    });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pod kubia-zcpbb -A")).toEqual({
      stdout: "",
      stderr: "error: a resource cannot be retrieved by name across all namespaces\n",
      exitCode: 1,
    });
  });

  it("AGE grows with virtual time", () => {
    const world = build(CLUSTER_WORLD);
    world.after(75_000, () => {});
    while (world.queue.size > 0) world.queue.runUntil(75_000, 1);
    expect(runOn(world, "master1", "kubectl get pods").result).toEqual(
      ok(
        "NAME          READY   STATUS              RESTARTS   AGE",
        "kubia-m4x2t   0/1     ContainerCreating   0          80s",
        "kubia-nwjcc   1/1     Running             0          11m",
        "kubia-zcpbb   1/1     Running             0          2m",
      ),
    );
  });
});

describe("kubectl get services, endpoints, nodes", () => {
  it("services: cluster IP, <none> external IP, ports with node ports, AGE", () => {
    for (const cmd of ["kubectl get svc -A", "kubectl get services --all-namespaces", "kubectl get service -A"]) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual(
        ok(
          "NAMESPACE     NAME             TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)                      AGE",
          "default       kubernetes       ClusterIP   10.96.0.1        <none>        443/TCP                      25d",
          "default       kubia            ClusterIP   10.98.41.49      <none>        80/TCP                       60m",
          "default       kubia-nodeport   NodePort    10.111.254.223   <none>        80:30123/TCP,443:30443/TCP   2m1s",
          "kube-system   kube-dns         ClusterIP   10.96.0.10       <none>        53/UDP,53/TCP,9153/TCP       25d",
        ),
      );
    }
  });

  it("services -o wide adds the selector, sorted, <none> without one", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl get svc -o wide")).toEqual(
      ok(
        "NAME             TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)                      AGE    SELECTOR",
        "kubernetes       ClusterIP   10.96.0.1        <none>        443/TCP                      25d    <none>",
        "kubia            ClusterIP   10.98.41.49      <none>        80/TCP                       60m    app=kubia",
        "kubia-nodeport   NodePort    10.111.254.223   <none>        80:30123/TCP,443:30443/TCP   2m1s   app=kubia,tier=web",
      ),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get svc kube-dns -n kube-system")).toEqual(
      ok("NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE", "kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   25d"),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl get svc kube-dns")).toEqual({ stdout: "", stderr: 'Error from server (NotFound): services "kube-dns" not found\n', exitCode: 1 });
  });

  it("endpoints: ready ip:port pairs port by port, three at most, <none> without addresses", () => {
    for (const cmd of ["kubectl get ep -A", "kubectl get endpoints -A"]) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual(
        ok(
          "NAMESPACE     NAME             ENDPOINTS                                               AGE",
          "default       kubernetes       10.0.2.15:6443                                          25d",
          "default       kubia            10.244.1.27:8080,10.244.2.11:8080                       60m",
          "default       kubia-nodeport   <none>                                                  2m1s",
          "kube-system   kube-dns         10.244.0.2:53,10.244.0.3:53,10.244.0.2:53 + 3 more...   25d",
        ),
      );
    }
  });

  it("endpoints whose addresses are all unready print an empty cell, not <none>", () => {
    const kubia = CLUSTER.endpoints.find((e) => e.name === "kubia")!;
    const spec = {
      ...CLUSTER_WORLD,
      cluster: { ...CLUSTER, endpoints: [{ ...kubia, addresses: kubia.addresses.map((a) => ({ ...a, ready: false })) }] },
    };
    expect(run(spec, "master1", "kubectl get ep")).toEqual(ok("NAME    ENDPOINTS   AGE", "kubia               60m"));
  });

  it("nodes: status, roles, age, version; -o wide the node info and the InternalIP kubelet chose", () => {
    for (const cmd of ["kubectl get nodes", "kubectl get node", "kubectl get no", "kubectl get nodes -A"]) {
      expect(run(CLUSTER_WORLD, "worker1", cmd)).toEqual(
        ok(
          "NAME      STATUS   ROLES           AGE    VERSION",
          "master1   Ready    control-plane   25d    v1.30.2",
          "worker1   Ready    <none>          2d3h   v1.30.2",
          "worker2   Ready    <none>          47h    v1.30.2",
        ),
      );
    }
    expect(run(CLUSTER_WORLD, "master1", "kubectl get nodes -o wide")).toEqual(
      ok(
        "NAME      STATUS   ROLES           AGE    VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME",
        "master1   Ready    control-plane   25d    v1.30.2   10.0.2.15     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic   containerd://1.7.12",
        "worker1   Ready    <none>          2d3h   v1.30.2   10.0.2.15     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic   containerd://1.7.12",
        "worker2   Ready    <none>          47h    v1.30.2   10.0.2.15     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic   containerd://1.7.12",
      ),
    );
    const notReady = { ...CLUSTER_WORLD, cluster: { ...CLUSTER, nodes: [{ ...CLUSTER.nodes[2]!, ready: false }] } };
    expect(run(notReady, "master1", "kubectl get no worker2")).toEqual(ok("NAME      STATUS     ROLES    AGE   VERSION", "worker2   NotReady   <none>   47h   v1.30.2"));
    expect(run(CLUSTER_WORLD, "master1", "kubectl get node worker3")).toEqual({ stdout: "", stderr: 'Error from server (NotFound): nodes "worker3" not found\n', exitCode: 1 });
    // kubectl only learns a type is cluster-scoped from the objects it prints.
    expect(run({ ...CLUSTER_WORLD, cluster: { ...CLUSTER, nodes: [] } }, "master1", "kubectl get nodes")).toEqual({
      stdout: "",
      stderr: "No resources found in default namespace.\n",
      exitCode: 0,
    });
  });
});

describe("kubectl logs", () => {
  it("prints the container's log lines; --tail keeps the last N", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl logs kubia-nwjcc")).toEqual(ok("Kubia server starting...", "Received request from ::ffff:10.244.2.0"));
    expect(run(CLUSTER_WORLD, "master1", "kubectl logs pod/kubia-nwjcc --tail=1")).toEqual(ok("Received request from ::ffff:10.244.2.0"));
    expect(run(CLUSTER_WORLD, "master1", "kubectl -n kube-flannel logs kube-flannel-ds-bq5mz --tail 2")).toEqual(
      ok(
        "I0612 10:15:02.234567       1 main.go:353] Using interface with name enp0s3 and address 10.0.2.15",
        "I0612 10:15:02.234601       1 main.go:366] Defaulting external address to interface address (10.0.2.15)",
      ),
    );
    expect(run(CLUSTER_WORLD, "master1", "kubectl logs kubia-zcpbb")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("a pod that is not in the namespace is NotFound, worded with the namespace", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl logs kube-flannel-ds-bq5mz")).toEqual({
      stdout: "",
      stderr: 'error: error from server (NotFound): pods "kube-flannel-ds-bq5mz" not found in namespace "default"\n',
      exitCode: 1,
    });
    expect(run(CLUSTER_WORLD, "master1", "kubectl logs")).toEqual({
      stdout: "",
      stderr:
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
      exitCode: 1,
    });
  });
});

describe("kubectl errors", () => {
  it("unknown resource types, flags and output formats", () => {
    expect(run(CLUSTER_WORLD, "master1", "kubectl get foo")).toEqual({ stdout: "", stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods --bogus")).toEqual({ stdout: "", stderr: "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -Z")).toEqual({ stdout: "", stderr: "error: unknown shorthand flag: 'Z' in -Z\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -n")).toEqual({ stdout: "", stderr: "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(run(CLUSTER_WORLD, "master1", "kubectl get pods -o foo")).toEqual({
      stdout: "",
      stderr:
        'error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
      exitCode: 1,
    });
    expect(run(CLUSTER_WORLD, "master1", "kubectl frobnicate")).toEqual({ stdout: "", stderr: 'error: unknown command "frobnicate" for "kubectl"\n', exitCode: 1 });
  });

  it("get without a type", () => {
    const want = {
      stdout: "",
      stderr:
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
      exitCode: 1,
    };
    expect(run(CLUSTER_WORLD, "master1", "kubectl get")).toEqual(want);
    // Checked before any request, so the same without an API server.
    expect(run(NO_CLUSTER_WORLD, "master1", "kubectl get")).toEqual(want);
  });

  it("what the simulator does not model is refused, saying so", () => {
    for (const [cmd, what] of [
      ["kubectl get deploy", "get deploy"],
      ["kubectl get pods -o yaml", "get -o yaml"],
      ["kubectl get pods -w", "get --watch"],
      ["kubectl describe pod kubia-nwjcc", "describe"],
      ["kubectl get svc -l app=kubia", "get services -l"],
      ["kubectl logs kubia-nwjcc -c kubia", "logs of a named container"],
      ["kubectl logs -f kubia-nwjcc", "logs --follow"],
    ] as const) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual({ stdout: "", stderr: `kubectl: "${what}" is not simulated by podpath\n`, exitCode: 1 });
    }
  });

  it("with no API server (a low-level scenario) kubectl's discovery is refused on localhost:8080", () => {
    const refused =
      'E0101 00:00:00.000000    4242 memcache.go:265] couldn\'t get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\n';
    const want = { stdout: "", stderr: `${refused.repeat(5)}The connection to the server localhost:8080 was refused - did you specify the right host or port?\n`, exitCode: 1 };
    for (const cmd of ["kubectl get pods", "kubectl get nodes -o wide", "kubectl get foo", "kubectl logs kubia-nwjcc"]) {
      expect(run(NO_CLUSTER_WORLD, "worker1", cmd)).toEqual(want);
    }
  });
});

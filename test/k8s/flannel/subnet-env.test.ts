import { describe, expect, it } from "vitest";
import { subnetEnv } from "../../../src/k8s/flannel/subnet-env.js";
import { cidr } from "./nodes.js";

describe("/run/flannel/subnet.env", () => {
  it("is written as flanneld writes it: the lease's first host address, MTU − 50, --ip-masq", () => {
    // The same four lines as `cat /run/flannel/subnet.env` on a v0.26.0 control-plane node (10.244.0.0/24).
    expect(subnetEnv(cidr("10.244.0.0/16"), cidr("10.244.0.0/24"), 1450, true)).toBe(
      "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n",
    );
    expect(subnetEnv(cidr("10.244.0.0/16"), cidr("10.244.2.0/24"), 1450, false)).toBe(
      "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n",
    );
  });
});

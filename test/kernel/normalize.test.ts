/**
 * normalizeOutput removes measured times and nothing else. Samples are real output captured in
 * the kernel tests' namespaces (Linux 6.18, iputils 20221126, curl 7.88.1, traceroute 2.1.2).
 */
import { describe, expect, test } from "vitest";
import { normalizeOutput } from "./normalize.js";

describe("normalizeOutput", () => {
  test("ping: per-reply rtt, summary and total time", () => {
    const real = [
      "PING 10.244.1.1 (10.244.1.1) 56(84) bytes of data.",
      "64 bytes from 10.244.1.1: icmp_seq=1 ttl=64 time=0.329 ms",
      "",
      "--- 10.244.1.1 ping statistics ---",
      "1 packets transmitted, 1 received, 0% packet loss, time 1001ms",
      "rtt min/avg/max/mdev = 0.329/0.329/0.329/0.000 ms",
      "",
    ].join("\n");
    expect(normalizeOutput(real)).toBe(
      [
        "PING 10.244.1.1 (10.244.1.1) 56(84) bytes of data.",
        "64 bytes from 10.244.1.1: icmp_seq=1 ttl=64 time=<t> ms",
        "",
        "--- 10.244.1.1 ping statistics ---",
        "1 packets transmitted, 1 received, 0% packet loss, time <t>ms",
        "rtt min/avg/max/mdev = <t>/<t>/<t>/<t> ms",
        "",
      ].join("\n"),
    );
  });

  test("ping: everything the kernel decided stays", () => {
    const real = "From 10.244.1.1 icmp_seq=1 Time to live exceeded\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n";
    expect(normalizeOutput(real)).toBe("From 10.244.1.1 icmp_seq=1 Time to live exceeded\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time <t>ms\n");
    expect(normalizeOutput("From 10.244.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1450)\n")).toBe("From 10.244.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1450)\n");
  });

  test("curl: elapsed milliseconds", () => {
    expect(normalizeOutput("curl: (7) Failed to connect to 10.0.0.99 port 80 after 3055 ms: Couldn't connect to server\n")).toBe(
      "curl: (7) Failed to connect to 10.0.0.99 port 80 after <t> ms: Couldn't connect to server\n",
    );
    expect(normalizeOutput("curl: (28) Connection timed out after 1001 milliseconds\n")).toBe("curl: (28) Connection timed out after <t> milliseconds\n");
  });

  test("curl: a progress meter run collapses to its last row without speeds and times", () => {
    const head = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
    const waited =
      head +
      "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0" +
      "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0" +
      "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:03 --:--:--     0\n" +
      "curl: (28) Failed to connect to 10.0.0.99 port 80 after 3055 ms: Couldn't connect to server\n";
    const quick =
      head +
      "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n" +
      "curl: (28) Failed to connect to 10.0.0.99 port 80 after 3001 ms: Couldn't connect to server\n";
    expect(normalizeOutput(waited)).toBe(normalizeOutput(quick));
    expect(normalizeOutput(quick)).toBe(
      head + "\r  0     0    0     0    0     0  <speeds and times>\ncurl: (28) Failed to connect to 10.0.0.99 port 80 after <t> ms: Couldn't connect to server\n",
    );
    const done = head + "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100     7  100     7    0     0   1640      0 --:--:-- --:--:-- --:--:--  1750\n";
    expect(normalizeOutput(done)).toBe(head + "\r100     7  100     7    0     0  <speeds and times>\n");
  });

  test("curl -v: header CRs and text after a meter row stay", () => {
    const real =
      "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0*   Trying 10.0.0.2:80...\n" +
      "> GET / HTTP/1.1\r\n> Host: 10.0.0.2\r\n";
    expect(normalizeOutput(real)).toBe("\r  0     0    0     0    0     0  <speeds and times>*   Trying 10.0.0.2:80...\n> GET / HTTP/1.1\r\n> Host: 10.0.0.2\r\n");
  });

  test("traceroute: probe times on hop lines, nothing else", () => {
    const real = [
      "traceroute to 10.244.2.2 (10.244.2.2), 8 hops max, 60 byte packets",
      " 1  10.244.1.1  0.194 ms",
      " 2  10.0.0.254  0.226 ms !X",
      " 7  *",
      "10  10.0.3.2  12.047 ms",
      "",
    ].join("\n");
    expect(normalizeOutput(real)).toBe(
      [
        "traceroute to 10.244.2.2 (10.244.2.2), 8 hops max, 60 byte packets",
        " 1  10.244.1.1  <t> ms",
        " 2  10.0.0.254  <t> ms !X",
        " 7  *",
        "10  10.0.3.2  <t> ms",
        "",
      ].join("\n"),
    );
  });

  test("ip route get: cache expiry only", () => {
    expect(normalizeOutput("10.0.0.9 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0 \n    cache expires 297sec mtu 1400 \n")).toBe(
      "10.0.0.9 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0 \n    cache expires <t>sec mtu 1400 \n",
    );
  });

  test("leaves whitespace, case and other numbers alone", () => {
    const text = "10.244.2.2 via 10.244.2.0 dev flannel.1 src 10.244.1.0 uid 0 \n    cache \n";
    expect(normalizeOutput(text)).toBe(text);
    expect(normalizeOutput("PING 10.244.2.2 (10.244.2.2) 1472(1500) bytes of data.")).toBe("PING 10.244.2.2 (10.244.2.2) 1472(1500) bytes of data.");
  });
});

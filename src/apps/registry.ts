/**
 * The commands a person can type on a simulated host, by name, and the shell-like splitting of
 * a command line (quotes and backslashes, no expansion).
 */
import type { App } from "./app.js";
import { pingApp } from "./ping.js";
import { curlApp } from "./curl.js";
import { ncApp } from "./nc.js";
import { tracerouteApp } from "./traceroute.js";
import { ipApp } from "../views/ip.js";
import { bridgeApp } from "../views/bridge.js";
import { iptablesApp } from "./iptables.js";
import { iptablesRestoreApp, iptablesSaveApp } from "./iptables-save.js";
import { conntrackApp } from "./conntrack.js";
import { nslookupApp } from "./nslookup.js";
import { digApp } from "./dig.js";
import { kubectlApp } from "./kubectl.js";
import { routeApp } from "./route.js";
import { catApp } from "./cat.js";

const APPS: Readonly<Record<string, App>> = {
  ping: pingApp,
  curl: curlApp,
  nc: ncApp,
  traceroute: tracerouteApp,
  ip: ipApp,
  bridge: bridgeApp,
  iptables: iptablesApp,
  "iptables-save": iptablesSaveApp,
  "iptables-restore": iptablesRestoreApp,
  conntrack: conntrackApp,
  nslookup: nslookupApp,
  dig: digApp,
  kubectl: kubectlApp,
  route: routeApp,
  cat: catApp,
};

export function findApp(name: string): App | undefined {
  return Object.hasOwn(APPS, name) ? APPS[name] : undefined;
}

export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

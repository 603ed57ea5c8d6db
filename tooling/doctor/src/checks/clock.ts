/** Signed URLs (one hour) and access tokens (exp/nbf) assume this host's clock is right. */
import { type CheckResult, fail, pass, skip } from "../check";

export interface ClockSample {
  source: string;
  /** Their clock minus ours, in ms. HTTP `Date` headers have one-second resolution. */
  offsetMs: number;
}

export function checkClock(samples: ClockSample[], maxSkewSeconds: number): CheckResult {
  const name = "clocks in sync";
  if (samples.length === 0) return skip(name, "no service answered with a time");
  const worst = samples.reduce((a, b) => (Math.abs(b.offsetMs) > Math.abs(a.offsetMs) ? b : a));
  const seconds = Math.round(Math.abs(worst.offsetMs) / 100) / 10;
  const list = samples.map((s) => s.source).join(", ");
  return Math.abs(worst.offsetMs) <= maxSkewSeconds * 1_000
    ? pass(name, `within ${maxSkewSeconds} s of ${list} (largest difference ${seconds} s)`)
    : fail(
        name,
        `this host's clock is ${seconds} s ${worst.offsetMs > 0 ? "behind" : "ahead of"} ${worst.source}`,
        "enable time synchronisation (NTP, e.g. systemd-timesyncd or chrony) on this host",
      );
}

/** The offset an HTTP `Date` header shows, allowing for its one-second resolution. */
export function offsetFromDateHeader(serverDate: Date, now = Date.now()): number {
  const offset = serverDate.getTime() - now;
  return Math.abs(offset) <= 1_000 ? 0 : offset;
}

import { createServer } from "node:http";
import { request } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkEndpointUrl, policyLookup, refusedAddressReason } from "./url-policy";

const strict = { allowHttp: false, allowPrivate: false };
const internal = { allowHttp: true, allowPrivate: true };

describe("checkEndpointUrl", () => {
  it("accepts a public https URL and refuses http unless allowed", () => {
    expect(checkEndpointUrl("https://hooks.example.com/in", strict).host).toBe("hooks.example.com");
    expect(() => checkEndpointUrl("http://hooks.example.com/in", strict)).toThrow(/https/);
    expect(checkEndpointUrl("http://hooks.example.com/in", internal).protocol).toBe("http:");
    expect(() => checkEndpointUrl("ftp://x.example.com", internal)).toThrow();
    expect(() => checkEndpointUrl("not a url", strict)).toThrow(/valid URL/);
    expect(() => checkEndpointUrl("https://u:p@hooks.example.com", strict)).toThrow(/credentials/);
  });

  it.each([
    "https://127.0.0.1/",
    "https://10.1.2.3/",
    "https://172.20.0.1/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://169.254.10.1/",
    "https://[::1]/",
    "https://[fd12::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://localhost/",
  ])("refuses the private address of %s unless the deployment allows it", (url) => {
    expect(() => checkEndpointUrl(url, strict)).toThrow();
    expect(checkEndpointUrl(url, { ...strict, allowPrivate: true })).toBeInstanceOf(URL);
  });

  it.each([
    "https://169.254.169.254/",
    "https://[ff02::1]/",
    "https://224.0.0.1/",
    "https://0.0.0.0/",
  ])(
    "refuses %s (metadata, multicast, unspecified) even when private addresses are allowed",
    (url) => {
      expect(() => checkEndpointUrl(url, internal)).toThrow(/never allowed/);
    },
  );

  it("judges IPv4-mapped IPv6 addresses as IPv4", () => {
    expect(refusedAddressReason("::ffff:192.168.0.1", strict)).toMatch(/private/);
    expect(refusedAddressReason("::ffff:8.8.8.8", strict)).toBeNull();
    expect(refusedAddressReason("2606:4700::1111", strict)).toBeNull();
  });
});

describe("policyLookup at connect time", () => {
  const server = createServer((_req, res) => res.end("reached"));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (policy: typeof strict) =>
    new Promise<string>((resolve, reject) => {
      // A name (not a literal) so the check happens in the resolver, as with DNS rebinding.
      const req = request(
        { host: "localhost", port, family: 4, lookup: policyLookup(policy) },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });

  it("refuses to connect to a name that resolves to loopback", async () => {
    await expect(get(strict)).rejects.toThrow(/private or loopback/);
  });

  it("connects when the deployment allows private addresses", async () => {
    await expect(get(internal)).resolves.toBe("reached");
  });
});

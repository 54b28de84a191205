import { connect } from "node:net";
import { expect, inject, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { queryDatabase } from "../../scripts/app-server";

// The rules in front of every page (app/utils/http-guard.server.ts), on the
// built server: same-origin posts pass however the browser says so, another
// site's post gets a 403 page, odd methods a 405, an absolute-form target a
// 400, an oversized body a 413, and none of them changes a row.
const baseUrl = inject("baseUrl");
const { hostname, port } = new URL(baseUrl);
const unknownToken = "x".repeat(43);

/** Sends bytes as they are, for what fetch would tidy up, and reads the whole answer. */
function raw(text: string | Buffer, to = { hostname, port }) {
  return new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
    // Written, not ended: a half-closed socket is a client that went away.
    const socket = connect(Number(to.port), to.hostname, () => socket.write(text));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = answer.split("\r\n\r\n", 2);
      resolve({ status: Number(head.split(" ")[1]), head: head.toLowerCase(), body });
    });
  });
}

function post(path: string, headers: Record<string, string>, body = "", to = { hostname, port }) {
  const lines = Object.entries({
    Host: `${to.hostname}:${to.port}`,
    Connection: "close",
    "Content-Length": String(Buffer.byteLength(body)),
    ...headers,
  });
  return raw(`POST ${path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`, to);
}

async function counts() {
  const counted: Record<string, unknown> = {};
  for (const t of ["asks", "outbox", "pledges", "pledge_history", "signing_tokens"]) {
    [counted[t]] = await queryDatabase(inject("databaseEnv"), `select cast(count(*) as integer) as n from "${t}"`);
  }
  return counted;
}

test("a same-origin post reaches the action whether the browser sends our Origin, Origin: null with Sec-Fetch-Site: same-origin, or no Origin", async () => {
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  // 410: the action ran and found no such link (an unknown token changes nothing).
  expect(
    (await post(`/asks/confirm/${unknownToken}`, { ...form, Origin: baseUrl, "Sec-Fetch-Site": "same-origin" })).status,
  ).toBe(410);
  expect(
    (await post(`/asks/confirm/${unknownToken}`, { ...form, Origin: "null", "Sec-Fetch-Site": "same-origin" })).status,
  ).toBe(410);
  expect((await post(`/asks/confirm/${unknownToken}`, form)).status).toBe(410);
  expect(
    (await post(`/pledge/sign/${unknownToken}`, { ...form, Origin: "null", "Sec-Fetch-Site": "same-origin" })).status,
  ).not.toBe(500);
});

test("another site's post gets a 403 page and changes nothing", async () => {
  const before = await counts();
  const forgeries: Record<string, string>[] = [
    { Origin: "https://evil.example" },
    { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    { "Sec-Fetch-Site": "cross-site" },
    { Origin: "null" },
  ];
  for (const headers of forgeries) {
    for (const path of [
      `/asks/confirm/${unknownToken}`,
      `/pledge/sign/${unknownToken}`,
      "/constituencies/brackenby-vale/ask",
    ]) {
      const answer = await post(
        path,
        { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        "name=Mallory",
      );
      expect(answer.status).toBe(403);
      expect(answer.head).toContain("content-type: text/html; charset=utf-8");
      expect(answer.body).toContain("<h1>This form was sent from another website</h1>");
    }
  }
  expect(await counts()).toEqual(before);
});

test("PUT, DELETE, PATCH and OPTIONS answer 405 with Allow, on pages and static files alike, and change nothing", async () => {
  const before = await counts();
  for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
    for (const path of ["/", `/asks/confirm/${unknownToken}`, "/board", "/favicon.ico"]) {
      const response = await fetch(`${baseUrl}${path}`, { method, headers: { Origin: baseUrl } });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
      expect(await response.text()).toContain("Method not allowed");
    }
  }
  expect(await counts()).toEqual(before);
});

test("an absolute-form request target answers 400, not 500", async () => {
  for (const line of [
    "POST http://evil.example/ HTTP/1.1",
    `GET http://${hostname}:${port}/ HTTP/1.1`,
    `GET http://${hostname}:${port}/board HTTP/1.1`,
  ]) {
    const answer = await raw(`${line}\r\nHost: ${hostname}:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(answer.status, line).toBe(400);
    expect(answer.body).toContain("Bad request");
  }
});

test("a target read as a host, or a Host header no address can hold, answers 400, not 500", async () => {
  for (const [line, host] of [
    ["GET //evil.example/x HTTP/1.1", `${hostname}:${port}`],
    // POSTs: a GET of a page already in the page cache is answered before any URL is built.
    ["POST /board HTTP/1.1", "exa mple"],
    ["POST /board HTTP/1.1", "[::1"],
  ]) {
    const answer = await raw(`${line}\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(answer.status, `${line} / ${host}`).toBe(400);
  }
});

test("a body over the form limit answers 413, from Content-Length before reading and while reading a chunked body", async () => {
  const before = await counts();
  const form = { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl };
  const declared = await post("/constituencies/brackenby-vale/ask", {
    ...form,
    "Content-Length": String(50 * 1024 * 1024),
  });
  expect(declared.status).toBe(413);
  expect(declared.body).toContain("What you sent is too large");

  const chunk = `${"a".repeat(16 * 1024).length.toString(16)}\r\n${"a".repeat(16 * 1024)}\r\n`;
  const lines = [
    `POST /constituencies/brackenby-vale/ask HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    "Connection: close",
    "Transfer-Encoding: chunked",
    ...Object.entries(form).map(([k, v]) => `${k}: ${v}`),
  ];
  const chunked = await raw(`${lines.join("\r\n")}\r\n\r\n${chunk.repeat(8)}0\r\n\r\n`);
  expect(chunked.status).toBe(413);
  expect(chunked.body).toContain("What you sent is too large");

  // A form of ordinary size still reaches the action (which shows its own errors).
  const small = await post("/constituencies/brackenby-vale/ask", form, "name=");
  expect(small.status).not.toBe(413);
  expect(small.status).toBeLessThan(500);
  expect(await counts()).toEqual(before);
});

test("behind a trusted proxy the forwarded host is ours; without TRUSTED_PROXY it is not believed", async () => {
  const proxied = {
    Origin: "https://pledge.example.org",
    "X-Forwarded-Host": "pledge.example.org",
    "X-Forwarded-For": "203.0.113.7",
  };
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const trusting = await startFixtureServer({ env: { TRUSTED_PROXY: "loopback", MAIL_WORKER: "off" } });
  try {
    const to = { hostname: "127.0.0.1", port: new URL(trusting.baseUrl).port };
    expect((await post(`/asks/confirm/${unknownToken}`, { ...form, ...proxied }, "", to)).status).toBe(410);
    // The proxy's client is not this machine, so the mailbox is not for it.
    expect((await fetch(`${trusting.baseUrl}/outbox`, { headers: { "X-Forwarded-For": "203.0.113.7" } })).status).toBe(
      404,
    );
    expect((await fetch(`${trusting.baseUrl}/outbox`)).status).toBe(200);
    expect(trusting.output()).not.toContain("TRUSTED_PROXY is not set");
  } finally {
    await trusting.stop();
  }
  // The shared server trusts no proxy: the same forwarded host is another site.
  expect((await post(`/asks/confirm/${unknownToken}`, { ...form, ...proxied })).status).toBe(403);
});

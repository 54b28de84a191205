import { expect, test } from "vitest";
import { databaseDescription, describeEnvProblems } from "~/utils/env.server";

function trustedProxy(value: string) {
  const { env, problems } = describeEnvProblems({ TRUSTED_PROXY: value });
  return env ? env.TRUSTED_PROXY : problems;
}

test("TRUSTED_PROXY takes what Express's trust proxy takes: named ranges, addresses, CIDR ranges, lists and hop counts", () => {
  expect(trustedProxy("loopback")).toEqual(["loopback"]);
  expect(trustedProxy("loopback, 10.0.0.1")).toEqual(["loopback", "10.0.0.1"]);
  expect(trustedProxy("linklocal,uniquelocal,10.0.0.0/8,192.168.0.0/255.255.0.0,fd00::/8,::1")).toEqual([
    "linklocal",
    "uniquelocal",
    "10.0.0.0/8",
    "192.168.0.0/255.255.0.0",
    "fd00::/8",
    "::1",
  ]);
  expect(trustedProxy("2")).toBe(2);
  expect(trustedProxy("false")).toBe(false);
  expect(describeEnvProblems({}).env?.TRUSTED_PROXY).toBeUndefined();
});

test("a TRUSTED_PROXY Express would reject, or one that trusts every address, is a problem", () => {
  for (const value of [
    "true",
    "lookback",
    "10.0.0.300",
    "10.0.0.0/33",
    "::1/129",
    "10.0.0.1/8/8",
    "10.0.0.1,",
    "fd00::/ffff::",
    "10.0.0.1/0",
    "0.0.0.0/0",
    "10.0.0.1/255.0.255.0",
  ]) {
    const problems = trustedProxy(value);
    expect(problems, value).toEqual([
      expect.stringMatching(/^Invalid configuration: TRUSTED_PROXY: .* is not a proxy list/),
    ]);
  }
});

test("every invalid setting is named, one line each", () => {
  const { env, problems } = describeEnvProblems({ PORT: "eighty", PUBLIC_URL: "not a url", MAIL_WORKER: "maybe" });
  expect(env).toBeUndefined();
  expect(problems).toHaveLength(3);
  for (const line of problems) expect(line).toMatch(/^Invalid configuration: (PORT|PUBLIC_URL|MAIL_WORKER): [^\n]+$/);
});

test("PUBLIC_URL loses any trailing slash, so a link is PUBLIC_URL then a path", () => {
  expect(describeEnvProblems({ PUBLIC_URL: "https://pledge.example.org/" }).env?.PUBLIC_URL).toBe(
    "https://pledge.example.org",
  );
  expect(describeEnvProblems({}).env?.PUBLIC_URL).toBe("http://localhost:3000");
});

test("DATABASE_URL chooses PostgreSQL; anything but a PostgreSQL URL is refused rather than ignored", () => {
  expect(describeEnvProblems({ DATABASE_URL: "postgres://campaign@db.internal/campaign" }).env?.DATABASE_URL).toBe(
    "postgres://campaign@db.internal/campaign",
  );
  expect(describeEnvProblems({ DATABASE_URL: "postgresql://db.internal/c" }).problems).toEqual([]);
  const { env, problems } = describeEnvProblems({ DATABASE_URL: "mysql://campaign@db.internal/campaign" });
  expect(env).toBeUndefined();
  expect(problems).toEqual([
    expect.stringMatching(/^Invalid configuration: DATABASE_URL: must be a PostgreSQL URL, postgres:\/\//),
  ]);
  expect(describeEnvProblems({ DATABASE_URL: "" }).env?.DATABASE_URL).toBeUndefined();
});

test("the log names the database without its password", () => {
  expect(
    databaseDescription({ DATABASE_URL: "postgres://app:s3cret@db.internal:5432/campaign", DATABASE_PATH: "x" }),
  ).toBe("PostgreSQL postgres://app@db.internal:5432/campaign");
  expect(databaseDescription({ DATABASE_URL: undefined, DATABASE_PATH: "var/p.sqlite" })).toBe("var/p.sqlite");
});

import proxyAddr from "proxy-addr";
import { z } from "zod";
import { engineFor } from "#db/engine";

// Checked by proxy-addr itself, which Express compiles "trust proxy" with: a
// value it refuses would otherwise pass here and crash start-up there.
function compilesAsProxyList(entries: string[]) {
  try {
    proxyAddr.compile(entries);
    return true;
  } catch {
    return false;
  }
}

// "false" (or unset) trusts no proxy; a whole number trusts that many hops;
// otherwise a comma-separated list of proxies. "true" (trust every address)
// is refused: anyone who reaches the server directly could then choose their
// own address, and with it their rate limit and the mailbox's loopback check.
const trustedProxy = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx): false | number | string[] => {
    if (value === "false") return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(",").map((entry) => entry.trim());
    if (value === "true" || !compilesAsProxyList(entries)) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a proxy list: use loopback, linklocal, uniquelocal, IP addresses or CIDR ranges (comma-separated), or a hop count`,
      });
      return z.NEVER;
    }
    return entries;
  });

// Every setting the server reads, parsed once at start. Documented in README.md.
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("var/pledge-tracker.sqlite"),
  // Set to postgres://user:password@host:port/database to run on PostgreSQL
  // (docs/decisions/018-postgresql-for-scale-out.md); unset, the SQLite file
  // at DATABASE_PATH. Anything else is refused rather than quietly ignored: an
  // operator who sets it must not get the SQLite file without knowing it.
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .refine((value) => value === undefined || engineFor(value) === "postgres", {
      message:
        "must be a PostgreSQL URL, postgres://user:password@host:port/database (or unset, for the SQLite file at DATABASE_PATH)",
    }),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Without a trailing slash, so every link is PUBLIC_URL followed by a path.
  PUBLIC_URL: z
    .url()
    .default("http://localhost:3000")
    .transform((url) => url.replace(/\/+$/, "")),
  // Express "trust proxy" value: the proxy addresses whose X-Forwarded-For is
  // believed (e.g. "loopback" or "10.0.0.1"). Unset: the socket address is the client.
  TRUSTED_PROXY: trustedProxy.optional(),
  // Outgoing mail. Unset: mail goes to the local mailbox at /outbox instead.
  SMTP_URL: z.url().optional(),
  // "off" when the mail worker runs as its own process (`npm run worker`).
  MAIL_WORKER: z.enum(["on", "off"]).default("on"),
  // How often the worker looks for mail to send and runs its scheduled jobs.
  MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  // How long a worker's claim on mail it is sending lasts between heartbeats;
  // unset: 30 s (sendingLeaseMs in app/models/outbox.server.ts, which reads it).
  MAIL_SENDING_LEASE_MS: z.coerce.number().int().min(1000).optional(),
  // The campaign settings start-up loads into a database that has an election
  // but no campaign. Unset: data/campaign.json.
  CAMPAIGN_FILE: z.string().min(1).optional(),
  // Postcode lookup: the imported ONS Postcode Directory, or a postcodes.io-compatible API.
  POSTCODE_LOOKUP: z.enum(["local", "http"]).default("local"),
  POSTCODES_API_URL: z.url().default("https://api.postcodes.io"),
  POSTCODES_API_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
});

export type Env = z.infer<typeof envSchema>;

/** One line per problem, naming the variable: what a person fixing a deployment needs, no stack trace. */
export function describeEnvProblems(source: Record<string, string | undefined>) {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return { env: parsed.data, problems: [] };
  return {
    env: undefined,
    problems: parsed.error.issues.map((i) => `Invalid configuration: ${i.path.join(".")}: ${i.message}`),
  };
}

function readEnv(): Env {
  const { env, problems } = describeEnvProblems(process.env);
  if (!env) {
    for (const line of problems) console.error(line);
    process.exit(1);
  }
  return env;
}

export const env = readEnv();

/** Where the data is, for the log: the SQLite file, or the PostgreSQL database without its password. */
export function databaseDescription(settings: Pick<Env, "DATABASE_URL" | "DATABASE_PATH"> = env) {
  if (!settings.DATABASE_URL) return settings.DATABASE_PATH;
  try {
    const url = new URL(settings.DATABASE_URL);
    url.password = "";
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/** A site path as the absolute link a mail or a share button needs. */
export function publicUrl(path: string) {
  return `${env.PUBLIC_URL}${path}`;
}

/** Where mail goes: over SMTP when SMTP_URL is set, otherwise to the local mailbox at /outbox. */
export const mailMode: "smtp" | "local" = env.SMTP_URL ? "smtp" : "local";

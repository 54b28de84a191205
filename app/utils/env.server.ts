import { z } from "zod";

// Every setting the server reads, parsed once at start. Documented in README.md.
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("var/pledge-tracker.sqlite"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().default("http://localhost:3000"),
  // Express "trust proxy" value: the proxy addresses whose X-Forwarded-For is
  // believed (e.g. "loopback" or "10.0.0.1"). Unset: the socket address is the client.
  TRUSTED_PROXY: z.string().min(1).optional(),
  // Outgoing mail. Unset: mail goes to the local mailbox at /outbox instead.
  SMTP_URL: z.url().optional(),
  // "off" when the mail worker runs as its own process (`npm run worker`).
  MAIL_WORKER: z.enum(["on", "off"]).default("on"),
  // How often the worker looks for mail to send and runs its scheduled jobs.
  MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  // The campaign settings start-up loads into a database that has an election
  // but no campaign. Unset: data/campaign.json.
  CAMPAIGN_FILE: z.string().min(1).optional(),
  // Postcode lookup: the imported ONS Postcode Directory, or a postcodes.io-compatible API.
  POSTCODE_LOOKUP: z.enum(["local", "http"]).default("local"),
  POSTCODES_API_URL: z.url().default("https://api.postcodes.io"),
  POSTCODES_API_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
});

export type Env = z.infer<typeof envSchema>;

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env = readEnv();

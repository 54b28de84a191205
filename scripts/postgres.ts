// Databases on a PostgreSQL server, for tests, the browser tests' servers and
// benchmarks: each makes and drops databases of its own on the server
// DATABASE_URL names.
import pg from "pg";

/** The same PostgreSQL server as `url`, another database on it. */
export function withDatabase(url: string, database: string) {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

/** Runs `fn` on a connection of its own to `url`, closed afterwards. */
export async function onPostgres<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
  { readOnly = false }: { readOnly?: boolean } = {},
): Promise<T> {
  // Read-only as a connection setting: every statement on it refuses to write.
  const client = new pg.Client({
    connectionString: url,
    ...(readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// The throwaway PostgreSQL cluster the second engine's tests and benchmarks
// run on (issue 14). .ci/run installs Debian's postgresql and sets
// REQUIRE_POSTGRES=1, so there it must run; a clone without it says why it skips.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import pg from "pg";
import { expect, test } from "vitest";
import { startPostgresCluster } from "../../scripts/postgres-cluster";
import { skipWithoutPostgres } from "../postgres";

const skip = skipWithoutPostgres("the PostgreSQL cluster test");

test.skipIf(skip)(
  "a cluster of its own: on 127.0.0.1 only, usable, then stopped by its PID and gone",
  async () => {
    const cluster = await startPostgresCluster();
    let stopped = false;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const settings = await client.query<{ listen: string; dir: string }>(
        "select current_setting('listen_addresses') as listen, current_setting('data_directory') as dir",
      );
      expect(settings.rows[0]).toEqual({ listen: "127.0.0.1", dir: cluster.dataDir });
      await client.query("create table t (id serial primary key, name text not null)");
      await client.query("insert into t (name) values ($1), ($2)", ["Rajan", "Siôn"]);
      expect((await client.query("select name from t order by id")).rows).toEqual([
        { name: "Rajan" },
        { name: "Siôn" },
      ]);
      await client.end();

      await cluster.stop();
      stopped = true;
      expect(() => process.kill(cluster.pid, 0)).toThrow();
      // Its whole temp dir, data and socket and log, is gone.
      expect(existsSync(dirname(cluster.dataDir))).toBe(false);
      const late = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
      await expect(late.connect()).rejects.toThrow();
    } finally {
      if (!stopped) await cluster.stop();
    }
  },
  60_000,
);

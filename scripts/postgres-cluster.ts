// A throwaway PostgreSQL cluster for tests and benchmarks (issue 14): its own
// data directory under a temp dir, listening on 127.0.0.1 only (and a socket
// in that temp dir, never the system's), stopped by its PID and deleted.
// It uses Debian's `postgresql` server programs; nothing is fetched.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./app-server";

export type PostgresCluster = {
  /** postgres://postgres@127.0.0.1:PORT/postgres: trusted, since only this machine can reach it. */
  url: string;
  dataDir: string;
  /** The postmaster's: `stop` signals it and waits for it to go. */
  pid: number;
  stop: () => Promise<void>;
};

export const postgresMissing =
  "PostgreSQL's server programs (initdb, pg_ctl) were not found: install Debian's postgresql package " +
  "(apt-get install -y postgresql), or set PG_BIN to the folder that holds them.";

/**
 * Where initdb and pg_ctl are: $PG_BIN, else Debian's newest
 * /usr/lib/postgresql/N/bin (the package puts them off the PATH), else the PATH.
 */
export function findPostgresBin(): string | undefined {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, "initdb")) ? process.env.PG_BIN : undefined;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const newest = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (newest) return join(debian, newest, "bin");
  }
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const initdb = onPath.status === 0 ? onPath.stdout.trim() : "";
  return initdb ? join(initdb, "..") : undefined;
}

/** initdb refuses to run as root: as root, the cluster runs as the postgres user Debian's package makes. */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error("Running as root, the cluster needs the postgres user, which Debian's postgresql package creates.");
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function run(program: string, args: string[], options: SpawnSyncOptions) {
  const result = spawnSync(program, args, { ...options, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${program} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`,
    );
  }
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopCluster(pid: number, dir: string) {
  // SIGINT is PostgreSQL's fast shutdown: roll back, disconnect, checkpoint, exit.
  if (isRunning(pid)) process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isRunning(pid)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `durable: false` is for test runs only: commits are not flushed to disk
 * (fsync off), which a cluster thrown away after the run does not need, and
 * which keeps a suite that commits thousands of times from waiting on the
 * disk. Benchmarks keep the default, as a real server runs.
 */
export async function startPostgresCluster({
  bin = findPostgresBin(),
  durable = true,
}: { bin?: string; durable?: boolean } = {}): Promise<PostgresCluster> {
  if (!bin) throw new Error(postgresMissing);
  const user = clusterUser();
  const dir = mkdtempSync(join(tmpdir(), "pledge-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, "data");
  const options: SpawnSyncOptions = { cwd: dir, ...user, env: { ...process.env, LC_ALL: "C.UTF-8" } };
  try {
    run(
      join(bin, "initdb"),
      ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions"],
      options,
    );
    const port = await freePort();
    // -w: return once it accepts connections. -k: its socket in our temp dir,
    // so it needs nothing of the system's /var/run/postgresql.
    run(
      join(bin, "pg_ctl"),
      [
        "-D",
        dataDir,
        "-w",
        "-l",
        join(dir, "server.log"),
        "-o",
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}` +
          // Room for several test files' pools at once, each its own database.
          " -c max_connections=300" +
          (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
        "start",
      ],
      options,
    );
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir,
      pid,
      stop: () => stopCluster(pid, dir),
    };
  } catch (error) {
    // A server that started but failed its wait is stopped, not left behind.
    const pidFile = join(dataDir, "postmaster.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
    if (pid && isRunning(pid)) process.kill(pid, "SIGKILL");
    const log = join(dir, "server.log");
    const detail = existsSync(log) ? `\n${readFileSync(log, "utf8")}` : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${detail}`);
  }
}

// From the command line, for .ci/run and for trying the app on PostgreSQL by hand:
//   tsx scripts/postgres-cluster.ts start [--throwaway]   prints "URL PID DIR" and leaves it running
//     (--throwaway: for a test run, commits not flushed to disk)
//   tsx scripts/postgres-cluster.ts stop PID DIR
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, pid, dir] = process.argv.slice(2);
  if (command === "start") {
    const cluster = await startPostgresCluster({ durable: pid !== "--throwaway" });
    console.log(`${cluster.url} ${cluster.pid} ${dirname(cluster.dataDir)}`);
  } else if (command === "stop" && pid && dir) {
    await stopCluster(Number(pid), dir);
  } else {
    console.error("Usage: tsx scripts/postgres-cluster.ts start [--throwaway] | stop PID DIR");
    process.exitCode = 2;
  }
}

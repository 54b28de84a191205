// A preload that CPU-profiles the process it is loaded into and writes a
// .cpuprofile (open in Chrome DevTools or speedscope) when it exits. Node
// refuses --cpu-prof in NODE_OPTIONS, which is the only way into a server the
// benchmark spawns, but accepts --import:
//   BENCH_SERVER_NODE_OPTIONS="--import ./scripts/bench/cpu-profile.mjs" CPU_PROFILE_DIR=/tmp/prof npx tsx scripts/bench/asks.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.CPU_PROFILE_DIR ?? ".";
const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");
process.on("exit", () => {
  // The in-process inspector answers synchronously, so this runs to the end before the process goes.
  session.post("Profiler.stop", (error, result) => {
    if (error) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `server-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});

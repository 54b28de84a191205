// Builds small ONS Postcode Directory files for tests: the real 52-column
// header (postcodes.io's labels, as in ../shared/realdata) with invented rows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const onspdHeader = [
  "pcd7",
  "pcd8",
  "pcds",
  "dointr",
  "doterm",
  "oscty",
  "ced",
  "oslaua",
  "osward",
  "parish",
  "usertype",
  "oseast1m",
  "osnrth1m",
  "osgrdind",
  "oshlthau",
  "nhser",
  "ctry",
  "rgn",
  "streg",
  "pcon",
  "eer",
  "teclec",
  "ttwa",
  "pct",
  "itl",
  "statsward",
  "oa01",
  "casward",
  "npark",
  "lsoa01",
  "msoa01",
  "ur01ind",
  "oac01",
  "oa11",
  "lsoa11",
  "msoa11",
  "wz11",
  "sicbl",
  "bua11",
  "ru11ind",
  "oac11",
  "lat",
  "long",
  "lep1",
  "lep2",
  "pfa",
  "imd",
  "calncv",
  "icb",
  "oa21",
  "lsoa21",
  "msoa21",
] as const;

type Column = (typeof onspdHeader)[number];

/** One CSV line: `pcds`, `pcon` and `doterm` as given, the other columns filled as ONSPD fills them. */
export function onspdRow({
  pcds,
  pcon = "E14009001",
  doterm = "",
  ...others
}: { pcds: string; pcon?: string; doterm?: string } & Partial<Record<Column, string>>) {
  const [outward = "", inward = ""] = pcds.split(" ");
  const values: Record<string, string> = Object.fromEntries(onspdHeader.map((c) => [c, "E99999999"]));
  Object.assign(values, {
    pcd7: outward + " ".repeat(Math.max(0, 4 - outward.length)) + inward,
    pcd8: outward.padEnd(4) + " " + inward,
    pcds,
    dointr: "202401",
    doterm,
    usertype: "0",
    oseast1m: "",
    osnrth1m: "",
    osgrdind: "9",
    pcon,
    lat: "99.999999",
    long: "0.000000",
    ...others,
  });
  return onspdHeader.map((c) => values[c]).join(",");
}

/** Writes header + lines to a fresh temp directory and returns the path. */
export function writeOnspdFile(
  lines: string[],
  { name = "ONSPD_TEST.csv", header = onspdHeader.join(","), eol = "\n" } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "pledge-onspd-"));
  const path = join(dir, name);
  writeFileSync(path, [header, ...lines].join(eol) + eol);
  return path;
}

import { z } from "zod";
import { nations } from "#db/enums";
import {
  listConstituencyRecords,
  saveConstituencyRecords,
  type ConstituencyRecord,
} from "~/models/constituency.server";
import { gssCode, gssCodePattern } from "~/utils/fields";
import { slugify } from "~/utils/names";
import type { CsvTable, SourceFile } from "./read-file.server";
import { describeDifferences, type Change, type ImportPlan } from "./plan";
import { ImportFailed, type Problem } from "./problems";
import { findDuplicates, nationOfGssCode, optional, parseRows, requireColumns } from "./rows.server";
import type { OnRowsChecked } from "./types";

// The ONS "names and codes" file carries code, English and Welsh name only.
export const onsColumns = ["PCON24CD", "PCON24NM", "PCON24NMW"] as const;
// The House of Commons Library results-by-constituency file is the master for
// name, nation, region and electorate (the README of the real data explains why).
export const hocColumns = ["ONS ID", "Constituency name", "Region name", "Country name", "Electorate"] as const;

const onsRow = z.object({
  PCON24CD: gssCode,
  PCON24NM: z.string().trim().min(1, "a constituency name is required"),
  PCON24NMW: optional(z.string().trim()),
});

const hocRow = z
  .object({
    "ONS ID": gssCode,
    "ONS region ID": optional(z.string().trim().regex(gssCodePattern, "must be a GSS region code")),
    "Constituency name": z.string().trim().min(1, "a constituency name is required"),
    "Region name": z.string().trim().min(1, "a region name is required"),
    "Country name": z.enum(nations, { error: `must be one of ${nations.join(", ")}` }),
    Electorate: z
      .string()
      .trim()
      .transform((v) => v.replace(/,/g, ""))
      .pipe(z.string().regex(/^\d+$/, "must be a whole number"))
      .transform(Number),
  })
  .superRefine((row, ctx) => {
    // A malformed code is reported on its own column; comparing its "nation"
    // would only add a second, misleading problem.
    if (!gssCode.safeParse(row["ONS ID"]).success) return;
    if (nationOfGssCode(row["ONS ID"]) !== row["Country name"]) {
      ctx.addIssue({
        code: "custom",
        path: ["Country name"],
        message: `does not match the GSS code ${row["ONS ID"]}, which is in ${nationOfGssCode(row["ONS ID"])}`,
      });
    }
  });

// Outside England the region is the nation itself; ONS codes them so.
const nationRegions = {
  England: null,
  Scotland: { code: "S92000003", name: "Scotland" },
  Wales: { code: "W92000004", name: "Wales" },
  "Northern Ireland": { code: "N92000002", name: "Northern Ireland" },
} as const;

const comparedFields = [
  "name",
  "nameCy",
  "slug",
  "nation",
  "regionCode",
  "regionName",
  "electorate",
  "source",
] as const satisfies readonly (keyof ConstituencyRecord)[];

type Kind = "ons-constituencies" | "hoc-constituencies";

export async function planConstituencyImport({
  kind,
  file,
  table,
  now,
  onRowsChecked,
}: {
  kind: Kind;
  file: SourceFile;
  table: CsvTable;
  now: Date;
  onRowsChecked?: OnRowsChecked;
}): Promise<ImportPlan> {
  const problems: Problem[] = [];
  const existing = new Map((await listConstituencyRecords()).map((r) => [r.gssCode, r]));
  const incoming: { line: number; record: ConstituencyRecord }[] = [];

  if (kind === "ons-constituencies") {
    requireColumns(file.name, table, onsColumns);
    const rows = parseRows(file.name, table, onsRow, problems, onRowsChecked);
    findDuplicates(file.name, rows, "PCON24CD", (r) => r.PCON24CD, problems);
    for (const { line, data } of rows) {
      const before = existing.get(data.PCON24CD);
      const nation = nationOfGssCode(data.PCON24CD);
      const region = nationRegions[nation];
      // ONS supplies the Welsh name; the English name, region and electorate
      // come from the HoC file when it has been (or is later) imported, so the
      // two files merge to the same record in either order.
      const record: ConstituencyRecord = before
        ? { ...before, nameCy: data.PCON24NMW }
        : {
            gssCode: data.PCON24CD,
            name: data.PCON24NM,
            nameCy: data.PCON24NMW,
            slug: slugify(data.PCON24NM),
            nation,
            regionCode: region?.code ?? null,
            regionName: region?.name ?? null,
            electorate: null,
            source: "",
          };
      incoming.push({ line, record: { ...record, source: addSource(record.source, kind) } });
    }
  } else {
    requireColumns(file.name, table, hocColumns);
    const rows = parseRows(file.name, table, hocRow, problems, onRowsChecked);
    findDuplicates(file.name, rows, "ONS ID", (r) => r["ONS ID"], problems);
    for (const { line, data } of rows) {
      const before = existing.get(data["ONS ID"]);
      const nation = data["Country name"];
      incoming.push({
        line,
        record: {
          gssCode: data["ONS ID"],
          name: data["Constituency name"],
          nameCy: before?.nameCy ?? null,
          slug: slugify(data["Constituency name"]),
          nation,
          regionCode: data["ONS region ID"] ?? nationRegions[nation]?.code ?? null,
          regionName: data["Region name"],
          electorate: data.Electorate,
          source: addSource(before?.source ?? "", kind),
        },
      });
    }
  }

  // Two names that slug alike would fight over one URL.
  const slugOwners = new Map([...existing.values()].map((r) => [r.slug, r.gssCode]));
  for (const { record } of incoming) slugOwners.delete(existing.get(record.gssCode)?.slug ?? "");
  for (const { line, record } of incoming) {
    const owner = slugOwners.get(record.slug);
    if (owner && owner !== record.gssCode) {
      problems.push({
        file: file.name,
        line,
        message: `the name "${record.name}" gives the web address /constituencies/${record.slug}, which ${owner} already uses`,
      });
    }
    slugOwners.set(record.slug, record.gssCode);
  }
  if (problems.length > 0) throw new ImportFailed(problems);

  const changes: Change[] = [];
  const toSave: ConstituencyRecord[] = [];
  let unchanged = 0;
  for (const { record } of incoming) {
    const before = existing.get(record.gssCode);
    if (!before) {
      changes.push({ entity: "constituency", type: "added", key: record.gssCode, label: record.name });
      toSave.push(record);
      continue;
    }
    const details = describeDifferences(before, record, comparedFields);
    if (details.length === 0) {
      unchanged++;
      continue;
    }
    changes.push({ entity: "constituency", type: "updated", key: record.gssCode, label: record.name, details });
    toSave.push(record);
  }
  return {
    rows: incoming.length,
    unchanged,
    changes,
    apply: () => saveConstituencyRecords({ records: toSave, now }),
  };
}

function addSource(sources: string, kind: Kind) {
  const set = new Set(sources.split(",").filter(Boolean));
  set.add(kind);
  return [...set].sort().join(",");
}

import { basename, extname } from "node:path";
import { z } from "zod";
import { hexLayoutKinds } from "#db/enums";
import { listConstituencyRecords } from "~/models/constituency.server";
import { listHexRecords, saveHexLayout, type HexRecord } from "~/models/hex-layout.server";
import type { SourceFile } from "./read-file.server";
import type { Change, ImportPlan } from "./plan";
import { ImportFailed, type Problem } from "./problems";

const hexSchema = z.object({
  q: z.number({ error: "q must be a whole number" }).int("q must be a whole number"),
  r: z.number({ error: "r must be a whole number" }).int("r must be a whole number"),
  n: z.string().optional(),
});

const hexJsonSchema = z.object({
  layout: z.enum(hexLayoutKinds, { error: `"layout" must be one of ${hexLayoutKinds.join(", ")}` }),
  hexes: z.record(z.string(), z.unknown(), { error: '"hexes" must be an object keyed by GSS code' }),
});

/** The layout id is the file's name, so each HexJSON file is one layout. */
export function hexLayoutIdOf(fileName: string) {
  return basename(fileName, extname(fileName));
}

export async function planHexJsonImport({ file, now }: { file: SourceFile; now: Date }): Promise<ImportPlan> {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const line = Number.isFinite(position) ? lineAt(file.text, position) : undefined;
    throw new ImportFailed([{ file: file.name, line, message: `the file is not valid JSON: ${message}` }]);
  }
  const top = hexJsonSchema.safeParse(json);
  if (!top.success) {
    throw new ImportFailed(top.error.issues.map((i) => ({ file: file.name, message: i.message })));
  }

  const problems: Problem[] = [];
  const known = new Set((await listConstituencyRecords()).map((c) => c.gssCode));
  const positions = new Map<string, string>();
  const incoming: HexRecord[] = [];
  for (const [code, value] of Object.entries(top.data.hexes)) {
    // Looked up only for a problem: scanning the text for every hex is quadratic.
    const line = () => lineAt(file.text, file.text.indexOf(JSON.stringify(code)));
    const hex = hexSchema.safeParse(value);
    if (!hex.success) {
      for (const issue of hex.error.issues)
        problems.push({ file: file.name, line: line(), column: code, message: issue.message });
      continue;
    }
    if (!known.has(code)) {
      problems.push({
        file: file.name,
        line: line(),
        column: code,
        message: `no constituency has the GSS code ${code}${hex.data.n ? ` ("${hex.data.n}")` : ""}; import constituencies first, or check for a superseded code`,
      });
      continue;
    }
    const at = `${hex.data.q},${hex.data.r}`;
    const other = positions.get(at);
    if (other) {
      problems.push({
        file: file.name,
        line: line(),
        column: code,
        message: `q=${hex.data.q}, r=${hex.data.r} is already taken by ${other}`,
      });
      continue;
    }
    positions.set(at, code);
    incoming.push({ constituencyCode: code, q: hex.data.q, r: hex.data.r });
  }
  if (problems.length > 0) throw new ImportFailed(problems);

  const layoutId = hexLayoutIdOf(file.name);
  const existing = new Map((await listHexRecords({ layoutId })).map((h) => [h.constituencyCode, h]));
  const changes: Change[] = [];
  const toSave: HexRecord[] = [];
  let unchanged = 0;
  for (const hex of incoming) {
    const before = existing.get(hex.constituencyCode);
    existing.delete(hex.constituencyCode);
    if (before && before.q === hex.q && before.r === hex.r) {
      unchanged++;
      continue;
    }
    changes.push({
      entity: "hex",
      type: before ? "updated" : "added",
      key: hex.constituencyCode,
      label: `${hex.constituencyCode} at q=${hex.q}, r=${hex.r}`,
      details: before ? [`position: ${before.q},${before.r} → ${hex.q},${hex.r}`] : undefined,
    });
    toSave.push(hex);
  }
  const removed = [...existing.keys()];
  for (const code of removed) changes.push({ entity: "hex", type: "removed", key: code, label: code });

  return {
    rows: incoming.length,
    unchanged,
    changes,
    apply: async () =>
      saveHexLayout({ id: layoutId, layout: top.data.layout, source: file.name, records: toSave, removed, now }),
  };
}

function lineAt(text: string, position: number) {
  if (position < 0) return undefined;
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

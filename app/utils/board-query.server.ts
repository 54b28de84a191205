import { z } from "zod";
import { sorts, type BoardQuery } from "./board";
import { pledgeStatuses } from "./pledge";

// Query strings are input: parsed once, anything unknown falls back to "all".
const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined)
  .catch(undefined);

const boardQuery = z.object({
  nation: optionalText,
  region: optionalText,
  party: optionalText,
  status: z.enum(pledgeStatuses).optional().catch(undefined),
  q: optionalText,
  sort: z.enum(sorts).catch("constituency"),
  page: z.coerce.number().int().min(1).catch(1),
});

export function parseBoardQuery(params: URLSearchParams): BoardQuery {
  return boardQuery.parse(Object.fromEntries(params));
}



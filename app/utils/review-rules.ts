// The review queue's thresholds, checked the same way wherever they are set:
// campaign.json (npm run campaign) and the console's settings page.
// Client-safe: zod only.
import { z } from "zod";

const count = (what: string) =>
  z.coerce
    .number({ error: `Enter ${what} as a whole number` })
    .int(`Enter ${what} as a whole number`)
    .min(1, `Enter ${what} of 1 or more`)
    .max(100_000, `Enter ${what} of 100,000 or fewer`);

export const reviewRulesSchema = z.strictObject({
  maxAsksPerAddressPerHour: count("the asks per address"),
  maxAsksPerNetworkPerHour: count("the asks per network"),
  maxAsksWithSameMessage: count("the asks with the same message"),
  holdLinks: z.boolean(),
  holdDisposableDomains: z.boolean(),
});

// A candidate's email address as staff add or correct it: about half of the
// 2024 candidates had none in Democracy Club's data, so a campaign finds the
// addresses they publish elsewhere. Each one keeps the page it is published on,
// who added it and when; a later import never silently replaces it (see
// emailFromFile in app/importers/candidates.server.ts).
import { eq } from "drizzle-orm";
import { z } from "zod";
import { candidacies } from "#db/schema";
import { writeTransaction } from "#db/index";
import { recordAudit } from "~/models/audit.server";
import { revokeSigningLinks } from "~/models/signing-link.server";
import { db } from "~/utils/db.server";
import { emailAddress, webAddressOf } from "~/utils/fields";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";

const REMOVAL_REASON_MAX = 500;

// GOV.UK wording: the messages say what to do, and name the field as labelled.
const candidateEmailSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter the candidate's email address")
    .pipe(emailAddress("Enter an email address in the correct format, like name@example.com")),
  sourceUrl: z
    .string()
    .trim()
    .min(1, "Enter the web address of the page where the email address is published")
    .pipe(webAddressOf({ subject: "The page's address" })),
});

const removalSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, "Enter why the email address is being removed")
    .max(REMOVAL_REASON_MAX, `The reason must be ${REMOVAL_REASON_MAX} characters or fewer`),
});

type Account = { id: number; email: string };

async function findContact({ candidacyId }: { candidacyId: number }) {
  return (
    await db
      .select({ email: candidacies.email, emailSource: candidacies.emailSource })
      .from(candidacies)
      .where(eq(candidacies.id, candidacyId))
      .limit(1)
  )[0];
}

/**
 * Sets a candidate's email as one staff found published at `sourceUrl`. It
 * then counts as their published address: asks and signing links use it.
 * Links sent to a different, older address stop working.
 */
export async function setCandidateEmail({
  candidacyId,
  email,
  sourceUrl,
  account,
  now,
}: {
  candidacyId: number;
  email: string;
  sourceUrl: string;
  account: Account;
  now: Date;
}): Promise<
  { status: "saved"; changed: boolean } | { status: "invalid"; errors: FieldErrors } | { status: "unknown" }
> {
  const parsed = candidateEmailSchema.safeParse({ email, sourceUrl });
  if (!parsed.success) return { status: "invalid", errors: fieldErrorsOf(parsed.error) };
  return writeTransaction(db, async () => {
    const before = await findContact({ candidacyId });
    if (!before) return { status: "unknown" as const };
    const changed = before.email !== parsed.data.email;
    const at = now.toISOString();
    await db
      .update(candidacies)
      .set({
        email: parsed.data.email,
        emailSource: "staff",
        emailSourceUrl: parsed.data.sourceUrl,
        emailAddedBy: account.id,
        emailAddedAt: at,
        updatedAt: at,
      })
      .where(eq(candidacies.id, candidacyId));
    if (changed) await revokeSigningLinks({ candidacyIds: [candidacyId], now });
    // The address is public data, but the log needs only where it was found.
    await recordAudit({
      actor: account.email,
      action: "candidate.email",
      subject: `candidacy:${candidacyId}`,
      details: { sourceUrl: parsed.data.sourceUrl, changed },
      now,
    });
    return { status: "saved" as const, changed };
  });
}

/**
 * Removes an address staff added (it was wrong, or the page no longer
 * publishes it), leaving the candidate with none; its signing links stop
 * working. An imported address is the source's to change, not staff's.
 */
export async function removeStaffCandidateEmail({
  candidacyId,
  reason,
  account,
  now,
}: {
  candidacyId: number;
  reason: string;
  account: Account;
  now: Date;
}): Promise<
  { status: "removed" } | { status: "invalid"; errors: FieldErrors } | { status: "unknown" | "not-staff-added" }
> {
  const parsed = removalSchema.safeParse({ reason });
  if (!parsed.success) return { status: "invalid", errors: fieldErrorsOf(parsed.error) };
  return writeTransaction(db, async () => {
    const before = await findContact({ candidacyId });
    if (!before) return { status: "unknown" as const };
    if (before.emailSource !== "staff" || before.email === null) return { status: "not-staff-added" as const };
    const at = now.toISOString();
    await db
      .update(candidacies)
      .set({
        email: null,
        emailSource: null,
        emailSourceUrl: null,
        emailAddedBy: null,
        emailAddedAt: null,
        updatedAt: at,
      })
      .where(eq(candidacies.id, candidacyId));
    await revokeSigningLinks({ candidacyIds: [candidacyId], now });
    await recordAudit({
      actor: account.email,
      action: "candidate.email-remove",
      subject: `candidacy:${candidacyId}`,
      details: { reason: parsed.data.reason },
      now,
    });
    return { status: "removed" as const };
  });
}

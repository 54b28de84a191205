// Candidate emails staff add with the page they are published on: the model
// that sets and removes them, and Democracy Club re-imports that meet them
// (kept and shown as a conflict, unless told to replace them), on the command
// line and on the browser's import page. A changed address revokes the links
// sent to the old one, whichever way it changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, candidacies, signingTokens } from "#db/schema";
import { runImport, summariseChanges } from "~/importers/import.server";
import { formatChange } from "~/importers/plan";
import { summariseImport } from "~/importers/upload.server";
import { removeStaffCandidateEmail, setCandidateEmail } from "~/models/candidate-contact.server";
import { issueSigningLink } from "~/models/signing-link.server";
import { db } from "~/utils/db.server";
import { ownSqliteFileEnv, snapshotDatabase } from "../db";
import { buildCandidate, buildSeat, dcCsv, hocCsv, writeInputFile } from "../factories";
import { insertStaffAccount } from "../staff";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const may = new Date("2024-06-01T09:00:00.000Z");
const june = new Date("2024-06-10T09:00:00.000Z");
const july = new Date("2024-06-20T09:00:00.000Z");

const harbury = buildSeat({ name: "Harbury Cross" });

/** Harbury Cross with two candidates from Democracy Club's full export: Ada with an email, Bryn without. */
async function importElection() {
  await runImport({ path: writeInputFile("seats.csv", hocCsv([harbury])), now: () => may });
  const ada = buildCandidate(harbury, { person_name: "Ada Quennell", email: "ada@dc.example.org" });
  const bryn = buildCandidate(harbury, { person_name: "Bryn Tolley" });
  await runImport({ path: writeInputFile("may.csv", dcCsv([ada, bryn], { format: "full" })), now: () => may });
  return { ada, bryn, idOf: async (personId: string) => (await contact(personId))!.id };
}

async function contact(personId: string) {
  return (
    await db
      .select({
        id: candidacies.id,
        email: candidacies.email,
        emailSource: candidacies.emailSource,
        emailSourceUrl: candidacies.emailSourceUrl,
        emailAddedBy: candidacies.emailAddedBy,
        emailAddedAt: candidacies.emailAddedAt,
      })
      .from(candidacies)
      .where(eq(candidacies.personId, personId))
      .limit(1)
  )[0];
}

async function linkStates(candidacyId: number) {
  return await db
    .select({ sentTo: signingTokens.sentTo, revokedAt: signingTokens.revokedAt })
    .from(signingTokens)
    .where(eq(signingTokens.candidacyId, candidacyId));
}

async function emailAudits() {
  return (
    await db
      .select({ actor: auditLog.actor, action: auditLog.action, subject: auditLog.subject, details: auditLog.details })
      .from(auditLog)
  ).filter((a) => a.action.startsWith("candidate.email"));
}

const brynPage = "https://tolley.example.org/contact";

test("an imported email is marked as imported; a candidate without one has no source", async () => {
  const { ada, bryn } = await importElection();
  expect(await contact(ada.person_id)).toMatchObject({ email: "ada@dc.example.org", emailSource: "import" });
  expect(await contact(bryn.person_id)).toMatchObject({ email: null, emailSource: null, emailSourceUrl: null });
});

test("staff add an address with where it is published: saved as staff's, audited without the address", async () => {
  const { bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser", email: "sam@campaign.example" });

  const saved = await setCandidateEmail({
    candidacyId: await idOf(bryn.person_id),
    email: " bryn@tolley.example.org ",
    sourceUrl: brynPage,
    account: staff,
    now: june,
  });

  expect(saved).toEqual({ status: "saved", changed: true });
  expect(await contact(bryn.person_id)).toMatchObject({
    email: "bryn@tolley.example.org",
    emailSource: "staff",
    emailSourceUrl: brynPage,
    emailAddedBy: staff.id,
    emailAddedAt: june.toISOString(),
  });
  expect(await emailAudits()).toEqual([
    {
      actor: "sam@campaign.example",
      action: "candidate.email",
      subject: `candidacy:${await idOf(bryn.person_id)}`,
      details: { sourceUrl: brynPage, changed: true },
    },
  ]);
});

test("a missing or malformed address or page is refused with a message for each field, and nothing changes", async () => {
  const { bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser" });
  const before = await snapshotDatabase();
  const attempt = async (email: string, sourceUrl: string) =>
    setCandidateEmail({ candidacyId: await idOf(bryn.person_id), email, sourceUrl, account: staff, now: june });

  expect(await attempt("", "")).toEqual({
    status: "invalid",
    errors: {
      email: "Enter the candidate's email address",
      sourceUrl: "Enter the web address of the page where the email address is published",
    },
  });
  expect(await attempt("bryn at tolley", "javascript:alert(1)")).toEqual({
    status: "invalid",
    errors: {
      email: "Enter an email address in the correct format, like name@example.com",
      sourceUrl: "The page's address must be a web address starting http:// or https://",
    },
  });
  expect(await snapshotDatabase()).toEqual(before);
});

test("correcting an address revokes the links sent to the old one; saving the same address with a new page revokes none", async () => {
  const { ada, idOf } = await importElection();
  const adaId = await idOf(ada.person_id);
  const staff = await insertStaffAccount({ role: "organiser" });
  await issueSigningLink({ candidacyId: adaId, now: may });

  await setCandidateEmail({
    candidacyId: adaId,
    email: "ada@dc.example.org",
    sourceUrl: "https://quennell.example.org",
    account: staff,
    now: june,
  });
  expect(await linkStates(adaId)).toEqual([{ sentTo: "ada@dc.example.org", revokedAt: null }]);

  const corrected = await setCandidateEmail({
    candidacyId: adaId,
    email: "ada@quennell.example.org",
    sourceUrl: "https://quennell.example.org",
    account: staff,
    now: july,
  });
  expect(corrected).toEqual({ status: "saved", changed: true });
  expect(await linkStates(adaId)).toEqual([{ sentTo: "ada@dc.example.org", revokedAt: july.toISOString() }]);
  expect((await emailAudits()).map((a) => a.details)).toEqual([
    { sourceUrl: "https://quennell.example.org", changed: false },
    { sourceUrl: "https://quennell.example.org", changed: true },
  ]);
});

test("a staff-added address can be removed with a reason, revoking its links; an imported one cannot", async () => {
  const { ada, bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser", email: "sam@campaign.example" });
  const brynId = await idOf(bryn.person_id);
  await setCandidateEmail({
    candidacyId: brynId,
    email: "bryn@tolley.example.org",
    sourceUrl: brynPage,
    account: staff,
    now: june,
  });
  await issueSigningLink({ candidacyId: brynId, now: june });

  expect(await removeStaffCandidateEmail({ candidacyId: brynId, reason: "  ", account: staff, now: july })).toEqual({
    status: "invalid",
    errors: { reason: "Enter why the email address is being removed" },
  });
  expect((await contact(bryn.person_id))?.email).toBe("bryn@tolley.example.org");
  expect(
    await removeStaffCandidateEmail({
      candidacyId: await idOf(ada.person_id),
      reason: "wrong",
      account: staff,
      now: july,
    }),
  ).toEqual({ status: "not-staff-added" });
  expect((await contact(ada.person_id))?.email).toBe("ada@dc.example.org");

  const removed = await removeStaffCandidateEmail({
    candidacyId: brynId,
    reason: "the page no longer lists it",
    account: staff,
    now: july,
  });

  expect(removed).toEqual({ status: "removed" });
  expect(await contact(bryn.person_id)).toMatchObject({
    email: null,
    emailSource: null,
    emailSourceUrl: null,
    emailAddedBy: null,
    emailAddedAt: null,
  });
  expect(await linkStates(brynId)).toEqual([{ sentTo: "bryn@tolley.example.org", revokedAt: july.toISOString() }]);
  expect((await emailAudits()).at(-1)).toEqual({
    actor: "sam@campaign.example",
    action: "candidate.email-remove",
    subject: `candidacy:${brynId}`,
    details: { reason: "the page no longer lists it" },
  });
});

test("a re-import with a different address keeps the staff-added one and lists the conflict; its links keep working", async () => {
  const { ada, bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser" });
  const brynId = await idOf(bryn.person_id);
  await setCandidateEmail({
    candidacyId: brynId,
    email: "bryn@tolley.example.org",
    sourceUrl: brynPage,
    account: staff,
    now: june,
  });
  await issueSigningLink({ candidacyId: brynId, now: june });
  const file = dcCsv([ada, { ...bryn, email: "office@dc.example.org" }], { format: "full" });

  const dryRun = await runImport({ path: writeInputFile("july.csv", file), dryRun: true, now: () => july });
  const result = await runImport({ path: writeInputFile("july.csv", file), now: () => july });

  for (const run of [dryRun, result]) {
    expect(run).toMatchObject({ updated: 0, unchanged: 2 });
    expect(run.changes).toEqual([
      {
        entity: "candidacy",
        type: "conflict",
        key: bryn.person_id,
        label: "Bryn Tolley (Harbury Cross)",
        details: [
          'email: "bryn@tolley.example.org" → "office@dc.example.org" (conflicts with staff-added data; kept "bryn@tolley.example.org")',
        ],
      },
    ]);
    expect(summariseChanges(run)).toBe("0 changes (2 unchanged); 1 conflict with staff-added data, staff data kept");
  }
  expect(formatChange(result.changes[0]!)).toEqual([
    `  conflict  candidacy ${bryn.person_id}: Bryn Tolley (Harbury Cross)`,
    '      email: "bryn@tolley.example.org" → "office@dc.example.org" (conflicts with staff-added data; kept "bryn@tolley.example.org")',
  ]);
  expect(await contact(bryn.person_id)).toMatchObject({
    email: "bryn@tolley.example.org",
    emailSource: "staff",
    emailSourceUrl: brynPage,
    emailAddedBy: staff.id,
  });
  expect(await linkStates(brynId)).toEqual([{ sentTo: "bryn@tolley.example.org", revokedAt: null }]);

  // The browser's import page shows the same rows, in a table of their own, counted.
  const summary = summariseImport({ result });
  expect(summary.conflicts).toBe(1);
  expect(summary.changes.conflict).toEqual({ shown: result.changes, total: 1 });
  expect(summary.line).toBe(summariseChanges(result));
});

test("a file with no address for the candidate keeps the staff-added one without a conflict, even when other fields change", async () => {
  const { ada, bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser" });
  await setCandidateEmail({
    candidacyId: await idOf(bryn.person_id),
    email: "bryn@tolley.example.org",
    sourceUrl: brynPage,
    account: staff,
    now: june,
  });

  const result = await runImport({
    path: writeInputFile("july.csv", dcCsv([ada, { ...bryn, person_name: "Bryn Tolley-Evans" }], { format: "full" })),
    now: () => july,
  });

  expect(result.changes.map((c) => [c.type, c.key, c.details])).toEqual([
    ["updated", bryn.person_id, ['name: "Bryn Tolley" → "Bryn Tolley-Evans"']],
  ]);
  expect(await contact(bryn.person_id)).toMatchObject({
    email: "bryn@tolley.example.org",
    emailSource: "staff",
    emailSourceUrl: brynPage,
    emailAddedBy: staff.id,
    emailAddedAt: june.toISOString(),
  });
});

test("told to replace staff emails, the file's address wins, is marked imported, and the old address's links are revoked", async () => {
  const { ada, bryn, idOf } = await importElection();
  const staff = await insertStaffAccount({ role: "organiser" });
  const brynId = await idOf(bryn.person_id);
  await setCandidateEmail({
    candidacyId: brynId,
    email: "bryn@tolley.example.org",
    sourceUrl: brynPage,
    account: staff,
    now: june,
  });
  await issueSigningLink({ candidacyId: brynId, now: june });

  const result = await runImport({
    path: writeInputFile("july.csv", dcCsv([ada, { ...bryn, email: "office@dc.example.org" }], { format: "full" })),
    replaceStaffEmails: true,
    now: () => july,
  });

  expect(result.changes).toEqual([
    {
      entity: "candidacy",
      type: "updated",
      key: bryn.person_id,
      label: "Bryn Tolley (Harbury Cross)",
      details: ['email: "bryn@tolley.example.org" → "office@dc.example.org" (replaces a staff-added address)'],
    },
  ]);
  expect(await contact(bryn.person_id)).toMatchObject({
    email: "office@dc.example.org",
    emailSource: "import",
    emailSourceUrl: null,
    emailAddedBy: null,
    emailAddedAt: null,
  });
  expect(await linkStates(brynId)).toEqual([{ sentTo: "bryn@tolley.example.org", revokedAt: july.toISOString() }]);
});

function runCli(databasePath: string, ...args: string[]) {
  return spawnSync("npx", ["tsx", "scripts/import.ts", ...args], {
    cwd: repoRoot,
    // On a SQLite file of its own, whichever engine the suite runs on.
    env: ownSqliteFileEnv(databasePath),
    encoding: "utf8",
  });
}

test("the CLI lists the conflict and keeps the staff-added address; --replace-staff-emails, in its help, lets the file win", () => {
  const database = join(mkdtempSync(join(tmpdir(), "pledge-cli-")), "cli.sqlite");
  const seats = writeInputFile("cli-seats.csv", hocCsv([harbury]));
  const bryn = buildCandidate(harbury, { person_name: "Bryn Tolley" });
  expect(runCli(database, seats, writeInputFile("cli-may.csv", dcCsv([bryn], { format: "full" }))).status).toBe(0);
  // As the console's form leaves it (the CLI runs on its own database).
  const sqlite = new Database(database);
  sqlite
    .prepare(
      "update candidacies set email = ?, email_source = 'staff', email_source_url = ?, email_added_at = ? where person_id = ?",
    )
    .run("bryn@tolley.example.org", brynPage, june.toISOString(), bryn.person_id);
  sqlite.close();
  const file = writeInputFile("cli-july.csv", dcCsv([{ ...bryn, email: "office@dc.example.org" }], { format: "full" }));
  const emailOf = () => {
    const reader = new Database(database, { readonly: true });
    const row = reader.prepare("select email, email_source from candidacies where person_id = ?").get(bryn.person_id);
    reader.close();
    return row;
  };
  const conflictLines = [
    `  conflict  candidacy ${bryn.person_id}: Bryn Tolley (Harbury Cross)\n`,
    '      email: "bryn@tolley.example.org" → "office@dc.example.org" (conflicts with staff-added data; kept "bryn@tolley.example.org")\n',
  ].join("");

  const help = runCli(database, "--help");
  const dryRun = runCli(database, "--dry-run", file);
  const kept = runCli(database, file);
  const keptEmail = emailOf();
  const replaced = runCli(database, "--replace-staff-emails", file);

  expect(help.stdout).toContain("--replace-staff-emails  let a candidates file's email replace one staff added");
  expect(dryRun.status, dryRun.stderr).toBe(0);
  expect(dryRun.stdout).toContain(
    "dry run, nothing written: 0 changes (1 unchanged); 1 conflict with staff-added data",
  );
  expect(dryRun.stdout).toContain(conflictLines);
  expect(dryRun.stdout).toContain("--replace-staff-emails lets the file's addresses replace the staff-added ones");
  expect(kept.status, kept.stderr).toBe(0);
  expect(kept.stdout).toContain(conflictLines);
  expect(keptEmail).toEqual({ email: "bryn@tolley.example.org", email_source: "staff" });
  expect(replaced.status, replaced.stderr).toBe(0);
  expect(replaced.stdout).toContain("imported: 1 changes (candidacies: 1 updated; 0 unchanged)");
  expect(emailOf()).toEqual({ email: "office@dc.example.org", email_source: "import" });
}, 60_000);

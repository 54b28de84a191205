// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen } from "@testing-library/react";
import { eq } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { candidacies, outbox } from "#db/schema";
import { listAskableCandidates, submitAsk } from "~/models/ask.server";
import { issueSigningLink, revokeSigningLinks } from "~/models/signing-link.server";
import ConfirmAsk, { action as confirmAction, loader as confirmLoader } from "~/routes/asks.confirm.$token";
import SignPledge, { action as signAction, loader as signLoader } from "~/routes/pledge.sign.$token";
import { db } from "~/utils/db.server";
import { insertCampaign, insertCandidacy, insertConstituency, buildAsk } from "../factories";
import { tokenIn } from "../links";
import { DAY } from "../time";

// The pages behind the links in mails, rendered from what their real loaders
// and actions return in every state: the page title always says what the
// heading says, including after a press in a second tab (a 410, after which
// Remix does not reload the page's data).

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

async function renderPage(Component: () => React.JSX.Element, path: string, loaderData: unknown, actionData?: unknown) {
  const Stub = createRemixStub([{ id: "page", path: "/link/:token", Component }]);
  render(
    <Stub
      initialEntries={[path]}
      hydrationData={{
        loaderData: { page: loaderData },
        ...(actionData === undefined ? {} : { actionData: { page: actionData } }),
      }}
    />,
  );
  const heading = await screen.findByRole("heading", { level: 1 });
  return { title: document.querySelector("title")?.textContent ?? "", heading: heading.textContent ?? "" };
}

/** A four-point campaign and one seat with two candidates, each with a published email. */
async function setUp() {
  await insertCampaign({
    points: ["Point one.", "Point two.", "Point three.", "Point four."].map((title) => ({
      title,
      body: `What ${title} means.`,
    })),
  });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const ruth = await insertCandidacy({ constituency: seat, name: "Ruth Adeyemi", email: "ruth@example.net" });
  const felix = await insertCandidacy({ constituency: seat, name: "Felix Garrowby", email: "felix@example.net" });
  return { seat, ruth, felix };
}

function post(fields: Record<string, string>) {
  return { method: "POST", body: new URLSearchParams(fields) };
}

async function run<T>(step: () => Promise<unknown> | unknown): Promise<T> {
  try {
    const result = await step();
    return (result instanceof Response ? await result.json() : result) as T;
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status >= 400) return (await thrown.json()) as T;
    throw thrown;
  }
}

test("the confirmation page's title matches its heading: ready, used or expired, and after a second press", async () => {
  const { seat } = await setUp();
  const ids = (await listAskableCandidates({ constituencyCode: seat.gssCode })).map((c) => c.id);
  await submitAsk({
    ask: buildAsk({ constituencyCode: seat.gssCode, candidacyIds: ids }),
    clientIp: "192.0.2.1",
    now: new Date(),
  });
  const mail = (await db.select().from(outbox).where(eq(outbox.kind, "ask-confirmation")).limit(1))[0];
  const token = tokenIn(mail?.textBody ?? "", "asks/confirm");
  const url = `http://localhost/asks/confirm/${token}`;
  const open = async () => confirmLoader({ request: new Request(url), params: { token }, context: {} });
  const press = (receipt: string) =>
    run(() => confirmAction({ request: new Request(url, post({ receipt })), params: { token }, context: {} }));

  const ready = await open();
  expect(await renderPage(ConfirmAsk, "/link/x", ready)).toEqual({
    title: "Send your message",
    heading: "Send your message",
  });
  cleanup();

  await press(ready.receipt!).catch(() => undefined);
  const secondTab = await press(ready.receipt!);
  expect(await renderPage(ConfirmAsk, "/link/x", ready, secondTab)).toEqual({
    title: "Your message has already been sent",
    heading: "Your message has already been sent",
  });
  cleanup();

  const used = await open();
  expect(await renderPage(ConfirmAsk, "/link/x", used)).toEqual({
    title: "This link has expired or has already been used",
    heading: "This link has expired or has already been used",
  });
});

test("the signing page's title matches its heading in every state, and a press through a dead link shows why", async () => {
  const { ruth, felix } = await setUp();
  const linkFor = async (candidacyId: number, now = new Date()) =>
    (await issueSigningLink({ candidacyId, now }))!.url.split("/pledge/sign/")[1]!;
  const open = async (token: string) =>
    signLoader({ request: new Request(`http://localhost/pledge/sign/${token}`), params: { token }, context: {} });
  const press = (token: string, fields: Record<string, string>) =>
    run(() =>
      signAction({
        request: new Request(`http://localhost/pledge/sign/${token}`, post(fields)),
        params: { token },
        context: {},
      }),
    );

  const valid = await linkFor(ruth.id);
  expect(await renderPage(SignPledge, "/link/x", await open(valid))).toEqual({
    title: "Sign the pledge – Ruth Adeyemi",
    heading: "Sign the pledge",
  });
  cleanup();

  const expired = await linkFor(ruth.id, new Date(Date.now() - 31 * DAY));
  const expiredPage = await open(expired);
  expect(await renderPage(SignPledge, "/link/x", expiredPage)).toEqual({
    title: "This signing link has expired",
    heading: "This signing link has expired",
  });
  cleanup();
  expect(await renderPage(SignPledge, "/link/x", expiredPage, await press(expired, { intent: "fresh-link" }))).toEqual({
    title: "Check your email",
    heading: "Check your email",
  });
  cleanup();

  for (const token of ["A".repeat(43), await linkFor(felix.id)]) {
    if (token !== "A".repeat(43))
      await writeTransaction(db, () =>
        db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, felix.id)),
      );
    expect(await renderPage(SignPledge, "/link/x", await open(token))).toEqual({
      title: "This signing link does not work",
      heading: "This signing link does not work",
    });
    cleanup();
  }

  // Opened while it worked; the address changed (revoking it) before the press, as if in another tab.
  const revoked = await linkFor(ruth.id);
  const openedEarlier = await open(revoked);
  await revokeSigningLinks({ candidacyIds: [ruth.id], now: new Date() });
  const pressed = await press(revoked, { statement: "" });
  expect(await renderPage(SignPledge, "/link/x", openedEarlier, pressed)).toEqual({
    title: "This signing link does not work",
    heading: "This signing link does not work",
  });
  expect(screen.getByText(/has changed since this link was sent/)).toBeTruthy();
});

test("after a press with answers missing, the signing page's title starts 'Error: ' and the summary lists each point in order", async () => {
  const { ruth } = await setUp();
  const token = (await writeTransaction(db, async () =>
    issueSigningLink({ candidacyId: ruth.id, now: new Date() }),
  ))!.url.split("/pledge/sign/")[1]!;
  const url = `http://localhost/pledge/sign/${token}`;
  const opened = await signLoader({ request: new Request(url), params: { token }, context: {} });
  const [first, second, third] = opened.points;
  const pressed = await run(() =>
    signAction({
      request: new Request(
        url,
        post({ [`point-${first!.id}`]: "signed", [`point-${third!.id}`]: "maybe", statement: "" }),
      ),
      params: { token },
      context: {},
    }),
  );

  expect(await renderPage(SignPledge, "/link/x", opened, pressed)).toEqual({
    title: "Error: Sign the pledge – Ruth Adeyemi",
    heading: "Sign the pledge",
  });
  const summary = screen.getByRole("alert");
  expect([...summary.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.textContent])).toEqual([
    [`#point-${second!.id}`, "Select whether you sign point 2"],
    [`#point-${third!.id}`, "Select whether you sign point 3"],
    ...opened.points.slice(3).map((p, i) => [`#point-${p.id}`, `Select whether you sign point ${i + 4}`]),
  ]);
});

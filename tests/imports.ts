// The staff import page's two presses, as a browser makes them: each answers
// with a redirect to its job's page, whose worker thread these wait for.
import { expect } from "vitest";
import { action } from "~/routes/staff.imports";
import { action as jobAction, loader as jobLoader } from "~/routes/staff.imports_.$jobId";
import { settle, staffGet, staffPost, staffUpload } from "./staff";

const base = "http://localhost";
const url = `${base}/staff/imports`;
type Page = { data: Record<string, unknown>; init: ResponseInit };
type Session = { cookie: string; csrfToken: string };
type JobPage = {
  job: {
    id: number;
    action: string;
    status: string;
    fileName: string;
    result: ({ outcome: string } & Record<string, unknown>) | null;
  };
};
export const jobUrl = (id: number) => `${base}/staff/imports/${id}`;

/** A job's page once its worker has finished. */
async function finishedJob(session: Session, id: number) {
  for (let i = 0; i < 600; i++) {
    const page = (await jobLoader({
      request: staffGet(jobUrl(id), session),
      params: { jobId: String(id) },
      context: {},
    })) as unknown as Page;
    const data = page.data as JobPage;
    if (data.job.status !== "running") return data;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import job ${id} did not finish within 30 s`);
}

/** Follows a redirect to a job's page, and waits for the job. */
export async function followToJob(session: Session, answer: Page | Response) {
  if (!(answer instanceof Response)) return { refused: answer };
  expect(answer.status).toBe(302);
  const id = Number(/^\/staff\/imports\/(\d+)$/.exec(answer.headers.get("Location") ?? "")?.[1]);
  expect(id).toBeGreaterThan(0);
  return { id, page: await finishedJob(session, id) };
}

export async function upload(session: Session, name: string, contents: string, kind = "") {
  return (await settle(() =>
    action({
      request: staffUpload(url, session, { file: { name, contents }, fields: { kind } }),
      params: {},
      context: {},
    }),
  )) as Page | Response;
}

/** The first press, through to its finished dry run. */
export async function check(session: Session, name: string, contents: string, kind = "") {
  const followed = await followToJob(session, await upload(session, name, contents, kind));
  if (!followed.page) throw new Error(`the upload was refused: ${JSON.stringify(followed.refused.data)}`);
  return { id: followed.id, job: followed.page.job };
}

export async function postToJob(
  session: Session | undefined,
  id: number,
  fields: Record<string, string>,
  forgery = {},
) {
  return (await settle(() =>
    jobAction({ request: staffPost(jobUrl(id), session, fields, forgery), params: { jobId: String(id) }, context: {} }),
  )) as Page | Response;
}

/** The second press on a dry run's page: refused there, or through to its finished import. */
export async function apply(session: Session, checkJobId: number, fields: Record<string, string> = {}) {
  return followToJob(session, await postToJob(session, checkJobId, { intent: "apply", ...fields }));
}

import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { supporterExportScopes } from "#db/enums";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { exportSupporters } from "~/models/supporter-export.server";
import { paths, withQuery } from "~/utils/paths";
import { staffPageHeaders } from "~/utils/private-page";

// The supporters download, posted from /staff/supporters. A route of its own
// with no page: Remix hands a page route's returned Response to the page as
// data, so only a resource route can answer a form's POST with the file itself.

const downloadSchema = z.object({ scope: z.enum(supporterExportScopes) });

// A GET here (signing in again after a session ended mid-download comes back
// to this address) is sent to the form, where the download starts.
export function loader() {
  return redirect(paths.staffSupporters, { headers: staffPageHeaders });
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const parsed = downloadSchema.safeParse({ scope: form.get("scope") ?? undefined });
  // Back to the form, to say what to choose (the page holds the words).
  if (!parsed.success)
    throw redirect(withQuery(paths.staffSupporters, { error: "scope" }), { headers: staffPageHeaders });
  const { csv, filename } = await exportSupporters({
    scope: parsed.data.scope,
    accountId: session.account.id,
    actor: session.account.email,
    now: new Date(),
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      ...staffPageHeaders,
    },
  });
}

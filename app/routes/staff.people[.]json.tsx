import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { exportPersonData } from "~/models/subject-access.server";
import { personEmail } from "~/utils/fields";
import { paths } from "~/utils/paths";
import { staffPageHeaders } from "~/utils/private-page";

// The subject access download, posted from /staff/people. A resource route,
// as the supporters' CSV is: only one can answer a form's POST with a file.

// A GET here (signing in again after a session ended) goes back to the form:
// the email is never in a URL, so there is nothing to download from one.
export function loader() {
  return redirect(paths.staffPeople, { headers: staffPageHeaders });
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const parsed = z.object({ email: personEmail }).safeParse({ email: String(form.get("email") ?? "") });
  // Only the page's own hidden field posts here, with an address it found.
  if (!parsed.success) throw redirect(paths.staffPeople, { headers: staffPageHeaders });
  const { json, filename } = await exportPersonData({
    email: parsed.data.email,
    actor: session.account.email,
    now: new Date(),
  });
  return new Response(json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      ...staffPageHeaders,
    },
  });
}

import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearedStaffSessionCookie, findRequestSession, readStaffForm } from "~/auth/staff-auth.server";
import { signOutStaff } from "~/models/staff.server";
import { paths, withQuery } from "~/utils/paths";
import { staffPageHeaders } from "~/utils/private-page";

// Signing out is a POST from the console's own pages; a GET changes nothing.
export function loader() {
  throw redirect(paths.staff, { headers: staffPageHeaders });
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await findRequestSession(request);
  if (session) {
    const form = await readStaffForm(request, session);
    await signOutStaff({ sessionId: session.sessionId, everywhere: form.get("everywhere") === "yes", now: new Date() });
  }
  throw redirect(withQuery(paths.staffSignIn, { "signed-out": "yes" }), {
    headers: { ...staffPageHeaders, "Set-Cookie": clearedStaffSessionCookie() },
  });
}

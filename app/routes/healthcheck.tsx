import { checkDatabase } from "~/models/health.server";

// For load balancers and uptime checks: 200 when the database answers.
export async function loader() {
  try {
    await checkDatabase();
    return new Response("OK", { headers: { "Cache-Control": "no-store", "Content-Type": "text/plain" } });
  } catch (error) {
    console.error("healthcheck failed", error);
    return new Response("ERROR", {
      status: 503,
      headers: { "Cache-Control": "no-store", "Content-Type": "text/plain" },
    });
  }
}

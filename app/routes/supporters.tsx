import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SupporterList } from "~/components/supporter-list";
import { listRecentPublicSupporters } from "~/models/supporter.server";
import { publicPageHeaders } from "~/utils/http-cache";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Recent supporters" }];

export async function loader() {
  return { supporters: await listRecentPublicSupporters({ limit: 100 }) };
}

export default function Supporters() {
  const { supporters } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Recent supporters</h1>
      <p>People who asked their candidates to sign and chose to be listed. We show first names and an initial only.</p>
      {supporters.length === 0 ? (
        <p>
          No one is listed yet. <Link to={paths.home}>Be the first</Link>.
        </p>
      ) : (
        <SupporterList supporters={supporters} showConstituency />
      )}
    </>
  );
}

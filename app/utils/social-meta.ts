import type { MetaDescriptor } from "@remix-run/node";
import socialCard from "~/images/social-card.png?url";

type Matches = readonly { id: string; data: unknown }[];

/**
 * Open Graph and Twitter card tags, so a shared link shows a title, a summary
 * and an image. Links must be absolute: the root loader supplies the site's
 * public address.
 */
export function socialMeta({
  matches,
  title,
  description,
  path,
}: {
  matches: Matches;
  title: string;
  description: string;
  path: string;
}): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { publicUrl?: string; campaignName?: string } | undefined;
  const base = root?.publicUrl ?? "";
  return [
    { name: "description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: root?.campaignName ?? "" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:url", content: `${base}${path}` },
    { property: "og:image", content: `${base}${socialCard}` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:image:alt", content: "Who has signed the pledge?" },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: description },
    { name: "twitter:image", content: `${base}${socialCard}` },
  ];
}

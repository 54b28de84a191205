// What a public page weighs as a phone downloads it (issue 13): its HTML
// gzipped, and all the JavaScript it carries gzipped: inline scripts (Remix's
// hydration data among them), scripts and module preloads. Shared by
// `npm run bench -- http` and the browser tests that hold the budgets.
import { gzipSync } from "node:zlib";

/** Budgets in KB, gzipped. Every public read page: `js`; some pages' HTML too. */
export const pageWeightBudgets = { js: 30, html: { "/map": 40, "/board": 20 } as Record<string, number> };

export type PageWeight = { path: string; htmlGzipKb: number; jsGzipKb: number; scripts: number };

const inlineScript = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

export async function measurePageWeight(baseUrl: string, path: string): Promise<PageWeight> {
  const response = await fetch(`${baseUrl}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  const html = await response.text();
  const urls = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)) urls.add(match[1]!);
  for (const match of html.matchAll(/import\s*\(?\s*"([^"]+\.js)"/g)) urls.add(match[1]!);
  const inline = [...html.matchAll(inlineScript)].map((m) => m[1] ?? "").join("");
  let js = inline.length > 0 ? gzipSync(inline).length : 0;
  for (const url of urls) {
    const script = await fetch(new URL(url, baseUrl));
    js += gzipSync(Buffer.from(await script.arrayBuffer())).length;
  }
  return { path, htmlGzipKb: gzipSync(html).length / 1024, jsGzipKb: js / 1024, scripts: urls.size };
}

/** What is over budget, in words; empty when all is well. */
export function overBudget(weights: PageWeight[]): string[] {
  return weights.flatMap((w) => {
    const problems: string[] = [];
    if (w.jsGzipKb > pageWeightBudgets.js)
      problems.push(
        `${w.path} ships ${w.jsGzipKb.toFixed(1)} KB of gzipped JavaScript (budget ${pageWeightBudgets.js})`,
      );
    const html = pageWeightBudgets.html[w.path];
    if (html !== undefined && w.htmlGzipKb > html)
      problems.push(`${w.path} is ${w.htmlGzipKb.toFixed(1)} KB of gzipped HTML (budget ${html})`);
    return problems;
  });
}

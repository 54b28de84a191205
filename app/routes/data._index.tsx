import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findCampaign } from "~/models/campaign.server";
import { publicUrl } from "~/utils/env.server";
import { paths } from "~/utils/paths";
import { publicPageHeaders } from "~/utils/http-cache";
import {
  constituencyFields,
  openDataAttribution,
  openDataFiles,
  openDataLicence,
  pledgeFields,
  type FieldDoc,
} from "~/utils/open-data";
import { SUPPRESS_BELOW } from "~/utils/suppressed-count";
import { staticPage } from "~/utils/route-handle";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Open data – ${data.campaignName}` : "Open data" },
  {
    name: "description",
    content: "Download who has signed the pledge, and how many supporters asked, as CSV and JSON.",
  },
];

export async function loader() {
  const campaign = await findCampaign();
  const campaignName = campaign?.name ?? "This campaign";
  return {
    campaignName,
    points: campaign?.points.map((p) => ({ position: p.position, title: p.title })) ?? [],
    attribution: openDataAttribution({ campaignName, siteUrl: publicUrl(paths.home) }),
  };
}

export default function OpenData() {
  const { campaignName, points, attribution } = useLoaderData<typeof loader>();
  return (
    <div className="data-page">
      <h1 className="heading-xl">Open data</h1>
      <p className="body-l">
        Who has signed the {campaignName} pledge, and how many supporters have asked their candidates, as files anyone
        may download and reuse.
      </p>

      <h2 className="heading-l">Download</h2>
      <ul className="list data-files">
        {openDataFiles.map((file) => (
          <li key={file.href}>
            <a href={file.href}>{file.name}</a>
            <span className="hint"> – {file.description}</span>
          </li>
        ))}
      </ul>
      <p>
        The files are made from the same records as the board and the map, and are never more than a few seconds old.
        Any website may fetch them (they are sent with <code>Access-Control-Allow-Origin: *</code>).
      </p>

      <h2 className="heading-l" id="pledges">
        Candidates and their answers
      </h2>
      <p>
        <code>pledges.csv</code> has one row per candidate, <code>pledges.json</code> one entry in <code>data</code> per
        candidate. Candidates who have withdrawn are included, marked as withdrawn.
      </p>
      {points.length > 0 ? (
        <>
          <p>The pledge points, numbered as in the CSV&apos;s columns:</p>
          <ol className="data-points">
            {points.map((p) => (
              <li key={p.position}>
                <code>point_{p.position}</code>: {p.title}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <FieldTable caption="Fields in pledges.csv and pledges.json" fields={pledgeFields} />

      <h2 className="heading-l" id="constituencies">
        Counts per constituency
      </h2>
      <p>
        <code>constituencies.json</code> has one entry in <code>data</code> per constituency, including any with no
        candidates yet. To protect supporters&apos; privacy, a count of asks under {SUPPRESS_BELOW} is not published:{" "}
        <code>asks</code> is <code>null</code> and <code>asks_suppressed</code> is <code>true</code>.
      </p>
      <FieldTable caption="Fields in constituencies.json" fields={constituencyFields} />

      <h2 className="heading-l" id="formats">
        Formats
      </h2>
      <h3 className="heading-m">CSV</h3>
      <ul className="data-notes">
        <li>
          Standard CSV (RFC 4180): UTF-8 without a byte order mark, comma-separated, with a header row. Each record ends
          with CRLF. A value is in double quotes only when it holds a comma, a double quote or a line break.
        </li>
        <li>An empty cell means no value: not answered, or no statement.</li>
        <li>
          <strong>Spreadsheet protection.</strong> A cell that would begin with <code>=</code>, <code>+</code>,{" "}
          <code>-</code>, <code>@</code>, a tab or a carriage return begins with an apostrophe (<code>&apos;</code>)
          instead, so a spreadsheet shows it as text rather than running it as a formula. A statement written{" "}
          <code>=HYPERLINK(…)</code> is <code>&apos;=HYPERLINK(…)</code> in the CSV. If you need the exact text, remove
          that one apostrophe, or use the JSON files, which hold every value unchanged.
        </li>
        <li>
          To open the file in Excel with accents intact (Sinn Féin, Penmôr), use Data, From Text/CSV, and choose the
          file origin 65001: Unicode (UTF-8).
        </li>
      </ul>
      <h3 className="heading-m">JSON</h3>
      <ul className="data-notes">
        <li>
          UTF-8. The top level is <code>{'{ "meta": …, "data": […] }'}</code>. <code>meta</code> gives the campaign, the{" "}
          <code>election_id</code>, when the file was made (<code>generated_at</code>), a link to this page, the
          licence, the attribution and a description of each field; in <code>pledges.json</code> it also lists the
          points.
        </li>
        <li>
          A missing value is <code>null</code>. Dates are UTC, in ISO 8601 (<code>2024-06-20T09:00:00.000Z</code>).
        </li>
      </ul>

      <h2 className="heading-l" id="licence">
        Licence and attribution
      </h2>
      <p>
        You may copy, adapt and publish these files for any purpose under the{" "}
        <a href={openDataLicence.url}>{openDataLicence.name}</a> licence: credit the sources below and share what you
        make from them under the same licence. Democracy Club&apos;s candidate data, which the files include, is
        licensed CC BY-SA 3.0, which allows this.
      </p>
      <ul className="data-notes">
        {attribution.map((a) => (
          <li key={a.source}>
            <a href={a.url}>{a.source}</a>: {a.provides}. Licence: <a href={a.licence_url}>{a.licence}</a>.
          </li>
        ))}
      </ul>
      <p>
        A CSV file has no room for this notice, so every file&apos;s response links here (
        <code>Link: &lt;/data&gt;; rel=&quot;describedby&quot;</code>) and the JSON files repeat it in{" "}
        <code>meta.attribution</code>.
      </p>
    </div>
  );
}

function FieldTable({ caption, fields }: { caption: string; fields: FieldDoc[] }) {
  return (
    <table className="table data-fields">
      <caption className="table__caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">What it holds</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={field.name}>
            <th scope="row">
              <code>{field.name}</code>
            </th>
            <td>
              {field.description}
              {field.only ? <span className="hint"> ({field.only.toUpperCase()} only)</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { LinksFunction } from "@remix-run/node";
import {
  Link,
  Links,
  NavLink,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { MailBanner } from "~/components/mail-banner";
import { findCampaign } from "~/models/campaign.server";
import { env, mailMode } from "~/utils/env.server";
import stylesheet from "~/styles/app.css?url";
import { paths } from "~/utils/paths";
import { documentScripts } from "~/utils/route-handle";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export async function loader() {
  const campaign = await findCampaign();
  return {
    campaignName: campaign?.name ?? "Pledge tracker",
    // For absolute links in Open Graph tags (see utils/social-meta.ts).
    publicUrl: env.PUBLIC_URL,
    // Without SMTP every page says so: see components/mail-banner.tsx.
    mailMode,
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const campaignName = data?.campaignName ?? "Pledge tracker";
  const { hydrate, scripts } = documentScripts(useMatches().map((m) => m.handle));
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b0c0c" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main-content" className="skip-link">
          Skip to main content
        </a>
        <header className="header">
          <div className="width-container header__inner">
            <Link to={paths.home} className="header__name">
              {campaignName}
            </Link>
            <nav aria-label="Main" className="header__nav">
              <ul>
                {/* NavLink marks the section the page is in (aria-current="page"), with or without JavaScript. */}
                <li>
                  <NavLink to={paths.home} end>
                    Home
                  </NavLink>
                </li>
                <li>
                  <NavLink to={paths.board}>Who has signed</NavLink>
                </li>
                <li>
                  <NavLink to={paths.constituencies}>Constituencies</NavLink>
                </li>
                <li>
                  <NavLink to={paths.map}>Map</NavLink>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        {data ? <MailBanner mailMode={data.mailMode} /> : null}
        <div className="width-container">
          <main id="main-content" className="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer className="footer">
          <div className="width-container">
            <p>
              Candidate data from <a href="https://candidates.democracyclub.org.uk/">Democracy Club</a> (CC BY-SA 3.0).
              Constituency names and codes from the Office for National Statistics (Open Government Licence v3).
              Electorates from the House of Commons Library (Open Parliament Licence v3).
            </p>
            <p>
              <Link to={paths.data}>Open data</Link>: download who has signed, as CSV and JSON, to reuse under CC BY-SA
              4.0.
            </p>
            <p>
              <Link to={paths.privacy}>Privacy notice</Link>: what we collect when you ask your candidates, who sees it
              and how long we keep it.
            </p>
          </div>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration />
            <Scripts />
          </>
        ) : (
          scripts.map((src) => <script key={src} type="module" src={src} />)
        )}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export { ErrorBoundary } from "~/components/route-error";

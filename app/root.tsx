import type { LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { findCampaign } from "~/models/campaign.server";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export function loader() {
  const campaign = findCampaign();
  return { campaignName: campaign?.name ?? "Pledge tracker" };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const campaignName = data?.campaignName ?? "Pledge tracker";
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
            <Link to="/" className="header__name">
              {campaignName}
            </Link>
            <nav aria-label="Main" className="header__nav">
              <ul>
                <li>
                  <Link to="/">Home</Link>
                </li>
                <li>
                  <Link to="/constituencies">Constituencies</Link>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <div className="width-container">
          <main id="main-content" className="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer className="footer">
          <div className="width-container">
            <p>
              Candidate data from <a href="https://candidates.democracyclub.org.uk/">Democracy Club</a> (CC BY-SA
              3.0). Constituency names and codes from the Office for National Statistics (Open Government Licence v3).
              Electorates from the House of Commons Library (Open Parliament Licence v3).
            </p>
          </div>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <title>Page not found</title>
        <h1 className="heading-l">Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>
          <Link to="/constituencies">Find your constituency</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <title>Sorry, there is a problem with the service</title>
      <h1 className="heading-l">Sorry, there is a problem with the service</h1>
      <p>Try again later.</p>
    </>
  );
}

import { expect, test } from "vitest";
import { isWebAddress } from "~/utils/web-address";

test("only absolute http and https addresses are web addresses", () => {
  for (const ok of ["https://example.org/", "http://example.org/a?b=c", "HTTPS://EXAMPLE.ORG"])
    expect(isWebAddress(ok), ok).toBe(true);
  for (const bad of [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:ada@example.org",
    "//example.org/no-scheme",
    "example.org",
    "@ada@mastodon.social",
    "",
  ]) {
    expect(isWebAddress(bad), bad).toBe(false);
  }
});

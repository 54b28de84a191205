// Who the data controller is and how to reach them and the DPO, checked the
// same way wherever they are set: campaign.json (npm run campaign) and the
// console's privacy settings page. Client-safe: zod only.
import { z } from "zod";
import { emailAddress } from "./fields";

const required = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`);

export const privacyContactsSchema = z.strictObject({
  controllerName: required("the data controller's name", 200),
  controllerAddress: required("the data controller's postal address", 500).transform((address) =>
    // One line of the address a line, without blank ones or Windows line ends.
    address
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .join("\n"),
  ),
  controllerEmail: z
    .string()
    .trim()
    .pipe(emailAddress("Enter the data controller's email address in the correct format, like name@example.org")),
  // The DPO is optional: blank (the page always sends both fields) when there is none.
  dpoName: z.string().trim().max(200, "The DPO's name must be 200 characters or fewer"),
  dpoEmail: z
    .string()
    .trim()
    .pipe(
      z.union([
        z.literal(""),
        emailAddress("Enter the DPO's email address in the correct format, like dpo@example.org"),
      ]),
    ),
});

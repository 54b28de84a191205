import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConstituencyPicker } from "~/components/constituency-picker";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/field";
import { listConstituencyChoices } from "~/models/constituency.server";
import { lookUpPostcode, type PostcodeLookup } from "~/models/postcode-lookup.server";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { noIndex } from "~/utils/private-page";
import { paths, withQuery } from "~/utils/paths";
import { POSTCODE_ECHO_MAX } from "~/utils/page-query";
import { postcodeProblem } from "~/utils/postcode";
import { staticPage } from "~/utils/route-handle";

export { ErrorBoundary } from "~/components/route-error";

const title = "Find your constituency";
const unavailableTitle = "Sorry, we cannot look up postcodes at the moment";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.unavailable ? unavailableTitle : errorTitle(title, data?.errors) },
  noIndex,
];

const postcodeQuery = z.object({ postcode: z.string().trim().min(1, "Enter your postcode") });

function constituencyQuery(choices: { slug: string }[]) {
  return z.object({
    constituency: z
      .string()
      .trim()
      .refine((slug) => choices.some((c) => c.slug === slug), "Choose your constituency from the list"),
  });
}

/**
 * GET /find?postcode=… looks the postcode up and sends the person to their
 * constituency; GET /find?constituency=<slug> does the same for someone who
 * chose it by name. Both are plain GET forms, so results can be shared and
 * the page works without JavaScript. With neither, it is just the form.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const choices = await listConstituencyChoices();
  const page = (values: { postcode?: string; selected?: string; errors?: FieldErrors; unavailable?: boolean }) => ({
    postcode: values.postcode ?? "",
    selected: values.selected ?? "",
    errors: values.errors ?? {},
    unavailable: values.unavailable ?? false,
    choices,
  });

  const chosen = params.get("constituency");
  if (chosen !== null) {
    const parsed = constituencyQuery(choices).safeParse({ constituency: chosen });
    if (parsed.success) return redirect(paths.constituency(parsed.data.constituency));
    return data(page({ errors: fieldErrorsOf(parsed.error) }), { status: 400 });
  }

  const typed = params.get("postcode");
  if (typed === null) return data(page({}));
  const parsed = postcodeQuery.safeParse({ postcode: typed });
  if (!parsed.success) return data(page({ errors: fieldErrorsOf(parsed.error) }), { status: 400 });
  const postcode = parsed.data.postcode.slice(0, POSTCODE_ECHO_MAX);

  const result = await lookUpPostcode(typed);
  if (result.status === "found") {
    return redirect(withQuery(paths.constituency(result.constituency.slug), { postcode: result.postcode }));
  }
  if (result.status === "unavailable") {
    console.error(`postcode lookup unavailable: ${result.message}`);
    return data(page({ postcode, unavailable: true }), { status: 503 });
  }
  const status = result.status === "invalid" ? 400 : 404;
  return data(page({ postcode, errors: { postcode: problemWith(result) } }), { status });
}

function problemWith(result: Exclude<PostcodeLookup, { status: "found" | "unavailable" }>): string {
  return postcodeProblem(result, {
    invalid: "Enter a full UK postcode, like SW1A 1AA",
    otherwise: "or choose your constituency from the list",
  });
}

export default function FindConstituency() {
  const { postcode, selected, errors, unavailable, choices } = useLoaderData<typeof loader>();
  return (
    <>
      <ErrorSummary errors={errors} />
      {unavailable ? (
        <>
          <h1 className="heading-xl">{unavailableTitle}</h1>
          <p>Try again later, or choose your constituency from the list instead.</p>
        </>
      ) : (
        <h1 className="heading-xl">{title}</h1>
      )}
      <Form method="get" action={paths.find} noValidate>
        <TextField
          id="postcode"
          label="Enter your postcode"
          hint="For example, SW1A 1AA"
          error={errors.postcode}
          defaultValue={postcode}
          autoComplete="postal-code"
          spellCheck={false}
          className="input--postcode"
        />
        <button type="submit" className="button">
          Find constituency
        </button>
      </Form>
      <h2 className="heading-m">Or choose your constituency by name</h2>
      <ConstituencyPicker choices={choices} selected={selected} error={errors.constituency} />
    </>
  );
}

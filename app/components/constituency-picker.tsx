import { Form } from "@remix-run/react";
import { SelectField } from "~/components/field";
import { nations } from "#db/enums";
import { paths } from "~/utils/paths";

export type ConstituencyChoice = { name: string; slug: string; nation: string };

/**
 * "Choose your constituency by name": for anyone without a postcode, or
 * whose postcode we cannot place. A plain GET form to /find, so it works
 * without JavaScript; grouped by nation so 650 names stay scannable.
 */
export function ConstituencyPicker({
  choices,
  selected = "",
  error,
  label = "Choose your constituency",
}: {
  choices: ConstituencyChoice[];
  selected?: string;
  error?: string;
  label?: string;
}) {
  const groups = nations
    .map((nation) => ({
      label: nation,
      options: choices.filter((c) => c.nation === nation).map((c): [string, string] => [c.slug, c.name]),
    }))
    .filter((g) => g.options.length > 0);
  return (
    <Form method="get" action={paths.find}>
      <SelectField
        id="constituency"
        label={label}
        error={error}
        value={selected}
        groups={groups}
        allLabel="Choose a constituency"
      />
      <button type="submit" className="button button--secondary">
        Go to constituency
      </button>
    </Form>
  );
}

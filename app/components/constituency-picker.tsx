import { Form } from "@remix-run/react";
import { nations } from "#db/enums";

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
    .map((nation) => ({ nation, choices: choices.filter((c) => c.nation === nation) }))
    .filter((g) => g.choices.length > 0);
  return (
    <Form method="get" action="/find">
      <div className={`form-group${error ? " form-group--error" : ""}`}>
        <label className="label" htmlFor="constituency">
          {label}
        </label>
        {error ? (
          <p id="constituency-error" className="error-message">
            <span className="visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <select
          className={`select${error ? " select--error" : ""}`}
          id="constituency"
          name="constituency"
          defaultValue={selected}
          aria-describedby={error ? "constituency-error" : undefined}
          aria-invalid={error ? true : undefined}
        >
          <option value="">Choose a constituency</option>
          {groups.map((group) => (
            <optgroup key={group.nation} label={group.nation}>
              {group.choices.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--secondary">
        Go to constituency
      </button>
    </Form>
  );
}

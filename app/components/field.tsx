import type { ReactNode } from "react";

// GOV.UK form fields: label, hint and error wired to the control with
// aria-describedby, and the value the person typed kept on error.

type Common = { id: string; label: ReactNode; hint?: ReactNode; error?: string };

function describedBy(id: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function HintAndError({ id, hint, error }: Pick<Common, "id" | "hint" | "error">) {
  return (
    <>
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  id,
  name = id,
  label,
  hint,
  error,
  defaultValue,
  type = "text",
  autoComplete,
  spellCheck,
  className,
  inputMode,
}: Common & {
  name?: string;
  defaultValue?: string;
  type?: "text" | "email" | "password" | "date" | "search";
  autoComplete?: string;
  spellCheck?: boolean;
  className?: string;
  inputMode?: "numeric" | "text";
}) {
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      <input
        className={`input${error ? " input--error" : ""}${className ? ` ${className}` : ""}`}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

/** A GOV.UK file upload. A file input cannot keep what was chosen: after an error it is chosen again. */
export function FileField({ id, label, hint, error, accept }: Common & { accept?: string }) {
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      <input
        className={`file-upload${error ? " file-upload--error" : ""}`}
        id={id}
        name={id}
        type="file"
        accept={accept}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export function TextArea({
  id,
  name = id,
  label,
  hint,
  error,
  defaultValue,
  rows = 5,
  maxLength,
}: Common & { name?: string; defaultValue?: string; rows?: number; maxLength?: number }) {
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      <textarea
        className={`textarea${error ? " input--error" : ""}`}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

type Option = { value: string; label: ReactNode; hint?: ReactNode };

/** Checkboxes or radios in a fieldset; the first option's id is `id` so the error summary can link to it. */
export function ChoiceGroup({
  id,
  name,
  type,
  legend,
  hint,
  error,
  options,
  checked,
}: {
  id: string;
  name: string;
  type: "checkbox" | "radio";
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Option[];
  checked: string[];
}) {
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className="fieldset__legend">{legend}</legend>
        <HintAndError id={id} hint={hint} error={error} />
        <div className="choices">
          {options.map((option, i) => {
            const optionId = i === 0 ? id : `${id}-${i + 1}`;
            return (
              <div className="choice" key={option.value}>
                <input
                  className="choice__input"
                  id={optionId}
                  name={name}
                  type={type}
                  value={option.value}
                  defaultChecked={checked.includes(option.value)}
                  aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                />
                <label className="choice__label" htmlFor={optionId}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={`${optionId}-hint`} className="hint choice__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

type SelectOption = [value: string, text: string];

/**
 * A GOV.UK select, keeping the current value: "All" first (unless `allLabel`
 * is null), then the options, or the option groups (`groups`) when a long
 * list needs headings.
 */
export function SelectField({
  id,
  label,
  hint,
  error,
  value,
  options = [],
  groups = [],
  allLabel = "All",
}: Common & {
  value: string | undefined;
  options?: SelectOption[];
  groups?: { label: string; options: SelectOption[] }[];
  allLabel?: string | null;
}) {
  const optionList = (list: SelectOption[]) =>
    list.map(([v, text]) => (
      <option key={v} value={v}>
        {text}
      </option>
    ));
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      <select
        className={`select${error ? " select--error" : ""}`}
        id={id}
        name={id}
        defaultValue={value ?? ""}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {allLabel ? <option value="">{allLabel}</option> : null}
        {optionList(options)}
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {optionList(group.options)}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

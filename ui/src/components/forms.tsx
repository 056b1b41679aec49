// GOV.UK-style form pieces: an error summary at the top, the message beside each field.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { asEngineError, type EngineError } from "../api";
import { announceChange } from "../changes";
import { FocusLink } from "./links";

/** Engine messages are written to follow "error:"; on screen they start a sentence. */
export function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Which field an engine error belongs to, matched on the start of its path. */
export function fieldError(error: EngineError | null, field: string): string | null {
  if (!error || !error.field) return null;
  return error.field === field || error.field.startsWith(field + ".") ? sentence(error.message) : null;
}

export function ErrorSummary({
  error,
  fields,
  form,
}: {
  error: EngineError | null;
  fields: Record<string, string>;
  form?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const target = error.field ? Object.keys(fields).find((f) => error.field === f || error.field?.startsWith(f + ".")) : undefined;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2>There is a problem</h2>
      <ul>
        <li>
          {target ? <FocusLink to={`field-${form ? form + "-" : ""}${target}`}>{sentence(error.message)}</FocusLink> : sentence(error.message)}
        </li>
        {error.details.map((d) => (
          <li key={d}>Missing: {d}</li>
        ))}
      </ul>
      {error.code === "conflict" && (
        <button type="button" className="secondary" data-testid="reload-after-conflict" onClick={() => announceChange(true)}>
          Reload
        </button>
      )}
    </div>
  );
}

export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  error: EngineError | null;
  /** Keeps ids unique when two forms on one screen have a field of the same name. */
  form?: string;
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const msg = fieldError(props.error, props.name);
  const id = `field-${props.form ? props.form + "-" : ""}${props.name}`;
  const described = [props.hint ? `${id}-hint` : null, msg ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={"form-group" + (msg ? " form-group--error" : "")}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      {msg && (
        <p className="error-message" id={`${id}-error`} data-testid={`error-${props.form ? props.form + "-" : ""}${props.name}`}>
          <span className="visually-hidden">Error:</span> {msg}
        </p>
      )}
      {props.children(id, described, !!msg)}
    </div>
  );
}

export function TextInput(props: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  error: EngineError | null;
  type?: string;
  width?: string;
  form?: string;
}) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error} form={props.form}>
      {(id, describedBy, invalid) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          value={props.value}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          style={props.width ? { maxWidth: props.width } : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** "Saved." beside a form's button once its last save succeeded, announced to screen readers. */
export function SavedNote({ shown }: { shown: boolean }) {
  if (!shown) return null;
  return (
    <span role="status" className="saved-note">
      {" "}
      Saved.
    </span>
  );
}

export function TextArea(props: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  error: EngineError | null;
  rows?: number;
  form?: string;
  className?: string;
}) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error} form={props.form}>
      {(id, describedBy, invalid) => (
        <textarea
          id={id}
          name={props.name}
          rows={props.rows ?? 3}
          value={props.value}
          className={props.className}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * One form's save: runs the engine call, keeps its error for the fields and the summary,
 * and says "Saved." once it succeeded. `after` receives what the engine returned.
 */
export function useSave<T>(run: () => Promise<T>, after: (v: T) => void) {
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSaved(false);
    try {
      const v = await run();
      setError(null);
      setSaved(true);
      after(v);
    } catch (err) {
      setError(asEngineError(err));
    }
  };
  return { error, saved, submit };
}

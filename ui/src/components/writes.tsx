// What a read-only workspace leaves out: a copy of a team workspace (`lotwise backup`, opened
// offline) or a file in a folder that cannot be written. The store refuses every change
// there anyway; these keep the screens from offering one.
import type { FormHTMLAttributes, ReactNode } from "react";
import { useReadOnly } from "../workspace";

/** Something that changes the record (a button, a file to import): not shown when read-only. */
export function Writes({ children }: { children: ReactNode }) {
  return useReadOnly() ? null : <>{children}</>;
}

/**
 * A form that changes the record. On a read-only copy a form that only adds something is
 * not shown; one whose fields show what is recorded (`shows`: the specification, the
 * route, a plan's dates) stays, its fields disabled and its buttons gone.
 */
export function WriteForm({ shows, children, ...form }: FormHTMLAttributes<HTMLFormElement> & { shows?: boolean }) {
  const readOnly = useReadOnly();
  if (!readOnly) return <form {...form}>{children}</form>;
  if (!shows) return null;
  return (
    <form {...form} onSubmit={(e) => e.preventDefault()} className={[form.className, "read-only-form"].filter(Boolean).join(" ")}>
      <ReadOnlyFields>{children}</ReadOnlyFields>
    </form>
  );
}

/** Fields that show what is recorded: disabled on a read-only copy, so nothing can be typed there. */
export function ReadOnlyFields({ children }: { children: ReactNode }) {
  const readOnly = useReadOnly();
  if (!readOnly) return <>{children}</>;
  return (
    <fieldset disabled className="read-only-fields">
      {children}
    </fieldset>
  );
}

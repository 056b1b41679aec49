// Links within the page. The app routes on the URL's hash (HashRouter), so a plain
// `<a href="#field-…">` would change the route and empty the screen; these move focus to
// the element instead and never touch the route (WCAG 2.4.3 focus order, 2.4.1 bypass blocks).
import type { MouseEvent, ReactNode } from "react";

/** Moves focus to the element with this id (making it focusable if it is not), in view. */
export function focusElement(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const focusable = el.matches("a[href], button, input, select, textarea, [tabindex]");
  if (!focusable) el.setAttribute("tabindex", "-1");
  el.focus();
  el.scrollIntoView({ block: "center" });
  return true;
}

export function FocusLink({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    focusElement(to);
  };
  // The href says where the link goes (a screen reader announces a link); the click handler
  // keeps the route. Enter on a focused link fires the same click.
  return (
    <a href={`#${to}`} className={className} onClick={follow}>
      {children}
    </a>
  );
}

export function SkipLink() {
  return (
    <FocusLink to="main" className="skip-link">
      Skip to main content
    </FocusLink>
  );
}

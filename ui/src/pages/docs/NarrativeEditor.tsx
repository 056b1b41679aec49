// The officer's part of a decision paper: the header block, the narrative sections, the
// options with benefits and risks, contacts and appendices. Every control is labelled and
// shows the engine's message beside it.
import type { EngineError } from "../../api";
import type { Appendix } from "../../bindings/Appendix";
import type { Contact } from "../../bindings/Contact";
import type { PaperDraft } from "../../bindings/PaperDraft";
import type { PaperHeader } from "../../bindings/PaperHeader";
import type { PaperOption } from "../../bindings/PaperOption";
import type { PaperView } from "../../bindings/PaperView";
import { Field, TextInput } from "../../components/forms";

const HEADER: [keyof PaperHeader, string][] = [
  ["decisionNumber", "Decision number"],
  ["decisionMaker", "Decision maker"],
  ["from", "From"],
  ["to", "To"],
  ["subject", "Subject"],
  ["classification", "Classification"],
  ["electoralDivisions", "Electoral divisions"],
];

const PARAGRAPHS = [1, 2, 3, 4, 5, 6, 7];

const OPTION_TEXTS: [keyof PaperOption, string][] = [
  ["description", "Description (optional)"],
  ["benefits", "Benefits"],
  ["risks", "Risks"],
];

function TextArea(props: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  rows?: number;
  missing?: boolean;
  error: EngineError | null;
  onChange: (v: string) => void;
}) {
  return (
    <Field
      name={props.name}
      label={props.label + (props.missing ? " (still to write)" : "")}
      hint={props.hint}
      error={props.error}
    >
      {(id, describedBy, invalid) => (
        <textarea
          id={id}
          name={props.name}
          rows={props.rows ?? 4}
          value={props.value}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function NarrativeEditor({
  view,
  draft,
  onChange,
  error,
}: {
  view: PaperView;
  draft: PaperDraft;
  onChange: (d: PaperDraft) => void;
  error: EngineError | null;
}) {
  const missing = new Set(view.gaps.map((g) => g.field));
  const header = (k: keyof PaperHeader, v: string | boolean) =>
    onChange({ ...draft, header: { ...draft.header, [k]: v } });
  const section = (k: string, v: string) => onChange({ ...draft, sections: { ...draft.sections, [k]: v } });
  const setOption = (i: number, o: PaperOption) =>
    onChange({ ...draft, options: draft.options.map((x, j) => (j === i ? o : x)) });
  const setContact = (i: number, c: Contact) =>
    onChange({ ...draft, contacts: draft.contacts.map((x, j) => (j === i ? c : x)) });
  const setAppendix = (i: number, a: Appendix) =>
    onChange({ ...draft, appendices: draft.appendices.map((x, j) => (j === i ? a : x)) });
  const narrative = view.sections.filter((s) => !s.implication);
  const implications = view.sections.filter((s) => s.implication);
  const textOf = (k: string) => draft.sections[k] ?? "";

  return (
    <div data-testid="paper-editor">
      <fieldset>
        <legend>Header</legend>
        {HEADER.map(([k, label]) => (
          <TextInput
            key={k}
            name={`header.${k}`}
            label={label + (missing.has(`header.${k}`) ? " (still to write)" : "")}
            value={draft.header[k] as string}
            onChange={(v) => header(k, v)}
            error={error}
          />
        ))}
        <div className="form-group">
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.header.keyDecision}
              onChange={(e) => header("keyDecision", e.target.checked)}
              data-testid="key-decision"
            />{" "}
            This is a key decision (it must be on the forward plan 28 clear days ahead)
          </label>
        </div>
        {view.kind === "extension" && view.extensionChoices.length > 0 && (
          <Field name="extensionOption" label="Extension option proposed" error={error}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={draft.extensionOption ?? ""}
                onChange={(e) =>
                  onChange({ ...draft, extensionOption: e.target.value ? Number(e.target.value) : null })
                }
              >
                <option value="">The first available option</option>
                {view.extensionChoices.map((c) => (
                  <option key={c.number} value={c.number}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </fieldset>

      <fieldset>
        <legend>The paper</legend>
        <p className="hint">
          Write plainly. A blank line starts a new paragraph; start lines with “-” or “1.” for lists; **bold** and
          *italic* work. Figures are added from the workspace, so do not type them here.
        </p>
        {narrative.map((s) => (
          <TextArea
            key={s.key}
            name={`sections.${s.key}`}
            label={s.label + (s.required ? "" : " (optional)")}
            hint={s.hint}
            value={textOf(s.key)}
            missing={missing.has(`sections.${s.key}`)}
            rows={s.key === "background" || s.key === "summary" ? 6 : 4}
            error={error}
            onChange={(v) => section(s.key, v)}
          />
        ))}
      </fieldset>

      <fieldset data-testid="paper-options">
        <legend>Options considered</legend>
        {draft.options.map((o, i) => (
          <div key={i} className="repeat">
            <h4>Option {String.fromCharCode(65 + i)}</h4>
            <TextInput
              name={`options.${i}.title`}
              label="Title"
              value={o.title}
              onChange={(v) => setOption(i, { ...o, title: v })}
              error={error}
            />
            {OPTION_TEXTS.map(([k, label]) => (
              <TextArea
                key={k}
                name={`options.${i}.${k}`}
                label={label}
                value={o[k]}
                rows={2}
                missing={missing.has(`options.${i}.${k}`)}
                error={error}
                onChange={(v) => setOption(i, { ...o, [k]: v })}
              />
            ))}
            <button
              type="button"
              className="link-button"
              onClick={() =>
                onChange({
                  ...draft,
                  options: draft.options.filter((_, j) => j !== i),
                  preferredOption: null,
                })
              }
            >
              Remove option {String.fromCharCode(65 + i)}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            onChange({ ...draft, options: [...draft.options, { title: "", description: "", benefits: "", risks: "" }] })
          }
        >
          Add an option
        </button>
        <Field name="preferredOption" label="Preferred option" error={error}>
          {(id, describedBy, invalid) => (
            <select
              id={id}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={draft.preferredOption ?? ""}
              data-testid="preferred-option"
              onChange={(e) =>
                onChange({ ...draft, preferredOption: e.target.value ? Number(e.target.value) : null })
              }
            >
              <option value="">Choose…</option>
              {draft.options.map((o, i) => (
                <option key={i} value={i + 1}>
                  Option {String.fromCharCode(65 + i)}: {o.title || "(untitled)"}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Implications</legend>
        {implications.map((s) => (
          <TextArea
            key={s.key}
            name={`sections.${s.key}`}
            label={s.label + (s.required ? "" : " (optional)")}
            hint={s.hint}
            value={textOf(s.key)}
            missing={missing.has(`sections.${s.key}`)}
            rows={3}
            error={error}
            onChange={(v) => section(s.key, v)}
          />
        ))}
      </fieldset>

      <fieldset>
        <legend>Contacts{missing.has("contacts") ? " (still to write)" : ""}</legend>
        {draft.contacts.map((c, i) => (
          <div key={i} className="repeat repeat--row">
            {(["name", "role", "phone", "email"] as const).map((k) => (
              <TextInput
                key={k}
                name={`contacts.${i}.${k}`}
                label={{ name: "Name", role: "Role", phone: "Telephone", email: "Email" }[k]}
                value={c[k]}
                onChange={(v) => setContact(i, { ...c, [k]: v })}
                error={error}
              />
            ))}
            <button
              type="button"
              className="link-button"
              onClick={() => onChange({ ...draft, contacts: draft.contacts.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            onChange({ ...draft, contacts: [...draft.contacts, { name: "", role: "", phone: "", email: "" }] })
          }
        >
          Add a contact
        </button>
      </fieldset>

      <fieldset>
        <legend>Appendices</legend>
        {draft.appendices.map((a, i) => (
          <div key={i} className="repeat">
            <TextInput
              name={`appendices.${i}.title`}
              label={`Appendix ${i + 1} title`}
              value={a.title}
              onChange={(v) => setAppendix(i, { ...a, title: v })}
              error={error}
            />
            <TextArea
              name={`appendices.${i}.body`}
              label="Contents"
              value={a.body}
              rows={4}
              error={error}
              onChange={(v) => setAppendix(i, { ...a, body: v })}
            />
            <label className="inline">
              <input
                type="checkbox"
                checked={a.exempt}
                onChange={(e) =>
                  setAppendix(i, { ...a, exempt: e.target.checked, exemptParagraph: a.exemptParagraph ?? 3 })
                }
              />{" "}
              Exempt (Part B): left out of the published version
            </label>
            {a.exempt && (
              <Field name={`appendices.${i}.exemptParagraph`} label="Schedule 12A paragraph relied on" error={error}>
                {(id, describedBy) => (
                  <select
                    id={id}
                    aria-describedby={describedBy}
                    value={a.exemptParagraph ?? 3}
                    onChange={(e) => setAppendix(i, { ...a, exemptParagraph: Number(e.target.value) })}
                  >
                    {PARAGRAPHS.map((p) => (
                      <option key={p} value={p}>
                        Paragraph {p}
                        {p === 3 ? ": financial or business affairs" : p === 1 ? ": an individual" : ""}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <button
              type="button"
              className="link-button"
              onClick={() => onChange({ ...draft, appendices: draft.appendices.filter((_, j) => j !== i) })}
            >
              Remove appendix {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            onChange({
              ...draft,
              appendices: [...draft.appendices, { title: "", body: "", exempt: false, exemptParagraph: null }],
            })
          }
        >
          Add an appendix
        </button>
      </fieldset>
    </div>
  );
}

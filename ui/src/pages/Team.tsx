// "Open a team workspace": the person signs in to the council's PostgreSQL server with their
// own login. The server then says who they are; the password goes to the server only.
import { useState, type FormEvent } from "react";
import { api, type EngineError } from "../api";
import { ErrorSummary, Field, TextInput } from "../components/forms";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";

const TLS_MODES: [string, string][] = [
  ["verify-full", "Verify the server's certificate and name (recommended)"],
  ["verify-ca", "Verify the server's certificate"],
  ["require", "Encrypt, without verifying the certificate"],
  ["prefer", "Encrypt when the server offers it"],
  ["disable", "Do not encrypt (only on this machine or a trusted network)"],
];

const FIELDS = {
  host: "Server",
  port: "Port",
  database: "Database",
  user: "User name",
  password: "Password",
  tlsMode: "Secure connection",
  caFile: "CA certificate file",
};

export function TeamPage({ info }: { info: WorkspaceInfo | null }) {
  const [host, setHost] = useState("");
  const [port, setPort] = useState("5432");
  const [database, setDatabase] = useState("lotwise");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [tlsMode, setTlsMode] = useState("verify-full");
  const [caFile, setCaFile] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.openTeam({ host, port, database, user, password, tlsMode, caFile });
      setPassword("");
      // Every screen starts again as the server's person, on the server's records.
      window.location.hash = "#/";
      window.location.reload();
    } catch (err) {
      setError(err as EngineError);
      setBusy(false);
    }
  };
  const leave = async () => {
    try {
      await api.openLaptop();
      window.location.hash = "#/";
      window.location.reload();
    } catch (err) {
      setError(err as EngineError);
    }
  };

  return (
    <div className="narrow">
      <h1>Open a team workspace</h1>
      {info?.team ? (
        <div className="inset" data-testid="team-connected">
          <p>
            You are signed in to <strong>{info.team}</strong> as <strong>{info.user}</strong> ({info.roleLabel}). The server says who you are,
            and shows you only what your role may see.
          </p>
          <button type="button" className="secondary" onClick={leave} data-testid="team-leave">
            Back to this laptop's workspace
          </button>
        </div>
      ) : (
        <p>
          Your team's shared workspace is kept on the council's PostgreSQL server. Sign in with the user name and password IT gave you. Lotwise
          sends the password to the server and does not keep it.
        </p>
      )}
      <ErrorSummary error={error} fields={FIELDS} form="team" />
      <form onSubmit={open} noValidate data-testid="team-form">
        <TextInput name="host" form="team" label="Server" hint="Its name or address, for example db.kent.gov.uk." value={host} onChange={setHost} error={error} />
        <TextInput name="port" form="team" label="Port" hint="Usually 5432." value={port} onChange={setPort} error={error} width="8em" />
        <TextInput name="database" form="team" label="Database" value={database} onChange={setDatabase} error={error} width="20em" />
        <TextInput name="user" form="team" label="User name" hint="For example r.hughes." value={user} onChange={setUser} error={error} width="20em" />
        <TextInput name="password" form="team" label="Password" type="password" value={password} onChange={setPassword} error={error} width="20em" />
        <Field name="tlsMode" form="team" label="Secure connection" error={error}>
          {(id, describedBy, invalid) => (
            <select id={id} value={tlsMode} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setTlsMode(e.target.value)}>
              {TLS_MODES.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {(tlsMode === "verify-full" || tlsMode === "verify-ca") && (
          <TextInput
            name="caFile"
            form="team"
            label="CA certificate file"
            hint="The full path of the certificate (PEM) IT gave you, for example /etc/ssl/certs/kent-ca.pem."
            value={caFile}
            onChange={setCaFile}
            error={error}
          />
        )}
        <button type="submit" disabled={busy} data-testid="team-open">
          {busy ? "Connecting…" : "Open the team workspace"}
        </button>
      </form>
    </div>
  );
}

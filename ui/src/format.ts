// en-GB presentation of values that arrive as exact strings from the engine.
// Money is never turned into a float: it is formatted from its decimal string.

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

/** "1462000.00" -> "£1,462,000"; "1462000.50" -> "£1,462,000.50" */
export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const negative = value.startsWith("-");
  const [pounds, pence = ""] = value.replace(/^-/, "").split(".");
  const grouped = pounds.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const p = pence.padEnd(2, "0").slice(0, 2);
  return `${negative ? "-" : ""}£${grouped}${p === "00" ? "" : "." + p}`;
}

/** "2026-11-24" -> "24 November 2026" */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

/** "2026-11-24" -> "24/11/2026" */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** An RFC 3339 instant shown in the officer's own time: "24/11/2026 10:06". */
export function dateTime(instant: string): string {
  const d = new Date(instant);
  return d.toLocaleString("en-GB", {
    day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
  }).replace(",", "");
}

/** A whole number of pence, summed exactly as a bigint, shown as money: 146200050n -> "£1,462,000.50". */
export function moneyFromPence(pence: bigint): string {
  const negative = pence < 0n;
  const digits = (negative ? -pence : pence).toString().padStart(3, "0");
  return money(`${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}

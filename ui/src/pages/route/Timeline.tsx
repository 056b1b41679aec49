// The lot's timeline: milestones, notices and time limits on one date axis with today's line,
// and the same entries as a table (the chart is a picture; the table is the record).
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { TimelineEntry } from "../../bindings/TimelineEntry";
import { longDate, shortDate } from "../../format";

const ROWS: Record<TimelineEntry["kind"], number> = { milestone: 2, notice: 1, time_limit: 0 };
const ROW_LABEL = ["Time limits", "Notices", "Milestones"];
const DAY = 86_400_000;

function day(iso: string): number {
  return Math.round(Date.parse(iso + "T00:00:00Z") / DAY);
}

function fill(e: TimelineEntry): string {
  if (e.late) return "#d4351c";
  if (e.status === "Complete" || e.status === "Published" || e.status === "Met") return "#505a5f";
  return "#1d70b8";
}

export function Timeline({ entries, today }: { entries: TimelineEntry[]; today: string }) {
  if (entries.length === 0) return <p>No milestones, notices or time limits yet.</p>;
  const data = entries.map((e) => ({ x: day(e.date), y: ROWS[e.kind], entry: e, fill: fill(e) }));
  const xs = [...data.map((d) => d.x), day(today)];
  const pad = 10;
  return (
    <>
      <figure className="chart" data-testid="timeline-chart">
        <ScatterChart width={760} height={200} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[Math.min(...xs) - pad, Math.max(...xs) + pad]}
            tickFormatter={(v: number) => shortDate(new Date(v * DAY).toISOString())}
          />
          <YAxis type="number" dataKey="y" domain={[-0.5, 2.5]} ticks={[0, 1, 2]} tickFormatter={(v: number) => ROW_LABEL[v] ?? ""} width={90} />
          <Tooltip
            content={({ payload }) => {
              const e = payload?.[0]?.payload?.entry as TimelineEntry | undefined;
              return e ? (
                <div className="chart-tooltip">
                  <strong>{e.label}</strong>
                  <br />
                  {longDate(e.date)}: {e.status}
                </div>
              ) : null;
            }}
          />
          <ReferenceLine x={day(today)} stroke="#0b0c0c" strokeDasharray="4 2" label={{ value: "Today", position: "top" }} />
          <Scatter data={data} shape="diamond" isAnimationActive={false} />
        </ScatterChart>
        <figcaption className="hint">Red: overdue or failing; blue: planned; grey: done. The dashed line is today.</figcaption>
      </figure>
      <table data-testid="timeline-table">
        <thead>
          <tr>
            <th>Date</th>
            <th>What</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.kind + e.label + e.date}>
              <td>{longDate(e.date)}</td>
              <td>{e.label}</td>
              <td>{e.late ? <span className="tag tag--red">{e.status}</span> : e.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

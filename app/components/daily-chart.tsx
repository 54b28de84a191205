import { useId } from "react";
import { shortDate } from "~/utils/names";
import { TableScroll } from "~/components/table-scroll";

// The dashboard's chart of confirmed asks and signatures per day: an SVG drawn
// on the server, so it needs no JavaScript and no chart library, with the same
// figures in a table below it for anyone who cannot see the chart or wants the
// exact numbers.

/** One Europe/London calendar day ("YYYY-MM-DD"), as dashboardFigures' perDay gives them. */
export type DailyChartDay = { date: string; confirmedAsks: number; signatures: number };

// Drawn at 420 wide so the text is still about 12px on a 390px phone, where
// the chart is scaled down to the width of the page.
const WIDTH = 420;
const HEIGHT = 300;
const FONT_SIZE = 15;
// Room at the sides for half a date label, centred under its day.
const plot = { left: 52, right: WIDTH - 24, top: 70, bottom: HEIGHT - 52 };
const MAX_DATE_LABELS = 5;

// Okabe and Ito's blue and vermilion, told apart by every common kind of
// colour blindness, and each at least 3:1 against white (WCAG 1.4.11). The
// series differ in shape too: hatched bars against a dashed line with dots.
const ASKS_COLOUR = "#0072b2";
const SIGNATURES_COLOUR = "#d55e00";
const TEXT_COLOUR = "#0b0c0c";
const AXIS_COLOUR = "#505a5f";

const numberFormat = new Intl.NumberFormat("en-GB");
// The dates are already London days, so they are shown as they are, in UTC.
const axisDateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** "13 Jul 2024" for a London day; noon UTC falls on the same date in London all year. */
function dayLabel(date: string) {
  return shortDate(`${date}T12:00:00Z`);
}

function axisDayLabel(date: string) {
  return axisDateFormat.format(new Date(`${date}T12:00:00Z`));
}

/** A y axis from 0 to a round top with at most about five steps, in whole numbers. */
function yScale(max: number) {
  const rough = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return { top, ticks };
}

/**
 * The days whose date is written under the axis: at most MAX_DATE_LABELS,
 * evenly spaced and counted back from today, so the latest day is always named.
 */
function labelledDays(count: number) {
  const step = Math.max(1, Math.ceil((count - 1) / (MAX_DATE_LABELS - 1)));
  const indices: number[] = [];
  for (let i = count - 1; i >= 0; i -= step) indices.unshift(i);
  return indices;
}

function busiestDay(days: DailyChartDay[], figure: "confirmedAsks" | "signatures") {
  return days.reduce((best, day) => (day[figure] > best[figure] ? day : best));
}

function summaryOf(days: DailyChartDay[]) {
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const asks = days.reduce((sum, d) => sum + d.confirmedAsks, 0);
  const signatures = days.reduce((sum, d) => sum + d.signatures, 0);
  const period =
    first.date === last.date ? `on ${dayLabel(first.date)}` : `from ${dayLabel(first.date)} to ${dayLabel(last.date)}`;
  const parts = [`Bars show confirmed asks and a dashed line candidates who signed, for each day ${period}.`];
  if (asks === 0) parts.push("No asks were confirmed.");
  else {
    const busiest = busiestDay(days, "confirmedAsks");
    parts.push(
      `${numberFormat.format(asks)} confirmed ${asks === 1 ? "ask" : "asks"} in all, the most on ${dayLabel(busiest.date)} (${numberFormat.format(busiest.confirmedAsks)}).`,
    );
  }
  if (signatures === 0) parts.push("No candidates signed.");
  else {
    const busiest = busiestDay(days, "signatures");
    parts.push(
      `${numberFormat.format(signatures)} ${signatures === 1 ? "candidate" : "candidates"} signed in all, the most on ${dayLabel(busiest.date)} (${numberFormat.format(busiest.signatures)}).`,
    );
  }
  return parts.join(" ");
}

export function DailyChart({ days }: { days: DailyChartDay[] }) {
  // Ids for the chart's title, description and hatching, unique even with two
  // charts on a page; useId's colons are dropped so url(#…) parses everywhere.
  const id = useId().replace(/:/g, "");
  if (days.every((d) => d.confirmedAsks === 0 && d.signatures === 0))
    return <p>No confirmed asks or signatures yet.</p>;

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const hatchId = `${id}-hatch`;
  const { top, ticks } = yScale(Math.max(...days.map((d) => Math.max(d.confirmedAsks, d.signatures))));
  const band = (plot.right - plot.left) / days.length;
  const barWidth = Math.min(40, Math.max(1, band * 0.7));
  const x = (i: number) => plot.left + band * (i + 0.5);
  const y = (value: number) => plot.bottom - ((plot.bottom - plot.top) * value) / top;
  const line = days.map((d, i) => `${x(i).toFixed(1)},${y(d.signatures).toFixed(1)}`).join(" ");
  // Dots on every day, and outlines round the bars, only while they stay
  // apart; beyond that they run together into a blur.
  const narrow = band < 6;

  return (
    <>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        fontFamily="inherit"
        fontSize={FONT_SIZE}
        fill={TEXT_COLOUR}
        className="daily-chart"
      >
        <title id={titleId}>Confirmed asks and candidates who signed, per day</title>
        <desc id={descId}>{summaryOf(days)}</desc>
        <defs>
          <pattern id={hatchId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={ASKS_COLOUR} />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2" />
          </pattern>
        </defs>

        <g>
          <rect x={4} y={8} width={18} height={14} fill={`url(#${hatchId})`} stroke={ASKS_COLOUR} />
          <text x={30} y={20}>
            Confirmed asks
          </text>
          <line x1={160} y1={15} x2={186} y2={15} stroke={SIGNATURES_COLOUR} strokeWidth="3" strokeDasharray="6 3" />
          <circle cx={173} cy={15} r={3.5} fill={SIGNATURES_COLOUR} />
          <text x={194} y={20}>
            Candidates who signed
          </text>
        </g>

        <text x={4} y={plot.top - 18}>
          Number per day
        </text>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={plot.left} y1={y(tick)} x2={plot.right} y2={y(tick)} stroke="#b1b4b6" strokeWidth="1" />
            <text x={plot.left - 6} y={y(tick) + 5} textAnchor="end">
              {numberFormat.format(tick)}
            </text>
          </g>
        ))}

        {days.map((d, i) =>
          d.confirmedAsks > 0 ? (
            <rect
              key={d.date}
              x={x(i) - barWidth / 2}
              y={y(d.confirmedAsks)}
              width={barWidth}
              height={plot.bottom - y(d.confirmedAsks)}
              fill={`url(#${hatchId})`}
              stroke={narrow ? "none" : ASKS_COLOUR}
              strokeWidth="1"
            />
          ) : null,
        )}
        {/* A white edge keeps the line visible where it crosses the bars. */}
        <polyline points={line} fill="none" stroke="#ffffff" strokeWidth="6" strokeLinejoin="round" />
        <polyline
          points={line}
          fill="none"
          stroke={SIGNATURES_COLOUR}
          strokeWidth="3"
          strokeDasharray="6 3"
          strokeLinejoin="round"
        />
        {!narrow
          ? days.map((d, i) => <circle key={d.date} cx={x(i)} cy={y(d.signatures)} r={3.5} fill={SIGNATURES_COLOUR} />)
          : null}

        <line x1={plot.left} y1={plot.bottom} x2={plot.right} y2={plot.bottom} stroke={AXIS_COLOUR} strokeWidth="2" />
        {labelledDays(days.length).map((i) => (
          <g key={days[i]!.date}>
            <line x1={x(i)} y1={plot.bottom} x2={x(i)} y2={plot.bottom + 6} stroke={AXIS_COLOUR} strokeWidth="2" />
            <text x={x(i)} y={plot.bottom + 22} textAnchor="middle">
              {axisDayLabel(days[i]!.date)}
            </text>
          </g>
        ))}
        <text x={(plot.left + plot.right) / 2} y={HEIGHT - 8} textAnchor="middle">
          Day (UK time)
        </text>
      </svg>

      {/* A day a row makes a long page after a few weeks: the table is there for whoever opens it. */}
      <details className="details">
        <summary>Show the figures as a table</summary>
        <TableScroll label="Confirmed asks and signatures per day">
          <table className="table">
            <caption className="heading-s">Confirmed asks and signatures per day</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="numeric">
                  Confirmed asks
                </th>
                <th scope="col" className="numeric">
                  Candidates who signed
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{dayLabel(d.date)}</th>
                  <td className="numeric">{numberFormat.format(d.confirmedAsks)}</td>
                  <td className="numeric">{numberFormat.format(d.signatures)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </>
  );
}

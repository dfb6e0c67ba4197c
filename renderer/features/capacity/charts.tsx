/** Small SVG charts drawn by hand: a per-second line chart and a bar chart. Colours come from CSS. */
import type { CapacitySeries } from '../../../electron/contract.ts';

const W = 560;
const H = 170;
const PAD = { left: 40, right: 10, top: 10, bottom: 22 };

/** A round axis maximum at or above `value` (1, 2, 5 × 10^n). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function path(points: [number, number][], x: (t: number) => number, y: (v: number) => number): string {
  return points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
}

export function CapacityChart({
  series,
  seconds,
  label,
  limits,
  units = { read: 'read units', write: 'write units' },
}: {
  series: CapacitySeries;
  seconds: number;
  label: string;
  /** What the two lines count, for the chart's accessible summary. */
  units?: { read: string; write: string };
  /** Provisioned read/write units per second, drawn as dashed lines. */
  limits?: { read: number; write: number };
}) {
  const end = series.read.at(-1)?.[0] ?? Math.floor(Date.now() / 1000);
  const start = end - seconds + 1;
  const peak = Math.max(0, ...series.read.map(([, v]) => v), ...series.write.map(([, v]) => v), limits?.read ?? 0, limits?.write ?? 0);
  const max = niceMax(peak);
  const x = (t: number) => PAD.left + ((t - start) / Math.max(1, seconds - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, max / 2, max];
  const readPath = path(series.read, x, y);
  const totalRead = series.read.reduce((sum, [, v]) => sum + v, 0);
  const totalWrite = series.write.reduce((sum, [, v]) => sum + v, 0);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${format(totalRead)} ${units.read} and ${format(totalWrite)} ${units.write} in the last ${seconds} seconds`}>
      {ticks.map((t) => (
        <g key={t}>
          <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
          <text className="axis-label" x={PAD.left - 6} y={y(t) + 3} textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
      <text className="axis-label" x={PAD.left} y={H - 6}>
        −{seconds}s
      </text>
      <text className="axis-label" x={W - PAD.right} y={H - 6} textAnchor="end">
        now
      </text>
      {series.read.length ? <path className="read-area" d={`${readPath}L${x(end).toFixed(1)},${y(0)}L${x(series.read[0]![0]).toFixed(1)},${y(0)}Z`} /> : null}
      {limits ? (
        <>
          <line className="limit-line" x1={PAD.left} x2={W - PAD.right} y1={y(limits.read)} y2={y(limits.read)} />
          {limits.write !== limits.read ? <line className="limit-line" x1={PAD.left} x2={W - PAD.right} y1={y(limits.write)} y2={y(limits.write)} /> : null}
        </>
      ) : null}
      <path className="read-line" d={readPath} />
      <path className="write-line" d={path(series.write, x, y)} />
    </svg>
  );
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Units per partition-hash range; bars well above the mean are marked hot. */
export function HeatChart({ values }: { values: number[] }) {
  const max = niceMax(Math.max(0, ...values));
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const width = (W - PAD.left - PAD.right) / Math.max(1, values.length);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Units per partition range: ${values.map(format).join(', ')}`}>
      {[0, max / 2, max].map((t) => (
        <g key={t}>
          <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
          <text className="axis-label" x={PAD.left - 6} y={y(t) + 3} textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
      {values.map((v, i) => (
        <g key={i}>
          <rect
            className={`heat-bar${v > 0 && v >= mean * 2 ? ' hot' : ''}`}
            x={PAD.left + i * width + 2}
            y={y(v)}
            width={Math.max(1, width - 4)}
            height={Math.max(0, y(0) - y(v))}
            rx={2}
          >
            <title>{`Range ${i + 1}: ${format(v)} units`}</title>
          </rect>
          <text className="axis-label" x={PAD.left + i * width + width / 2} y={H - 6} textAnchor="middle">
            {i.toString(16).toUpperCase()}
          </text>
        </g>
      ))}
    </svg>
  );
}

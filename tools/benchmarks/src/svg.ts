/** A log-log line chart as a standalone SVG: latency against payload size, one line per mechanism. */

export interface Series {
  label: string;
  color: string;
  /** SVG stroke-dasharray, "" for solid. */
  dash: string;
  points: { x: number; y: number }[];
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  xTicks: { value: number; label: string }[];
  formatY: (value: number) => string;
  series: Series[];
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function lineChart(chart: Chart): string {
  const plot = { left: 80, top: 50, width: 620, height: 420 };
  const legendX = plot.left + plot.width + 30;
  const rowHeight = 18;
  const width = legendX + 290;
  const height = Math.max(plot.top + plot.height + 70, plot.top + chart.series.length * rowHeight + 20);

  const xs = chart.xTicks.map((tick) => tick.value);
  const ys = chart.series.flatMap((series) => series.points.map((point) => point.y)).filter((y) => y > 0);
  const [xMin, xMax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  // Whole decades around the data, so ticks are 10^k.
  const yMin = Math.floor(Math.log10(Math.min(...ys)));
  const yMax = Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(...ys))));
  const px = (x: number) => plot.left + ((Math.log10(x) - xMin) / (xMax - xMin)) * plot.width;
  const py = (y: number) => plot.top + plot.height - ((Math.log10(y) - yMin) / (yMax - yMin)) * plot.height;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${plot.left + plot.width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escape(chart.title)}</text>`,
  );
  // Grid and ticks: decades on y (with faint 2x and 5x lines), the given sizes on x.
  for (let decade = yMin; decade <= yMax; decade++) {
    const y = py(10 ** decade);
    out.push(`<line x1="${plot.left}" y1="${y}" x2="${plot.left + plot.width}" y2="${y}" stroke="#ccc"/>`);
    out.push(`<text x="${plot.left - 8}" y="${y + 4}" text-anchor="end">${escape(chart.formatY(10 ** decade))}</text>`);
    if (decade < yMax) {
      for (const factor of [2, 5]) {
        const minor = py(factor * 10 ** decade);
        out.push(`<line x1="${plot.left}" y1="${minor}" x2="${plot.left + plot.width}" y2="${minor}" stroke="#eee"/>`);
      }
    }
  }
  for (const tick of chart.xTicks) {
    const x = px(tick.value);
    out.push(`<line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.top + plot.height}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${plot.top + plot.height + 18}" text-anchor="middle">${escape(tick.label)}</text>`);
  }
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height + 45}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  out.push(
    `<text transform="translate(22 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
  );
  // Lines with a dot per measurement, then the legend.
  chart.series.forEach((series, index) => {
    const points = series.points.filter((point) => point.y > 0);
    if (points.length > 0) {
      const path = points.map((point, i) => `${i === 0 ? "M" : "L"}${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`).join(" ");
      const dash = series.dash === "" ? "" : ` stroke-dasharray="${series.dash}"`;
      out.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
      for (const point of points) out.push(`<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="2.5" fill="${series.color}"/>`);
    }
    const y = plot.top + index * rowHeight;
    const dash = series.dash === "" ? "" : ` stroke-dasharray="${series.dash}"`;
    out.push(`<line x1="${legendX}" y1="${y + 6}" x2="${legendX + 28}" y2="${y + 6}" stroke="${series.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${legendX + 36}" y="${y + 10}">${escape(series.label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

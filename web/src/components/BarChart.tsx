// A bar chart on uPlot (small, canvas-based): one series of values over labelled categories.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export function BarChart({
  labels,
  values,
  title,
  format,
  height = 220,
}: {
  labels: string[];
  values: number[];
  title: string;
  format: (value: number) => string;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element || labels.length === 0) return;
    const style = getComputedStyle(document.documentElement);
    const color = style.getPropertyValue("--accent").trim() || "#3b82f6";
    const text = style.getPropertyValue("--fg").trim() || "#222";
    const grid = style.getPropertyValue("--border").trim() || "#ddd";
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.7, 48] });
    const opts: uPlot.Options = {
      title,
      width: Math.max(240, element.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { stroke: grid },
          splits: () => xs,
          values: (_u, splits) => splits.map((i) => shorten(labels[i] ?? "")),
        },
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, size: 64, values: (_u, splits) => splits.map(format) },
      ],
      series: [{}, { label: title, fill: color, stroke: color, paths: bars, points: { show: false } }],
    };
    const plot = new uPlot(opts, [xs, values], element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [labels, values, title, format, height]);
  return (
    <figure className="chart" style={{ minHeight: height + 40 }} aria-label={title}>
      {labels.length === 0 ? <p className="muted">No usage recorded.</p> : <div ref={host} />}
    </figure>
  );
}

function shorten(label: string): string {
  return label.length > 14 ? label.slice(0, 13) + "…" : label;
}

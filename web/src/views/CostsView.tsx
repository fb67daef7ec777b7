// Tokens and dollars by day, item, agent and model, as charts with totals and a table.
import { useMemo, useState } from "react";
import { api } from "../api/client";
import type { UsageBy, UsageResponse } from "../api/types";
import { BarChart } from "../components/BarChart";
import { useAsync } from "../components/useAsync";
import { formatTokens, formatUsd } from "../format";
import { useBoard } from "../state/BoardProvider";

const GROUPS: UsageBy[] = ["day", "item", "agent", "model"];
const usd = (v: number) => "$" + (v < 1 ? v.toFixed(3) : v.toFixed(2));
const loadUsage = () => Promise.all(GROUPS.map((by) => api.usage(by)));

export function CostsView() {
  const { state } = useBoard();
  // Costs change when runs end; the board's refetch counter moves then.
  const usage = useAsync(loadUsage, state.refetch);
  const [metric, setMetric] = useState<"cost" | "tokens">("cost");
  if (usage.error && !usage.data) return <p className="error">{usage.error.message}</p>;
  if (!usage.data) return <p className="muted">Loading…</p>;
  const total = usage.data[0].total;
  return (
    <div className="costs">
      <h1>Costs</h1>
      <div className="totals">
        <Total label="cost" value={formatUsd(total.cost_usd)} />
        <Total label="input tokens" value={formatTokens(total.input_tokens)} />
        <Total label="output tokens" value={formatTokens(total.output_tokens)} />
        <Total label="cache read" value={formatTokens(total.cache_read_input_tokens)} />
        <Total label="cache write" value={formatTokens(total.cache_creation_input_tokens)} />
        <Total label="runs" value={String(total.runs)} />
      </div>
      <div className="segmented" role="group" aria-label="metric">
        <button aria-pressed={metric === "cost"} onClick={() => setMetric("cost")}>
          dollars
        </button>
        <button aria-pressed={metric === "tokens"} onClick={() => setMetric("tokens")}>
          tokens
        </button>
      </div>
      <div className="chart-grid">
        {usage.data.map((report) => (
          <UsageChart key={report.by} report={report} metric={metric} />
        ))}
      </div>
    </div>
  );
}

function Total({ label, value }: { label: string; value: string }) {
  return (
    <div className="total">
      <div className="total-value">{value}</div>
      <div className="muted">{label}</div>
    </div>
  );
}

function UsageChart({ report, metric }: { report: UsageResponse; metric: "cost" | "tokens" }) {
  const labels = useMemo(() => report.rows.map((row) => row.key), [report]);
  const values = useMemo(
    () =>
      report.rows.map((row) =>
        metric === "cost"
          ? row.cost_usd
          : row.input_tokens + row.output_tokens + row.cache_creation_input_tokens + row.cache_read_input_tokens,
      ),
    [report, metric],
  );
  return (
    <section className="usage-chart" data-by={report.by}>
      <BarChart
        labels={labels}
        values={values}
        title={`${metric === "cost" ? "Dollars" : "Tokens"} by ${report.by}`}
        format={metric === "cost" ? usd : formatTokens}
      />
      <table className="table">
        <thead>
          <tr>
            <th>{report.by}</th>
            <th>cost</th>
            <th>in</th>
            <th>out</th>
            <th>runs</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.key}>
              <td>{row.key}</td>
              <td>{formatUsd(row.cost_usd)}</td>
              <td>{formatTokens(row.input_tokens)}</td>
              <td>{formatTokens(row.output_tokens)}</td>
              <td>{row.runs}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

import { RunOutput } from "../components/RunOutput";

export function RunView({ run }: { run: number }) {
  return (
    <div className="run-view">
      <h1>Run {run}</h1>
      <RunOutput run={run} height="calc(100vh - 11rem)" />
    </div>
  );
}

/** Runs jobs with at most `limit` of them at a time; each job's result is its own promise. */
export function limited<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T>[] {
  let next = 0;
  const gates: (() => void)[] = [];
  const starts = jobs.map(() => new Promise<void>((resolve) => gates.push(resolve)));
  const results = jobs.map((job, i) => starts[i]!.then(job));
  const pump = (): void => {
    if (next < jobs.length) gates[next++]!();
  };
  for (const r of results) r.then(pump, pump);
  for (let i = 0; i < Math.min(limit, jobs.length); i++) pump();
  return results;
}

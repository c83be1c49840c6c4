/**
 * Runs `task` now and again `intervalMs` after each run finishes (never two at once); `stop()` ends it.
 * A failing task is the task's to show; polling goes on so the page recovers when the API does.
 */
export function startPolling(task: () => Promise<void>, intervalMs: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    task()
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

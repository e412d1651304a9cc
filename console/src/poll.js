// Refreshes a page every few seconds while it is shown; the next refresh waits for the last one to finish.
export function poll(refresh, everyMs) {
  let stopped = false;
  let timer = null;
  const loop = async () => {
    try { await refresh(); } catch (e) { console.warn('refresh failed', e); }
    if (!stopped) timer = setTimeout(loop, everyMs);
  };
  loop();
  return () => { stopped = true; clearTimeout(timer); };
}
